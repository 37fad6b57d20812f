using System.Diagnostics;
using Grpc.Core;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OneThing.Hub.Persistence;
using OneThing.Hub.Security.Audit;
using OneThing.Hub.V1;
using OneThing.Sandbox;
using OneThing.Sandbox.Cli;
using OneThing.Tests.Persistence;
using OneThing.Tests.Support;
using Spectre.Console.Testing;

namespace OneThing.Tests.Security;

/// <summary>
/// The audit log in the database: written with every change and read, chained linearly by concurrent
/// chainers, and verified so that a row changed or removed by SQL is named at its own sequence.
/// </summary>
public sealed class AuditLogTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Chain_ConcurrentWritersAndChainersOnOneSqliteFile_OneGaplessChain()
    {
        await using var database = new SqliteHubDatabase();
        await database.InitializeAsync().AsTask().Within();

        var (written, elapsed) = await WriteAndChainConcurrentlyAsync(database, writers: 4, rowsEach: 60, chainers: 3).Within();

        await using var db = database.NewContext();
        await AuditChainer.ChainPendingAsync(db, Ct).Within();
        var result = await AuditVerifier.VerifyAsync(db, Ct).Within();
        Assert.True(result.Intact, $"broken at {result.FirstBroken}");
        Assert.Equal(written, result.Verified);
        Assert.Equal(written, result.LastSequence);
        Assert.Equal(0, result.Unchained);
        var sequences = await db.AuditLog.AsNoTracking().Select(r => r.Sequence!.Value).OrderBy(s => s).ToListAsync(Ct).Within();
        Assert.Equal(Enumerable.Range(1, written).Select(i => (long)i), sequences);
        TestContext.Current.TestOutputHelper?.WriteLine($"sqlite: {written} rows by 4 writers and 3 chainers in {elapsed.TotalMilliseconds:0} ms");
    }

    [Fact]
    public async Task Chain_WhileAnotherReplicaHoldsTheChainLock_LeavesTheRowsToIt_OnPostgres()
    {
        await using var database = new PostgresHubDatabase();
        Assert.SkipUnless(database.Available, database.SkipReason);
        await database.InitializeAsync().AsTask().Within();
        await using var other = database.NewContext();
        await using var db = database.NewContext();
        for (var i = 0; i < 3; i++)
        {
            AuditTrail.Record(db, "application.read", AuditTrail.Resource($"r{i}"), AuditTrail.Detail(("n", "1")));
        }

        await db.SaveChangesAsync(Ct).Within();
        db.ChangeTracker.Clear();

        // Another replica is chaining (it holds the section for its transaction).
        await using (var holding = await other.Database.BeginTransactionAsync(Ct).Within())
        {
            Assert.True(await ExclusiveSection.TryEnterAsync(other, ExclusiveSection.AuditChain, Ct).Within());
            Assert.Equal(0, await AuditChainer.ChainPendingAsync(db, Ct).Within());
            Assert.Equal(3, await db.AuditLog.CountAsync(r => r.Sequence == null, Ct).Within());
            await holding.RollbackAsync(Ct).Within();
        }

        // Released with its transaction (or its connection, if the replica died): the next look links them.
        Assert.Equal(3, await AuditChainer.ChainPendingAsync(db, Ct).Within());
        Assert.True((await AuditVerifier.VerifyAsync(db, Ct).Within()).Intact);
        await using var outside = await db.Database.BeginTransactionAsync(Ct).Within();
        Assert.True(await ExclusiveSection.TryEnterAsync(db, ExclusiveSection.AuditChain, Ct).Within());
    }

    [Fact]
    public async Task Chain_ConcurrentWritersAndChainersOnPostgres_OneGaplessChain()
    {
        await using var database = new PostgresHubDatabase();
        Assert.SkipUnless(database.Available, database.SkipReason);
        await database.InitializeAsync().AsTask().Within();

        var (written, elapsed) = await WriteAndChainConcurrentlyAsync(database, writers: 6, rowsEach: 60, chainers: 3).Within();

        await using var db = database.NewContext();
        await AuditChainer.ChainPendingAsync(db, Ct).Within();
        var result = await AuditVerifier.VerifyAsync(db, Ct).Within();
        Assert.True(result.Intact, $"broken at {result.FirstBroken}");
        Assert.Equal(written, result.Verified);
        Assert.Equal(0, result.Unchained);
        var sequences = await db.AuditLog.AsNoTracking().Select(r => r.Sequence!.Value).OrderBy(s => s).ToListAsync(Ct).Within();
        Assert.Equal(Enumerable.Range(1, written).Select(i => (long)i), sequences);

        // A row changed behind the hub's back is named on PostgreSQL too.
        Assert.Equal(1, await db.Database.ExecuteSqlRawAsync("UPDATE audit_log SET \"Action\" = 'application.deleted' WHERE \"Sequence\" = 42", Ct).Within());
        var tampered = await db.AuditLog.AsNoTracking().SingleAsync(r => r.Sequence == 42, Ct).Within();
        Assert.Equal("application.deleted", tampered.Action);
        Assert.Equal(42, (await AuditVerifier.VerifyAsync(db, Ct).Within()).FirstBroken);
        TestContext.Current.TestOutputHelper?.WriteLine($"postgres: {written} rows by 6 writers and 3 chainers in {elapsed.TotalMilliseconds:0} ms");
    }

    [Theory]
    [InlineData("UPDATE audit_log SET Detail = '{\"state\":\"Granted\"}' WHERE Sequence = 17", 17)]
    [InlineData("UPDATE audit_log SET Action = 'application.read' WHERE Sequence = 23", 23)]
    [InlineData("UPDATE audit_log SET Actor = 'operator:someone-else' WHERE Sequence = 1", 1)]
    [InlineData("DELETE FROM audit_log WHERE Sequence = 9", 9)]
    [InlineData("UPDATE audit_log SET Sequence = NULL WHERE Sequence = 30", 30)]
    public async Task Verify_OneRowChangedBySql_FailsAtThatRow(string tamper, long expected)
    {
        await using var database = new SqliteHubDatabase();
        await database.InitializeAsync().AsTask().Within();
        await using (var db = database.NewContext())
        {
            for (var i = 0; i < 40; i++)
            {
                AuditTrail.Record(db, "item.granted", AuditTrail.Resource($"app{i:D3}", "tax.taxpayer-confirmation"), AuditTrail.Detail(("state", "Granted"), ("step", "3")));
            }

            await db.SaveChangesAsync(Ct).Within();
            Assert.Equal(40, await AuditChainer.ChainPendingAsync(db, Ct).Within());
            Assert.True((await AuditVerifier.VerifyAsync(db, Ct).Within()).Intact);
        }

        await ExecuteOnFileAsync(database.ConnectionString, tamper);

        await using var check = database.NewContext();
        var result = await AuditVerifier.VerifyAsync(check, Ct).Within();
        Assert.Equal(expected, result.FirstBroken);
        Assert.Equal(expected - 1, result.Verified);
    }

    [Fact]
    public async Task AppendOnly_UpdateOrDeleteThroughTheHub_Refused()
    {
        await using var database = new SqliteHubDatabase();
        await database.InitializeAsync().AsTask().Within();
        var interceptor = new AuditInterceptor(new AuditSignal());
        await using var db = database.NewContext(interceptor);
        AuditTrail.Record(db, "application.read", "applications/x", "{}");
        await db.SaveChangesAsync(Ct).Within();
        await AuditChainer.ChainPendingAsync(db, Ct).Within();

        var row = await db.AuditLog.SingleAsync(Ct).Within();
        row.Detail = "{\"forged\":\"1\"}";
        await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync(Ct)).Within();
        db.ChangeTracker.Clear();

        db.AuditLog.Remove(await db.AuditLog.SingleAsync(Ct).Within());
        await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync(Ct)).Within();
        db.ChangeTracker.Clear();

        var chained = await db.AuditLog.SingleAsync(Ct).Within();
        chained.Hash = new string('0', 64);
        await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync(Ct)).Within();
    }

    [Fact]
    public async Task Interceptor_ChangesWithoutDomainEvents_RecordedInTheSameSave()
    {
        await using var database = new SqliteHubDatabase();
        await database.InitializeAsync().AsTask().Within();
        var draft = SubmittedApplications.Draft();
        var now = SubmittedApplications.Now;
        await using (var db = database.NewContext(new AuditInterceptor(new AuditSignal())))
        {
            db.Applications.Add(draft);
            await db.SaveChangesAsync(Ct).Within();
            db.OperatorActions.Add(new OperatorActionRecord { OperatorId = "op-7", Kind = OperatorActionKind.Cancel, Target = AuditTrail.Resource(draft.Id, "tax.taxpayer-confirmation"), Reason = "联系电话13800000000", At = now, Outcome = "OK" });
            db.Ratings.Add(new RatingRecord { ApplicationId = draft.Id, Overall = 1, RequestId = "r1", CreatedAt = now });
            db.FollowUps.Add(new FollowUpRecord { ApplicationId = draft.Id, ThemeCode = draft.ThemeCode, Overall = 1, State = FollowUpState.Open, CreatedAt = now });
            await db.SaveChangesAsync(Ct).Within();
            db.Applications.Remove(draft);
            await db.SaveChangesAsync(Ct).Within();
        }

        await using var check = database.NewContext();
        var rows = await check.AuditLog.AsNoTracking().OrderBy(r => r.Id).ToListAsync(Ct).Within();
        Assert.Equal(["operator.cancel", "rating.submitted", "rating.follow_up_opened", "application.deleted"], rows.Select(r => r.Action));
        Assert.All(rows, r => Assert.Equal("system:hub", r.Actor));
        Assert.DoesNotContain(rows, r => r.Detail.Contains("13800000000", StringComparison.Ordinal));
        Assert.Equal(4, await AuditChainer.ChainPendingAsync(check, Ct).Within());
        Assert.True((await AuditVerifier.VerifyAsync(check, Ct).Within()).Intact);
    }

    [Fact]
    public async Task Flow_ThroughTheSandbox_LeavesAVerifiedChain_AndTamperingIsNamedByTheCli()
    {
        await using var sandbox = await HubSandbox.StartAsync(callbacks: true).Within(TimeSpan.FromSeconds(90));
        var person = sandbox.Simulators.Population.Scenarios.Ready;
        var submitted = await sandbox.SubmitAsync(SampleApplications.Luoyang(person, sandbox.Today));
        await sandbox.WaitForCompletionAsync(submitted.Name);
        await sandbox.Applications.GetApplicationAsync(new GetApplicationRequest { Name = submitted.Name }, Bounded.Options).Within();
        await sandbox.Applications.ListApplicationsAsync(new ListApplicationsRequest(), Bounded.Options).Within();

        List<AuditRecord> rows;
        await using (var scope = sandbox.HubServices.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
            await WaitUntilChainedAsync(db);
            var result = await AuditVerifier.VerifyAsync(db, Ct).Within();
            Assert.True(result.Intact, $"broken at {result.FirstBroken}");
            // The hub keeps writing rows after the wait (reads audited as the watch ends, workers'
            // late rows); the verification covers exactly the rows chained when it ran.
            rows = await db.AuditLog.AsNoTracking().OrderBy(r => r.Id).ToListAsync(Ct).Within();
            Assert.Equal(rows.Count(r => r.Sequence <= result.LastSequence), result.Verified);
        }

        var id = submitted.Name["applications/".Length..];
        var mine = rows.Where(r => r.Resource.StartsWith(submitted.Name, StringComparison.Ordinal)).ToList();
        Assert.Contains(mine, r => r.Action == "application.submitted" && r.Resource == submitted.Name);
        Assert.Contains(mine, r => r.Action == "application.read" && r.Detail.Contains("GetApplication", StringComparison.Ordinal));
        Assert.Contains(mine, r => r.Action == "application.read" && r.Detail.Contains("WatchApplication", StringComparison.Ordinal));
        Assert.Contains(mine, r => r.Action == "application.read" && r.Detail.Contains("ListApplications", StringComparison.Ordinal));
        Assert.Equal(SampleApplications.LuoyangItems.Count, mine.Where(r => r.Action == "item.succeeded").Select(r => r.Resource).Distinct().Count());
        Assert.All(mine.Where(r => r.Action.StartsWith("item.", StringComparison.Ordinal) && r.Actor.StartsWith("system:", StringComparison.Ordinal)), r => Assert.Equal("internal", r.Origin));
        Assert.All(mine.Where(r => r.Action == "application.submitted"), r => Assert.False(r.Actor.StartsWith("system:", StringComparison.Ordinal), r.Actor));
        Assert.All(mine.Where(r => r.Action == "callback.received"), r => Assert.StartsWith("department:", r.Actor, StringComparison.Ordinal));
        Assert.All(rows, r =>
        {
            var text = string.Join('|', r.Actor, r.Resource, r.Origin, r.Detail);
            Assert.DoesNotContain(person.IdNumber, text, StringComparison.Ordinal);
            Assert.DoesNotContain(person.Mobile, text, StringComparison.Ordinal);
        });
        TestContext.Current.TestOutputHelper?.WriteLine($"one Luoyang flow (+ get, list): {rows.Count} audit rows, {mine.Count} on the application {id}; actions: " +
            string.Join(", ", rows.GroupBy(r => r.Action).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key}×{g.Count()}")));

        // Untouched, the CLI says so; one row changed by SQL in the file, it names that row's sequence.
        var (okCode, okOutput) = await RunCliAsync(["audit", "verify", "--database", sandbox.DatabaseFile]);
        Assert.True(okCode == ExitCodes.Ok, okOutput);
        Assert.Contains("intact", okOutput, StringComparison.Ordinal);

        var health = sandbox.HubServices.GetRequiredService<HealthCheckService>();
        var before = (await health.CheckHealthAsync(c => c.Name == "audit", Ct).Within()).Entries["audit"];
        Assert.Equal(HealthStatus.Healthy, before.Status);

        var target = rows.First(r => r.Action == "application.submitted").Sequence!.Value;
        await ExecuteOnFileAsync($"Data Source={sandbox.DatabaseFile}", $"UPDATE audit_log SET Detail = '{{\"theme\":\"forged\"}}' WHERE Sequence = {target}");
        var (code, output) = await RunCliAsync(["audit", "verify", "--database", sandbox.DatabaseFile]);
        Assert.True(code == 6, output);
        Assert.Contains($"sequence {target}", output, StringComparison.Ordinal);

        // The running hub's health check verified up to the head before; a fresh look from the start
        // (a restarted hub) names the broken row as well.
        var monitor = new AuditMonitor();
        await using var verifyScope = sandbox.HubServices.CreateAsyncScope();
        var fresh = await monitor.LookAsync(verifyScope.ServiceProvider.GetRequiredService<HubDbContext>(), Ct).Within();
        Assert.Equal(target, fresh.FirstBroken);
    }

    [Fact]
    public async Task EvidenceFirst_AuditRowCannotBeWritten_SubmitFailsAndLeavesNoApplication()
    {
        var failing = new FailingAuditInsert();
        await using var sandbox = await HubSandbox.StartAsync(hubServices: services =>
            services.ConfigureDbContext<SqliteHubDbContext>((_, o) => o.AddInterceptors(failing))).Within(TimeSpan.FromSeconds(90));
        var person = sandbox.Simulators.Population.Scenarios.Ready;

        failing.Armed = true;
        await Assert.ThrowsAsync<RpcException>(() => sandbox.SubmitAsync(SampleApplications.Luoyang(person, sandbox.Today))).Within();
        Assert.True(failing.Refused > 0);

        await using var scope = sandbox.HubServices.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        Assert.Equal(0, await db.Applications.CountAsync(Ct).Within());
        Assert.Equal(0, await db.DispatchTasks.CountAsync(Ct).Within());
        Assert.Equal(0, await db.AuditLog.CountAsync(Ct).Within());

        // Once the audit can be written again, the same submission goes through.
        failing.Armed = false;
        var submitted = await sandbox.SubmitAsync(SampleApplications.Luoyang(person, sandbox.Today));
        Assert.StartsWith("applications/", submitted.Name, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_FiveThousandRows_Timed()
    {
        await using var database = new SqliteHubDatabase();
        await database.InitializeAsync().AsTask().Within();
        await using var db = database.NewContext();
        for (var batch = 0; batch < 5; batch++)
        {
            for (var i = 0; i < 1000; i++)
            {
                AuditTrail.Record(db, "application.read", AuditTrail.Resource($"{batch:D2}{i:D30}"), AuditTrail.Detail(("rpc", "GetApplication")));
            }

            await db.SaveChangesAsync(Ct).Within();
            db.ChangeTracker.Clear();
        }

        var chain = Stopwatch.StartNew();
        Assert.Equal(5_000, await AuditChainer.ChainPendingAsync(db, Ct).Within());
        chain.Stop();
        var verify = Stopwatch.StartNew();
        var result = await AuditVerifier.VerifyAsync(db, Ct).Within();
        verify.Stop();
        Assert.True(result.Intact);
        Assert.Equal(5_000, result.Verified);
        TestContext.Current.TestOutputHelper?.WriteLine($"5000 rows: chained in {chain.ElapsedMilliseconds} ms, verified in {verify.ElapsedMilliseconds} ms");
    }

    private static async Task<(int Written, TimeSpan Elapsed)> WriteAndChainConcurrentlyAsync(HubDatabase database, int writers, int rowsEach, int chainers)
    {
        var started = Stopwatch.StartNew();
        using var done = new CancellationTokenSource();
        var writing = Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            await using var db = database.NewContext();
            for (var i = 0; i < rowsEach; i++)
            {
                AuditTrail.Record(db, "application.read", AuditTrail.Resource($"w{w}-{i}"), AuditTrail.Detail(("writer", w.ToString(System.Globalization.CultureInfo.InvariantCulture))));
                await db.SaveChangesAsync(Ct);
                db.ChangeTracker.Clear();
            }
        }, Ct)).ToList();
        var chaining = Enumerable.Range(0, chainers).Select(_ => Task.Run(async () =>
        {
            await using var db = database.NewContext();
            while (!done.IsCancellationRequested)
            {
                await AuditChainer.ChainPendingAsync(db, Ct);
                await Task.Delay(2, Ct);
            }
        }, Ct)).ToList();
        await Task.WhenAll(writing);
        await done.CancelAsync();
        await Task.WhenAll(chaining);
        return (writers * rowsEach, started.Elapsed);
    }

    private static async Task WaitUntilChainedAsync(HubDbContext db)
    {
        var until = Stopwatch.StartNew();
        while (await db.AuditLog.CountAsync(r => r.Sequence == null, Ct).Within() > 0)
        {
            Assert.True(until.Elapsed < TimeSpan.FromSeconds(30), "the hub's chainer did not link the audit rows within 30 s");
            await Task.Delay(100, Ct);
        }
    }

    private static async Task ExecuteOnFileAsync(string connectionString, string sql)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(Ct).Within();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        Assert.Equal(1, await command.ExecuteNonQueryAsync(Ct).Within());
    }

    private static async Task<(int Code, string Output)> RunCliAsync(string[] args)
    {
        var console = new TestConsole();
        console.Profile.Width = 300;
        var code = await OnethingCli.InvokeAsync(args, console, Ct).Within(TimeSpan.FromSeconds(60));
        return (code, console.Output);
    }

    /// <summary>Fails every insert into the audit table while armed, as a full disk or a revoked grant would.</summary>
    private sealed class FailingAuditInsert : DbCommandInterceptor
    {
        public volatile bool Armed;
        private int _refused;

        public int Refused => _refused;

        public override ValueTask<InterceptionResult<System.Data.Common.DbDataReader>> ReaderExecutingAsync(
            System.Data.Common.DbCommand command, CommandEventData eventData, InterceptionResult<System.Data.Common.DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Check(command);
            return ValueTask.FromResult(result);
        }

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
            System.Data.Common.DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            Check(command);
            return ValueTask.FromResult(result);
        }

        private void Check(System.Data.Common.DbCommand command)
        {
            if (Armed && command.CommandText.Contains("INSERT INTO \"audit_log\"", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref _refused);
                throw new InvalidOperationException("audit storage unavailable (test)");
            }
        }
    }
}
