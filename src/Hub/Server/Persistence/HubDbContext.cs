using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using OneThing.Hub.Domain.Applications;
using OneThing.Hub.Domain.Notifications;

namespace OneThing.Hub.Persistence;

/// <summary>
/// The hub's database: applications with their items, and the dispatch tasks. One model for every
/// provider; each provider has a subclass of its own so that each keeps its own migrations.
/// </summary>
public abstract class HubDbContext(DbContextOptions options) : DbContext(options)
{
    /// <summary>JSON settings for the document columns (form content, results, history).</summary>
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Joint applications.</summary>
    public DbSet<JointApplication> Applications => Set<JointApplication>();

    /// <summary>Items of applications.</summary>
    public DbSet<ApplicationItem> Items => Set<ApplicationItem>();

    /// <summary>Dispatch work.</summary>
    public DbSet<DispatchTask> DispatchTasks => Set<DispatchTask>();

    /// <summary>Every callback departments sent.</summary>
    public DbSet<DepartmentCallback> DepartmentCallbacks => Set<DepartmentCallback>();

    /// <summary>Every operator action.</summary>
    public DbSet<OperatorActionRecord> OperatorActions => Set<OperatorActionRecord>();

    /// <summary>Electronic certificates issued with granted items (电子证照).</summary>
    public DbSet<CertificateRecord> Certificates => Set<CertificateRecord>();

    /// <summary>Applicants' ratings (好差评).</summary>
    public DbSet<RatingRecord> Ratings => Set<RatingRecord>();

    /// <summary>Follow-ups of bad ratings.</summary>
    public DbSet<FollowUpRecord> FollowUps => Set<FollowUpRecord>();

    /// <summary>The notification outbox: state changes and reminders to send.</summary>
    public DbSet<NotificationRecord> Notifications => Set<NotificationRecord>();

    /// <summary>Uploaded materials' descriptions (their bytes are in the material store).</summary>
    public DbSet<MaterialRecord> Materials => Set<MaterialRecord>();

    /// <summary>Unified delivery of paper results (统一出件), one per application that has any.</summary>
    public DbSet<OneThing.Hub.Domain.Deliveries.ResultDelivery> Deliveries => Set<OneThing.Hub.Domain.Deliveries.ResultDelivery>();

    /// <summary>The append-only, hash-chained audit log.</summary>
    public DbSet<OneThing.Hub.Security.Audit.AuditRecord> AuditLog => Set<OneThing.Hub.Security.Audit.AuditRecord>();

    /// <inheritdoc />
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Instants are stored as Unix milliseconds: ordered and comparable in SQL on every provider
        // (SQLite cannot compare DateTimeOffset text), and free of offset ambiguity.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UnixMillisecondsConverter>();
        configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<UnixMillisecondsConverter>();
        configurationBuilder.Properties<ApplicationState>().HaveConversion<string>().HaveMaxLength(20);
        configurationBuilder.Properties<ItemState>().HaveConversion<string>().HaveMaxLength(20);
        configurationBuilder.Properties<DispatchTaskKind>().HaveConversion<string>().HaveMaxLength(10);
        configurationBuilder.Properties<DispatchTaskState>().HaveConversion<string>().HaveMaxLength(10);
        configurationBuilder.Properties<CallbackDisposition>().HaveConversion<string>().HaveMaxLength(20);
        configurationBuilder.Properties<OperatorActionKind>().HaveConversion<string>().HaveMaxLength(10);
        configurationBuilder.Properties<NotificationChannel>().HaveConversion<string>().HaveMaxLength(10);
        configurationBuilder.Properties<NotificationKind>().HaveConversion<string>().HaveMaxLength(20);
        configurationBuilder.Properties<NotificationState>().HaveConversion<string>().HaveMaxLength(10);
        configurationBuilder.Properties<FollowUpState>().HaveConversion<string>().HaveMaxLength(10);
    }

    /// <inheritdoc />
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<JointApplication>(a =>
        {
            a.ToTable("applications");
            a.HasKey(x => x.Id);
            a.Property(x => x.Id).HasMaxLength(32);
            a.Property(x => x.CreateRequestId).HasMaxLength(64);
            a.Property(x => x.SubmitRequestId).HasMaxLength(64);
            a.Property(x => x.ThemeCode).HasMaxLength(100);
            a.Property(x => x.Revision).IsConcurrencyToken();
            a.Property(x => x.Content).HasConversion(JsonConverter<ApplicationContent>(), ImmutableComparer<ApplicationContent>());
            a.HasIndex(x => x.CreateRequestId).IsUnique();
            a.HasIndex(x => x.SubmitRequestId).IsUnique();
            a.HasIndex(x => new { x.State, x.CreatedAt });
            a.HasIndex(x => new { x.ThemeCode, x.CreatedAt });
            a.HasMany(x => x.Items).WithOne().HasForeignKey(i => i.ApplicationId).OnDelete(DeleteBehavior.Cascade);
            a.Navigation(x => x.Items).UsePropertyAccessMode(PropertyAccessMode.Field).AutoInclude();
        });

        modelBuilder.Entity<ApplicationItem>(i =>
        {
            i.ToTable("application_items");
            i.HasKey(x => new { x.ApplicationId, x.ItemCode });
            i.Property(x => x.ApplicationId).HasMaxLength(32);
            i.Property(x => x.ItemCode).HasMaxLength(100);
            i.Property(x => x.Title).HasMaxLength(200);
            i.Property(x => x.Department).HasMaxLength(50);
            i.Property(x => x.DepartmentTitle).HasMaxLength(100);
            i.Property(x => x.SubmissionId).HasMaxLength(32);
            i.Property(x => x.CaseNumber).HasMaxLength(100);
            i.Property(x => x.Stage).HasMaxLength(200);
            i.Property(x => x.LastError).HasMaxLength(1000);
            i.Property(x => x.Prerequisites).HasConversion(JsonConverter<IReadOnlyList<string>>(), ListComparer<string>());
            i.Property(x => x.Result).HasConversion(JsonConverter<IReadOnlyDictionary<string, string>>(), DictionaryComparer());
            i.Property(x => x.Reasons).HasConversion(JsonConverter<IReadOnlyList<ItemReason>>(), ListComparer<ItemReason>());
            i.Property(x => x.History).HasConversion(JsonConverter<IReadOnlyList<ItemEvent>>(), ListComparer<ItemEvent>());
            i.HasIndex(x => x.SubmissionId).IsUnique();
            i.HasIndex(x => new { x.Department, x.State });
            i.HasIndex(x => new { x.State, x.StateChangedAt });
            i.HasIndex(x => new { x.State, x.DueDate });
        });

        modelBuilder.Entity<DispatchTask>(t =>
        {
            t.ToTable("dispatch_tasks");
            t.HasKey(x => x.Id);
            t.Property(x => x.ApplicationId).HasMaxLength(32);
            t.Property(x => x.ItemCode).HasMaxLength(100);
            t.Property(x => x.LeaseOwner).HasMaxLength(100).IsConcurrencyToken();
            t.Property(x => x.LeaseExpiresAt).IsConcurrencyToken();
            t.Property(x => x.LastError).HasMaxLength(1000);
            t.HasIndex(x => new { x.State, x.DueAt });
            t.HasIndex(x => new { x.ApplicationId, x.ItemCode });
        });

        modelBuilder.Entity<DepartmentCallback>(c =>
        {
            c.ToTable("department_callbacks");
            c.HasKey(x => x.Id);
            c.Property(x => x.Department).HasMaxLength(50);
            c.Property(x => x.CaseNumber).HasMaxLength(100);
            c.Property(x => x.IdempotencyKey).HasMaxLength(64);
            c.Property(x => x.ApplicationId).HasMaxLength(32);
            c.Property(x => x.ItemCode).HasMaxLength(100);
            c.Property(x => x.OutcomeKind).HasMaxLength(20);
            c.Property(x => x.Note).HasMaxLength(500);

            // The deduplication key: one row per report, however often it arrives.
            c.HasIndex(x => new { x.Department, x.CaseNumber, x.Sequence }).IsUnique();
            c.HasIndex(x => x.IdempotencyKey);
        });

        modelBuilder.Entity<OperatorActionRecord>(a =>
        {
            a.ToTable("operator_actions");
            a.HasKey(x => x.Id);
            a.Property(x => x.OperatorId).HasMaxLength(64);
            a.Property(x => x.Target).HasMaxLength(160);
            a.Property(x => x.Reason).HasMaxLength(500);
            a.Property(x => x.Outcome).HasMaxLength(40);
            a.HasIndex(x => x.Target);
            a.HasIndex(x => x.OperatorId);
        });

        modelBuilder.Entity<CertificateRecord>(c =>
        {
            c.ToTable("certificates");
            c.HasKey(x => x.Id);
            c.Property(x => x.ApplicationId).HasMaxLength(32);
            c.Property(x => x.ItemCode).HasMaxLength(100);
            c.Property(x => x.Title).HasMaxLength(100);
            c.Property(x => x.Number).HasMaxLength(100);
            c.Property(x => x.VerificationCode).HasMaxLength(100);
            c.Property(x => x.HolderName).HasMaxLength(100);
            c.Property(x => x.HolderIdNumber).HasMaxLength(40);
            c.Property(x => x.Issuer).HasMaxLength(100);

            // One certificate per granted item, however often the grant is recorded.
            c.HasIndex(x => new { x.ApplicationId, x.ItemCode }).IsUnique();
            c.HasIndex(x => x.VerificationCode);
        });

        modelBuilder.Entity<RatingRecord>(r =>
        {
            r.ToTable("ratings");
            r.HasKey(x => x.ApplicationId);
            r.Property(x => x.ApplicationId).HasMaxLength(32);
            r.Property(x => x.Departments).HasConversion(JsonConverter<Dictionary<string, int>>(), JsonComparer<Dictionary<string, int>>()).HasMaxLength(1000);
            r.Property(x => x.Comment).HasMaxLength(500);
            r.Property(x => x.RequestId).HasMaxLength(64);
        });

        modelBuilder.Entity<FollowUpRecord>(f =>
        {
            f.ToTable("follow_ups");
            f.HasKey(x => x.Id);
            f.Property(x => x.ApplicationId).HasMaxLength(32);
            f.Property(x => x.ThemeCode).HasMaxLength(100);
            f.Property(x => x.Departments).HasConversion(JsonConverter<List<string>>(), JsonComparer<List<string>>()).HasMaxLength(1000);
            f.Property(x => x.Comment).HasMaxLength(500);
            f.Property(x => x.OperatorId).HasMaxLength(64);
            f.Property(x => x.Resolution).HasMaxLength(500);
            f.HasIndex(x => new { x.State, x.Id });
        });

        modelBuilder.Entity<NotificationRecord>(n =>
        {
            n.ToTable("notifications");
            n.HasKey(x => x.Id);
            n.Property(x => x.Key).HasMaxLength(200);
            n.Property(x => x.ApplicationId).HasMaxLength(32);
            n.Property(x => x.ItemCode).HasMaxLength(100);
            n.Property(x => x.Title).HasMaxLength(200);
            n.Property(x => x.Text).HasMaxLength(2000);
            n.Property(x => x.LeaseOwner).HasMaxLength(100);
            n.Property(x => x.LastError).HasMaxLength(1000);
            n.Property(x => x.ChannelMessageId).HasMaxLength(100);

            // Planning the same change twice yields the same key: nothing is written, or sent, twice.
            n.HasIndex(x => x.Key).IsUnique();
            n.HasIndex(x => new { x.State, x.DueAt });
            n.HasIndex(x => x.ApplicationId);
        });

        modelBuilder.Entity<MaterialRecord>(m =>
        {
            m.ToTable("materials");
            m.HasKey(x => x.Id);
            m.Property(x => x.Id).HasMaxLength(32);
            m.Property(x => x.ThemeCode).HasMaxLength(100);
            m.Property(x => x.Code).HasMaxLength(100);
            m.Property(x => x.FileName).HasMaxLength(255);
            m.Property(x => x.MediaType).HasMaxLength(50);
            m.Property(x => x.Sha256).HasMaxLength(64);
            m.HasIndex(x => x.Sha256);
        });

        modelBuilder.ApplyConfiguration(new OneThing.Hub.Security.Audit.AuditRecordConfiguration());
        modelBuilder.ApplyConfiguration(new OneThing.Hub.Callbacks.CallbackNonceConfiguration());
        modelBuilder.ApplyConfiguration(new OneThing.Hub.Deliveries.DeliveryConfiguration());

        modelBuilder.ApplyPersonalDataSealing(this);
    }

    private static ValueConverter<T, string> JsonConverter<T>() =>
        new(v => JsonSerializer.Serialize(v, Json), s => JsonSerializer.Deserialize<T>(s, Json)!);

    // Change detection runs on every save (and on every ChangeTracker.Entries() call of the save
    // interceptors), over every tracked application and item. Comparing by serialising to JSON cost
    // ~200 serialisations per save; the domain's values are immutable records in lists and
    // dictionaries, so they compare element by element and snapshot as shallow copies.

    /// <summary>For a list of immutable elements, changed in place or replaced: element-wise equality, a shallow copy as snapshot.</summary>
    private static ValueComparer<IReadOnlyList<T>> ListComparer<T>() =>
        new(
            (a, b) => ReferenceEquals(a, b) || SameList(a, b),
            v => v.Count,
            v => v.ToList());

    private static bool SameList<T>(IReadOnlyList<T>? a, IReadOnlyList<T>? b) =>
        a is null || b is null ? a is null && b is null : a.Count == b.Count && a.SequenceEqual(b);

    /// <summary>For a string dictionary: entry-wise equality, a copy as snapshot.</summary>
    private static ValueComparer<IReadOnlyDictionary<string, string>> DictionaryComparer() =>
        new(
            (a, b) => SameDictionary(a, b),
            v => v.Count,
            v => new Dictionary<string, string>(v, StringComparer.Ordinal));

    private static bool SameDictionary(IReadOnlyDictionary<string, string>? a, IReadOnlyDictionary<string, string>? b) =>
        a is null || b is null
            ? a is null && b is null
            : a.Count == b.Count && a.All(e => b.TryGetValue(e.Key, out var v) && string.Equals(v, e.Value, StringComparison.Ordinal));

    /// <summary>For an immutable value that is only ever replaced, never changed in place (the application's content).</summary>
    private static ValueComparer<T> ImmutableComparer<T>()
        where T : class =>
        new(
            (a, b) => ReferenceEquals(a, b),
            v => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(v),
            v => v);

    private static ValueComparer<T> JsonComparer<T>() =>
        new(
            (a, b) => JsonSerializer.Serialize(a, Json) == JsonSerializer.Serialize(b, Json),
            v => JsonSerializer.Serialize(v, Json).GetHashCode(StringComparison.Ordinal),
            v => JsonSerializer.Deserialize<T>(JsonSerializer.Serialize(v, Json), Json)!);
}

/// <summary>Stores an instant as Unix milliseconds (UTC).</summary>
public sealed class UnixMillisecondsConverter() : ValueConverter<DateTimeOffset, long>(
    v => v.ToUnixTimeMilliseconds(),
    v => DateTimeOffset.FromUnixTimeMilliseconds(v));
