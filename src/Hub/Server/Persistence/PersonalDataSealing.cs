using System.Data.Common;
using System.Linq.Expressions;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using OneThing.Hub.Domain.Applications;
using OneThing.Hub.Security;

namespace OneThing.Hub.Persistence;

/// <summary>
/// Which columns hold personal data and how: every column that can carry an ID number, a phone, a bank
/// account or an address is sealed (authenticated encryption, the column bound as associated data), and
/// the applicant's identity number is kept as a blind index beside the application and its certificates
/// so that "my applications" and "my certificates" are found without storing it in clear.
/// </summary>
public static class PersonalDataSealing
{
    /// <summary>The shadow column on <c>applications</c>: the blind index of the applicant's identity number.</summary>
    public const string ApplicantIndex = "ApplicantIndex";

    /// <summary>The shadow column on <c>certificates</c>: the blind index of the holder's identity number.</summary>
    public const string HolderIndex = "HolderIndex";

    /// <summary>A blind index's length (20 bytes of HMAC-SHA256, base64url).</summary>
    internal const int IndexLength = 40;

    /// <summary>The sealed columns, by entity and property (the purpose bound to each is "table.column").</summary>
    internal static readonly (Type Entity, string Property)[] Columns =
    [
        (typeof(JointApplication), nameof(JointApplication.Content)),
        (typeof(ApplicationItem), nameof(ApplicationItem.Result)),
        (typeof(ApplicationItem), nameof(ApplicationItem.Reasons)),
        (typeof(ApplicationItem), nameof(ApplicationItem.History)),
        (typeof(ApplicationItem), nameof(ApplicationItem.Opinion)),
        (typeof(DepartmentCallback), nameof(DepartmentCallback.OutcomeJson)),
    ];

    /// <summary>
    /// Free-text columns that should not hold personal data but might (an error echoing a department's
    /// message, an operator's reason, an applicant's comment, a file name): identity, mobile and account
    /// numbers in them are masked when written (see <see cref="PersonalDataScrubber"/>).
    /// </summary>
    internal static readonly (Type Entity, string Property)[] ScrubbedColumns =
    [
        (typeof(ApplicationItem), nameof(ApplicationItem.LastError)),
        (typeof(DispatchTask), nameof(DispatchTask.LastError)),
        (typeof(NotificationRecord), nameof(NotificationRecord.LastError)),
        (typeof(OperatorActionRecord), nameof(OperatorActionRecord.Reason)),
        (typeof(RatingRecord), nameof(RatingRecord.Comment)),
        (typeof(FollowUpRecord), nameof(FollowUpRecord.Comment)),
        (typeof(FollowUpRecord), nameof(FollowUpRecord.Resolution)),
        (typeof(MaterialRecord), nameof(MaterialRecord.FileName)),
    ];

    /// <summary>
    /// Seals the personal-data columns of the model <paramref name="context"/> builds, wrapping the
    /// converters already configured (the JSON documents): the value is serialized, then sealed.
    /// Called last in <see cref="HubDbContext"/>'s model building.
    /// </summary>
    /// <exception cref="InvalidOperationException">The context was built without the protector.</exception>
    public static void ApplyPersonalDataSealing(this ModelBuilder modelBuilder, DbContext context)
    {
        var options = context.GetService<IDbContextOptions>().FindExtension<PersonalDataOptionsExtension>()
            ?? throw new InvalidOperationException(
                "The hub's database needs the personal-data protector: register AddHubPersonalData (settings Security:PersonalData:ActiveKey, " +
                "Security:PersonalData:Keys:{id}:Algorithm and :Key, Security:PersonalData:IndexKey) and build the context with " +
                "UsePersonalData(protector); only design-time tools may use UsePersonalDataModelOnly().");

        foreach (var (entity, name) in Columns)
        {
            var property = modelBuilder.Entity(entity).Property(name);
            var seal = new ColumnSeal(options.Protector, $"{modelBuilder.Entity(entity).Metadata.GetTableName()}.{property.Metadata.GetColumnName()}", options.ReadUnsealed);
            var comparer = property.Metadata.GetValueComparer();
            var inner = property.Metadata.GetValueConverter();
            property.HasConversion(inner is null ? seal.Converter() : inner.ComposeWith(seal.Converter()));
            if (comparer is not null)
            {
                property.Metadata.SetValueComparer(comparer);
            }
        }

        foreach (var (entity, name) in ScrubbedColumns)
        {
            // Masking keeps the length, so the column sizes stay; the text read back is the masked one.
            modelBuilder.Entity(entity).Property(name).HasConversion(new ValueConverter<string, string>(v => PersonalDataScrubber.Scrub(v)!, s => s));
        }

        modelBuilder.Entity<JointApplication>(a =>
        {
            a.Property<string?>(ApplicantIndex).HasMaxLength(IndexLength);
            a.HasIndex(ApplicantIndex, nameof(JointApplication.CreatedAt));
        });
        modelBuilder.Entity<CertificateRecord>(c =>
        {
            c.Property<string?>(HolderIndex).HasMaxLength(IndexLength);
            c.HasIndex(HolderIndex, nameof(CertificateRecord.Id));
        });
    }

    /// <summary>The applications of the person whose index is <paramref name="applicantIndex"/> (see <see cref="PersonalDataIndexes.ApplicantIndex"/>).</summary>
    public static IQueryable<JointApplication> OfApplicant(this IQueryable<JointApplication> query, string applicantIndex) =>
        query.Where(a => EF.Property<string?>(a, ApplicantIndex) == applicantIndex);

    /// <summary>The certificates of the person whose index is <paramref name="holderIndex"/> (the same value as the applicant index).</summary>
    public static IQueryable<CertificateRecord> OfHolder(this IQueryable<CertificateRecord> query, string holderIndex) =>
        query.Where(c => EF.Property<string?>(c, HolderIndex) == holderIndex);

    /// <summary>Whether a stored value must be sealed again: sealed under another key than the active one, or not sealed at all.</summary>
    internal static bool NeedsReseal(PersonalDataProtector protector, string stored) =>
        !ColumnSeal.IsSealed(stored) || protector.NeedsRotation(stored);
}

/// <summary>Seals and opens one column's values; the column's name is bound as associated data.</summary>
internal sealed class ColumnSeal(PersonalDataProtector? protector, string purpose, bool readUnsealed)
{
    private const string SealedPrefix = "pd1.";

    public static bool IsSealed(string stored) => stored.StartsWith(SealedPrefix, StringComparison.Ordinal);

    public string Seal(string value) => Protector().Seal(value, purpose);

    public string Open(string stored)
    {
        if (IsSealed(stored))
        {
            return Protector().Open(stored, purpose);
        }

        return readUnsealed
            ? stored
            : throw new CryptographicException($"{purpose} holds a value that is not sealed; if it predates sealing, start with Security:PersonalData:ReadUnsealed=true and run the re-seal routine");
    }

    public ValueConverter<string, string> Converter() => new(v => Seal(v), s => Open(s));

    private PersonalDataProtector Protector() => protector
        ?? throw new InvalidOperationException("this model was built for design-time tools (no personal-data protector); it cannot read or write personal data");
}

/// <summary>Carries the personal-data protector to the model and the save pipeline of a hub context.</summary>
public sealed class PersonalDataOptionsExtension(PersonalDataProtector? protector, bool readUnsealed) : IDbContextOptionsExtension
{
    private DbContextOptionsExtensionInfo? _info;

    /// <summary>The protector; null only in a model built for design-time tools.</summary>
    public PersonalDataProtector? Protector { get; } = protector;

    /// <summary>Whether values stored before sealing may be read as they are.</summary>
    public bool ReadUnsealed { get; } = readUnsealed;

    /// <inheritdoc />
    public DbContextOptionsExtensionInfo Info => _info ??= new ExtensionInfo(this);

    /// <inheritdoc />
    public void ApplyServices(IServiceCollection services)
    {
        // Nothing: the model cache key factory is replaced through the options builder, and the
        // protector differs per hub without needing a service provider of its own.
    }

    /// <inheritdoc />
    public void Validate(IDbContextOptions options)
    {
        // Nothing to check beyond what the protector checked when it was built.
    }

    private sealed class ExtensionInfo(IDbContextOptionsExtension extension) : DbContextOptionsExtensionInfo(extension)
    {
        public override bool IsDatabaseProvider => false;

        public override string LogFragment => "PersonalData ";

        // One internal service provider for every hub: the protector only changes the model (see the cache key).
        public override int GetServiceProviderHashCode() => 0;

        public override bool ShouldUseSameServiceProvider(DbContextOptionsExtensionInfo other) => other is ExtensionInfo;

        public override void PopulateDebugInfo(IDictionary<string, string> debugInfo) => debugInfo["PersonalData"] = "1";
    }
}

/// <summary>
/// Caches one model per context type and protector: the sealing converters hold the protector, so two
/// hubs in one process with different keys must not share a model.
/// </summary>
internal sealed class PersonalDataModelCacheKeyFactory : IModelCacheKeyFactory
{
    public object Create(DbContext context, bool designTime)
    {
        var options = context.GetService<IDbContextOptions>().FindExtension<PersonalDataOptionsExtension>();
        return (context.GetType(), designTime, (object?)options?.Protector ?? typeof(PersonalDataOptionsExtension), options?.ReadUnsealed ?? false);
    }
}

/// <summary>Puts the personal-data protector into a hub context's options.</summary>
public static class PersonalDataDbContextOptionsExtensions
{
    /// <summary>Seals personal data with <paramref name="protector"/> and keeps the blind indexes on every save.</summary>
    public static DbContextOptionsBuilder UsePersonalData(this DbContextOptionsBuilder builder, PersonalDataProtector protector, bool readUnsealed = false)
    {
        ((IDbContextOptionsBuilderInfrastructure)builder).AddOrUpdateExtension(new PersonalDataOptionsExtension(protector, readUnsealed));
        builder.ReplaceService<IModelCacheKeyFactory, PersonalDataModelCacheKeyFactory>();
        builder.AddInterceptors(PersonalDataIndexer.Instance);
        return builder;
    }

    /// <inheritdoc cref="UsePersonalData(DbContextOptionsBuilder, PersonalDataProtector, bool)"/>
    public static DbContextOptionsBuilder<TContext> UsePersonalData<TContext>(this DbContextOptionsBuilder<TContext> builder, PersonalDataProtector protector, bool readUnsealed = false)
        where TContext : DbContext =>
        (DbContextOptionsBuilder<TContext>)UsePersonalData((DbContextOptionsBuilder)builder, protector, readUnsealed);

    /// <inheritdoc cref="UsePersonalDataModelOnly(DbContextOptionsBuilder)"/>
    public static DbContextOptionsBuilder<TContext> UsePersonalDataModelOnly<TContext>(this DbContextOptionsBuilder<TContext> builder)
        where TContext : DbContext =>
        (DbContextOptionsBuilder<TContext>)UsePersonalDataModelOnly((DbContextOptionsBuilder)builder);

    /// <summary>
    /// For design-time tools only (<c>dotnet ef</c>): the model has its sealed columns and index columns,
    /// but reading or writing personal data through it fails.
    /// </summary>
    public static DbContextOptionsBuilder UsePersonalDataModelOnly(this DbContextOptionsBuilder builder)
    {
        ((IDbContextOptionsBuilderInfrastructure)builder).AddOrUpdateExtension(new PersonalDataOptionsExtension(null, readUnsealed: false));
        builder.ReplaceService<IModelCacheKeyFactory, PersonalDataModelCacheKeyFactory>();
        return builder;
    }
}

/// <summary>
/// Keeps the blind indexes current on every save: an application's from its applicant's identity
/// number, a new certificate's from its application's. Registered after the notification outbox,
/// which adds the certificates in the same save.
/// </summary>
internal sealed class PersonalDataIndexer : SaveChangesInterceptor
{
    public static readonly PersonalDataIndexer Instance = new();

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Index(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Index(eventData.Context);
        return ValueTask.FromResult(result);
    }

    private static void Index(DbContext? context)
    {
        if (context?.GetService<IDbContextOptions>().FindExtension<PersonalDataOptionsExtension>()?.Protector is not { } protector)
        {
            return;
        }

        var byApplication = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var entry in context.ChangeTracker.Entries<JointApplication>())
        {
            var index = entry.Entity.Content?.Applicant.IdNumber is { Length: > 0 } idNumber ? protector.ApplicantIndex(idNumber) : null;
            byApplication[entry.Entity.Id] = index;
            if (entry.State is EntityState.Added or EntityState.Modified || entry.Property<string?>(PersonalDataSealing.ApplicantIndex).CurrentValue is null)
            {
                Set(entry.Property<string?>(PersonalDataSealing.ApplicantIndex), index);
            }
        }

        foreach (var entry in context.ChangeTracker.Entries<CertificateRecord>())
        {
            if (entry.State == EntityState.Added && byApplication.TryGetValue(entry.Entity.ApplicationId, out var index))
            {
                Set(entry.Property<string?>(PersonalDataSealing.HolderIndex), index);
            }
            else if (entry.State == EntityState.Added && entry.Property<string?>(PersonalDataSealing.HolderIndex).CurrentValue is null)
            {
                // The application is not in this unit of work: its stored index is the holder's.
                var applicationId = entry.Entity.ApplicationId;
                Set(entry.Property<string?>(PersonalDataSealing.HolderIndex), context.Set<JointApplication>().AsNoTracking()
                    .Where(a => a.Id == applicationId).Select(a => EF.Property<string?>(a, PersonalDataSealing.ApplicantIndex)).FirstOrDefault());
            }
        }
    }

    private static void Set(PropertyEntry<JointApplication, string?> property, string? value)
    {
        if (!string.Equals(property.CurrentValue, value, StringComparison.Ordinal))
        {
            property.CurrentValue = value;
        }
    }

    private static void Set(PropertyEntry<CertificateRecord, string?> property, string? value)
    {
        if (!string.Equals(property.CurrentValue, value, StringComparison.Ordinal))
        {
            property.CurrentValue = value;
        }
    }
}

/// <summary>The outcome of a re-seal run.</summary>
/// <param name="Examined">Rows read.</param>
/// <param name="Resealed">Rows written again under the active key (and with their blind indexes).</param>
/// <param name="Conflicts">Rows another writer changed meanwhile; that writer sealed them with the active key already.</param>
public sealed record ResealReport(int Examined, int Resealed, int Conflicts);

/// <summary>
/// Re-seals stored personal data after a key rotation: rows with a value sealed under another key than
/// the active one (or stored before sealing, or without their blind index) are written again. Safe to
/// run while the hub serves and to run again; old keys may leave the key ring once a run reports no row left.
/// </summary>
public static class PersonalDataRotation
{
    /// <summary>Re-seals every row that needs it, <paramref name="batchSize"/> rows per transaction.</summary>
    public static async Task<ResealReport> ResealAsync(HubDbContext db, int batchSize = 200, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var protector = db.GetService<IDbContextOptions>().FindExtension<PersonalDataOptionsExtension>()?.Protector
            ?? throw new InvalidOperationException("re-sealing needs a context built with UsePersonalData(protector)");
        var examined = 0;
        var resealed = 0;
        var conflicts = 0;
        foreach (var entityType in PersonalDataSealing.Columns.Select(c => c.Entity).Distinct())
        {
            var type = db.Model.FindEntityType(entityType)!;
            var sealedColumns = PersonalDataSealing.Columns.Where(c => c.Entity == entityType).Select(c => type.FindProperty(c.Property)!).ToList();
            var indexColumns = type.GetProperties().Where(p => p.Name is PersonalDataSealing.ApplicantIndex).ToList();
            var (count, stale) = await StaleKeysAsync(db, type, sealedColumns, indexColumns, protector, cancellationToken);
            examined += count;
            foreach (var batch in stale.Chunk(batchSize))
            {
                db.ChangeTracker.Clear();
                foreach (var key in batch)
                {
                    if (await db.FindAsync(entityType, key, cancellationToken) is { } entity)
                    {
                        var entry = db.Entry(entity);
                        foreach (var column in sealedColumns)
                        {
                            entry.Property(column.Name).IsModified = true;
                        }

                        foreach (var column in indexColumns)
                        {
                            entry.Property(column.Name).IsModified = true;
                        }
                    }
                }

                try
                {
                    resealed += await db.SaveChangesAsync(cancellationToken) > 0 ? batch.Length : 0;
                }
                catch (DbUpdateConcurrencyException)
                {
                    conflicts += batch.Length;
                }
            }
        }

        db.ChangeTracker.Clear();
        return new ResealReport(examined, resealed, conflicts);
    }

    /// <summary>Reads the stored (sealed) values directly and returns the keys of the rows to write again.</summary>
    private static async Task<(int Count, List<object?[]> Stale)> StaleKeysAsync(
        HubDbContext db, IEntityType type, List<IProperty> sealedColumns, List<IProperty> indexColumns, PersonalDataProtector protector, CancellationToken cancellationToken)
    {
        var sql = db.GetService<ISqlGenerationHelper>();
        var table = StoreObjectIdentifier.Table(type.GetTableName()!, type.GetSchema());
        var keys = type.FindPrimaryKey()!.Properties;
        var columns = keys.Concat(sealedColumns).Concat(indexColumns).ToList();
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT {string.Join(", ", columns.Select(c => sql.DelimitIdentifier(c.GetColumnName(table)!)))} FROM {sql.DelimitIdentifier(table.Name, table.Schema)}";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var count = 0;
            var stale = new List<object?[]>();
            while (await reader.ReadAsync(cancellationToken))
            {
                count++;
                var needs = false;
                for (var i = keys.Count; i < keys.Count + sealedColumns.Count && !needs; i++)
                {
                    needs = !reader.IsDBNull(i) && PersonalDataSealing.NeedsReseal(protector, reader.GetString(i));
                }

                for (var i = keys.Count + sealedColumns.Count; i < columns.Count && !needs; i++)
                {
                    needs = reader.IsDBNull(i);
                }

                if (needs)
                {
                    stale.Add(keys.Select((k, i) => KeyValue(reader, i, k)).ToArray());
                }
            }

            return (count, stale);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static object? KeyValue(DbDataReader reader, int ordinal, IProperty key) =>
        key.ClrType == typeof(long) ? reader.GetInt64(ordinal) :
        key.ClrType == typeof(int) ? reader.GetInt32(ordinal) :
        reader.GetString(ordinal);
}
