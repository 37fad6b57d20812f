using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using OneThing.Hub.Domain.Applications;
using OneThing.Hub.Hosting;
using OneThing.Hub.Persistence;
using OneThing.Hub.Security;
using OneThing.Tests.Persistence;
using OneThing.Tests.Support;

namespace OneThing.Tests.Security;

/// <summary>
/// Personal data in the database: sealed per column under the active key, readable under old keys,
/// re-sealed by the rotation routine, indexed for "my applications", one model per key ring, and no
/// hub without keys.
/// </summary>
public sealed class PersonalDataStorageTests : IAsyncLifetime
{
    private static readonly byte[] IndexKey = RandomNumberGenerator.GetBytes(32);
    private static readonly PersonalDataKey Old = new("aes-old", "A256GCM", RandomNumberGenerator.GetBytes(32));
    private static readonly PersonalDataKey New = new("sm4-new", "SM4GCM", RandomNumberGenerator.GetBytes(16));
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "onething-tests", Guid.NewGuid().ToString("N"));

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private string ConnectionString => $"Data Source={Path.Combine(_directory, "hub.db")}";

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        await using var db = Context(new PersonalDataProtector([Old], Old.Id, IndexKey));
        await db.Database.MigrateAsync(Cancel);
    }

    public ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }

        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task Rotation_OldRowsOpenNewWritesUseTheActiveKey_ResealMovesEveryRowToIt()
    {
        var before = new PersonalDataProtector([Old], Old.Id, IndexKey);
        var (application, tasks) = SubmittedApplications.Submitted("rotate-" + SubmittedApplications.NewId());
        application.RecordDecision("market.licence-verification", new ItemDecision.Completed("SJ-1",
            new Dictionary<string, string> { ["operator_id_number"] = "11010519491231002X", ["address"] = "洛阳市老城区西关街道 1 号" }, "核验通过"), SubmittedApplications.Now.AddMinutes(1));
        await using (var db = Context(before))
        {
            db.Applications.Add(application);
            db.DispatchTasks.AddRange(tasks);
            db.DepartmentCallbacks.Add(Callback(application.Id));
            await db.SaveChangesAsync(Cancel).Within();
        }

        Assert.All(await RawAsync("applications", "Content"), v => Assert.StartsWith($"pd1.{Old.Id}.", v, StringComparison.Ordinal));

        // The new key is active: old rows still open, new writes use the new key.
        var after = new PersonalDataProtector([Old, New], New.Id, IndexKey);
        var (second, _) = SubmittedApplications.Submitted("rotate-" + SubmittedApplications.NewId());
        await using (var db = Context(after))
        {
            var stored = await db.Applications.AsNoTracking().SingleAsync(a => a.Id == application.Id, Cancel).Within();
            Assert.Equal("11010519491231002X", stored.Content.Applicant.IdNumber);
            Assert.Equal("11010519491231002X", stored.Item("market.licence-verification").Result["operator_id_number"]);
            db.Applications.Add(second);
            await db.SaveChangesAsync(Cancel).Within();
        }

        var contents = await RawAsync("applications", "Content");
        Assert.Contains(contents, v => v.StartsWith($"pd1.{Old.Id}.", StringComparison.Ordinal));
        Assert.Contains(contents, v => v.StartsWith($"pd1.{New.Id}.", StringComparison.Ordinal));

        ResealReport report;
        await using (var db = Context(after))
        {
            report = await PersonalDataRotation.ResealAsync(db, batchSize: 2, Cancel).Within();
        }

        Assert.True(report.Resealed >= 1 + application.Items.Count + 1, $"{report}");
        Assert.Equal(0, report.Conflicts);
        foreach (var (table, column) in new[] { ("applications", "Content"), ("application_items", "Result"), ("application_items", "History"), ("department_callbacks", "OutcomeJson") })
        {
            Assert.All(await RawAsync(table, column), v => Assert.StartsWith($"pd1.{New.Id}.", v, StringComparison.Ordinal));
        }

        // Nothing left for the old key: it can leave the key ring.
        await using (var db = Context(after))
        {
            Assert.Equal(0, (await PersonalDataRotation.ResealAsync(db, cancellationToken: Cancel).Within()).Resealed);
        }

        await using (var db = Context(new PersonalDataProtector([New], New.Id, IndexKey)))
        {
            var stored = await db.Applications.AsNoTracking().OfApplicant(after.ApplicantIndex("11010519491231002x")).ToListAsync(Cancel).Within();
            Assert.Equal(2, stored.Count);
            Assert.All(stored, a => Assert.Equal("11010519491231002X", a.Content.Applicant.IdNumber));
            Assert.Contains("11010519491231002X", (await db.DepartmentCallbacks.AsNoTracking().SingleAsync(Cancel).Within()).OutcomeJson, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ClearValueFromBeforeSealing_RefusedUnlessReadUnsealed_ThenResealed()
    {
        var protector = new PersonalDataProtector([Old], Old.Id, IndexKey);
        var draft = SubmittedApplications.Draft();
        await using (var db = Context(protector))
        {
            db.Applications.Add(draft);
            await db.SaveChangesAsync(Cancel).Within();
            var clear = protector.Open((await RawAsync("applications", "Content")).Single(), "applications.Content");
            await db.Database.ExecuteSqlAsync($"UPDATE applications SET \"Content\" = {clear}, \"ApplicantIndex\" = NULL WHERE \"Id\" = {draft.Id}", Cancel).Within();
        }

        await using (var db = Context(protector))
        {
            await AssertRefusedAsync(() => db.Applications.AsNoTracking().SingleAsync(a => a.Id == draft.Id, Cancel).Within());
        }

        await using (var db = Context(protector, readUnsealed: true))
        {
            Assert.Equal("张三", (await db.Applications.AsNoTracking().SingleAsync(a => a.Id == draft.Id, Cancel).Within()).Content.Applicant.Name);
            Assert.Equal(1, (await PersonalDataRotation.ResealAsync(db, cancellationToken: Cancel).Within()).Resealed);
        }

        Assert.All(await RawAsync("applications", "Content"), v => Assert.StartsWith($"pd1.{Old.Id}.", v, StringComparison.Ordinal));
        await using (var db = Context(protector))
        {
            Assert.Single(await db.Applications.AsNoTracking().OfApplicant(protector.ApplicantIndex(draft.Content.Applicant.IdNumber)).ToListAsync(Cancel).Within());
        }
    }

    [Fact]
    public async Task SealedValue_MovedToAnotherColumnOrRow_DoesNotOpen()
    {
        var protector = new PersonalDataProtector([Old], Old.Id, IndexKey);
        var (application, _) = SubmittedApplications.Submitted("move-" + SubmittedApplications.NewId());
        await using (var db = Context(protector))
        {
            db.Applications.Add(application);
            db.DepartmentCallbacks.Add(Callback(application.Id));
            await db.SaveChangesAsync(Cancel).Within();
            await db.Database.ExecuteSqlRawAsync("UPDATE department_callbacks SET \"OutcomeJson\" = (SELECT \"Content\" FROM applications LIMIT 1)", Cancel).Within();
        }

        await using (var db = Context(protector))
        {
            await AssertRefusedAsync(() => db.DepartmentCallbacks.AsNoTracking().SingleAsync(Cancel).Within());
        }
    }

    [Fact]
    public async Task FreeText_IdMobileAndAccountInAReason_StoredMasked()
    {
        await using (var db = Context(new PersonalDataProtector([Old], Old.Id, IndexKey)))
        {
            db.OperatorActions.Add(new OperatorActionRecord
            {
                OperatorId = "op-7",
                Kind = OperatorActionKind.Retry,
                Target = "applications/x/items/y",
                Reason = "申请人11010519491231002X来电（13800000000），账户6222020000000000000已核实",
                At = SubmittedApplications.Now,
                Outcome = "OK",
            });
            await db.SaveChangesAsync(Cancel).Within();
        }

        var stored = Assert.Single(await RawAsync("operator_actions", "Reason"));
        Assert.Equal("申请人110***********002X来电（138****0000），账户***************0000已核实", stored);
    }

    [Fact]
    public void Model_OnePerKeyRing_SharedBySameProtector_RefusedWithoutOne()
    {
        var a = new PersonalDataProtector([Old], Old.Id, IndexKey);
        var b = new PersonalDataProtector([New], New.Id, IndexKey);

        using var a1 = Context(a);
        using var a2 = Context(a);
        using var b1 = Context(b);

        // The model cache key decides sharing. (Comparing the models themselves flakes in the full
        // suite: every test hub builds a model of its own key ring, and EF's size-limited model cache
        // may evict one between two reads.)
        static object Key(DbContext c) => c.GetService<IModelCacheKeyFactory>().Create(c, designTime: false);
        Assert.Equal(Key(a1), Key(a2));
        Assert.NotEqual(Key(a1), Key(b1));
        Assert.NotSame(a1.Model, b1.Model);

        var builder = new DbContextOptionsBuilder<SqliteHubDbContext>();
        SqliteHubDbContext.Configure(builder, ConnectionString);
        using var bare = new SqliteHubDbContext(builder.Options);
        var e = Assert.Throws<InvalidOperationException>(() => bare.Model);
        Assert.Contains("AddHubPersonalData", e.Message, StringComparison.Ordinal);
        Assert.Contains("Security:PersonalData", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TwoHubsInOneProcess_DifferentKeys_EachReadsItsOwnOnly()
    {
        var a = new PersonalDataProtector([Old], Old.Id, IndexKey);
        var b = new PersonalDataProtector([New], New.Id, RandomNumberGenerator.GetBytes(32));
        var draftA = SubmittedApplications.Draft();
        var draftB = SubmittedApplications.Draft();
        await using (var db = Context(a))
        {
            db.Applications.Add(draftA);
            await db.SaveChangesAsync(Cancel).Within();
        }

        await using (var db = Context(b))
        {
            db.Applications.Add(draftB);
            await db.SaveChangesAsync(Cancel).Within();
            Assert.Equal("张三", (await db.Applications.AsNoTracking().SingleAsync(x => x.Id == draftB.Id, Cancel).Within()).Content.Applicant.Name);
            await AssertRefusedAsync(() => db.Applications.AsNoTracking().SingleAsync(x => x.Id == draftA.Id, Cancel).Within());
        }

        await using (var db = Context(a))
        {
            Assert.Equal("张三", (await db.Applications.AsNoTracking().SingleAsync(x => x.Id == draftA.Id, Cancel).Within()).Content.Applicant.Name);
            // The same person under the other hub's index key: only this hub's row is found.
            var mine = await db.Applications.AsNoTracking().OfApplicant(a.ApplicantIndex(draftB.Content.Applicant.IdNumber)).Select(x => x.Id).ToListAsync(Cancel).Within();
            Assert.Equal(new[] { draftA.Id }, mine);
        }
    }

    [Theory]
    [InlineData(null, "Security:PersonalData:Keys")]
    [InlineData("no-such-key", "Security:PersonalData:ActiveKey 'no-such-key'")]
    public async Task HubStart_WithoutUsableKeys_RefusesNamingTheSettings(string? activeKey, string expected)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Kestrel:Endpoints:Grpc:Url"] = "http://127.0.0.1:0",
            ["Kestrel:EndpointDefaults:Protocols"] = "Http2",
            ["Database:ConnectionString"] = ConnectionString,
            ["Departments:market-regulation:Endpoint"] = "http://127.0.0.1:1",
            ["Departments:tax:Endpoint"] = "http://127.0.0.1:1",
            ["Departments:human-resources:Endpoint"] = "http://127.0.0.1:1",
            ["Departments:social-insurance:Endpoint"] = "http://127.0.0.1:1",
            ["Departments:social-security-card:Endpoint"] = "http://127.0.0.1:1",
            ["Logging:LogLevel:Default"] = "None",
        };
        // Everything else the hub checks at start is in order (the lead's token settings among them).
        using var identity = new OneThing.Simulators.IdentityPlatformSimulator(TimeProvider.System);
        foreach (var (key, value) in identity.HubSettings())
        {
            settings[key] = value;
        }

        if (activeKey is not null)
        {
            foreach (var (key, value) in PersonalDataTestKeys.Settings)
            {
                settings[key] = value;
            }

            settings["Security:PersonalData:ActiveKey"] = activeKey;
        }

        var hub = HubHost.Build([], b => b.Configuration.AddInMemoryCollection(settings));
        await using (hub)
        {
            var e = await Assert.ThrowsAnyAsync<Exception>(() => hub.StartAsync(Cancel).Within());
            var failures = e is AggregateException all ? all.InnerExceptions : [e];
            var ours = Assert.Single(failures.OfType<OptionsValidationException>(), f => f.OptionsType == typeof(PersonalDataOptions));
            Assert.Contains(expected, ours.Message, StringComparison.Ordinal);
        }
    }

    /// <summary>EF Core wraps what a converter throws while reading; the cause must be the cipher's refusal.</summary>
    private static async Task AssertRefusedAsync(Func<Task> read)
    {
        var e = await Assert.ThrowsAnyAsync<Exception>(read);
        for (Exception? cause = e; cause is not null; cause = cause.InnerException)
        {
            if (cause is CryptographicException)
            {
                return;
            }
        }

        Assert.Fail($"expected a CryptographicException, got {e}");
    }

    private static DepartmentCallback Callback(string applicationId) => new()
    {
        Department = "social-security-card",
        CaseNumber = "SB-" + SubmittedApplications.NewId(),
        Sequence = 1,
        IdempotencyKey = SubmittedApplications.NewId(),
        ApplicationId = applicationId,
        ItemCode = "sscard.card-application",
        OutcomeKind = "COMPLETED",
        OutcomeJson = """{"result":{"bank_account":"6222020000000000000","operator_id_number":"11010519491231002X"}}""",
        ReceivedAt = SubmittedApplications.Now,
        Disposition = CallbackDisposition.Applied,
    };

    private SqliteHubDbContext Context(PersonalDataProtector protector, bool readUnsealed = false)
    {
        var builder = new DbContextOptionsBuilder<SqliteHubDbContext>();
        SqliteHubDbContext.Configure(builder, ConnectionString);
        builder.UsePersonalData(protector, readUnsealed);
        return new SqliteHubDbContext(builder.Options);
    }

    private async Task<List<string>> RawAsync(string table, string column)
    {
        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync(Cancel);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT \"{column}\" FROM {table}";
        var values = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(Cancel);
        while (await reader.ReadAsync(Cancel))
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }
}
