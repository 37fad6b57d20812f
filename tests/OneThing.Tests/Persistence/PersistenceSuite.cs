using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OneThing.Hub.Applications;
using OneThing.Hub.Dispatch;
using OneThing.Hub.Domain.Applications;
using OneThing.Hub.Hosting;
using OneThing.Hub.Persistence;
using OneThing.Tests.Support;

namespace OneThing.Tests.Persistence;

/// <summary>The persistence suite on SQLite (the embedded default); always runs.</summary>
public sealed class SqlitePersistenceTests(SqliteHubDatabase database) : PersistenceSuite<SqliteHubDatabase>(database);

/// <summary>
/// The persistence suite on a real PostgreSQL server (<c>ONETHING_TEST_POSTGRES</c>); skipped with
/// instructions when the variable is not set. <c>.ci/run</c> always sets it.
/// </summary>
public sealed class PostgresPersistenceTests(PostgresHubDatabase database) : PersistenceSuite<PostgresHubDatabase>(database);

/// <summary>
/// What the hub relies on from its database, run against every provider with a server here: one
/// transaction per submission, unique request ids under races, lease claims that only one worker
/// wins, instants as Unix milliseconds, and the JSON document columns.
/// </summary>
public abstract class PersistenceSuite<TDatabase>(TDatabase database) : IClassFixture<TDatabase>
    where TDatabase : HubDatabase
{
    private const int Claimers = 8;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SaveChanges_SubmittedApplication_ApplicationItemsAndTasksInOneTransaction()
    {
        SkipUnlessAvailable();
        var (application, tasks) = SubmittedApplications.Submitted("submit-" + SubmittedApplications.NewId());
        var watch = new TransactionWatch();

        await using (var db = database.NewContext(watch))
        {
            db.Applications.Add(application);
            db.DispatchTasks.AddRange(tasks);
            await db.SaveChangesAsync(Cancel).Within();
        }

        Assert.Equal(1, watch.Started);
        Assert.Equal(1, watch.Committed);
        Assert.NotEmpty(watch.Commands);
        Assert.All(watch.Commands, c => Assert.True(c.InTransaction, $"ran outside the transaction: {c.Sql}"));
        await using var read = database.NewContext();
        var stored = await read.Applications.AsNoTracking().SingleAsync(a => a.Id == application.Id, Cancel).Within();
        Assert.Equal(6, stored.Items.Count);
        Assert.Equal(ApplicationState.InProgress, stored.State);
        Assert.Equal(tasks.Count, await read.DispatchTasks.CountAsync(t => t.ApplicationId == application.Id, Cancel).Within());
        Assert.Equal(3, tasks.Count); // licence, pension and card have no prerequisite
    }

    [Fact]
    public async Task SaveChanges_SubmitRequestIdAlreadyTaken_NothingOfTheSecondSubmissionIsWritten()
    {
        SkipUnlessAvailable();
        var requestId = "submit-" + SubmittedApplications.NewId();
        var (first, firstTasks) = SubmittedApplications.Submitted(requestId);
        await using (var db = database.NewContext())
        {
            db.Applications.Add(first);
            db.DispatchTasks.AddRange(firstTasks);
            await db.SaveChangesAsync(Cancel).Within();
        }

        var (second, secondTasks) = SubmittedApplications.Submitted(requestId);
        await using (var db = database.NewContext())
        {
            db.Applications.Add(second);
            db.DispatchTasks.AddRange(secondTasks);
            var e = await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync(Cancel).Within());
            Assert.True(database.IsUniqueViolation(e), $"expected a unique-key violation, got: {e.InnerException?.Message}");
        }

        // The application row failed; its items and tasks, written in the same transaction, are gone too.
        await using var read = database.NewContext();
        Assert.False(await read.Applications.AnyAsync(a => a.Id == second.Id, Cancel).Within());
        Assert.Equal(0, await read.Items.CountAsync(i => i.ApplicationId == second.Id, Cancel).Within());
        Assert.Equal(0, await read.DispatchTasks.CountAsync(t => t.ApplicationId == second.Id, Cancel).Within());
        Assert.Equal(6, await read.Items.CountAsync(i => i.ApplicationId == first.Id, Cancel).Within());
    }

    [Fact]
    public async Task SaveChanges_SameSubmitRequestIdFromTwoContextsAtOnce_ExactlyOneWins()
    {
        SkipUnlessAvailable();
        for (var round = 0; round < 10; round++)
        {
            var requestId = $"race-{round}-{SubmittedApplications.NewId()}";
            var contenders = Enumerable.Range(0, 2).Select(_ => SubmittedApplications.Submitted(requestId)).ToList();

            var outcomes = await AllAtOnceAsync(contenders.Count, async (db, i) =>
            {
                db.Applications.Add(contenders[i].Application);
                db.DispatchTasks.AddRange(contenders[i].Tasks);
                try
                {
                    await db.SaveChangesAsync(Cancel);
                    return (Won: true, Error: (DbUpdateException?)null);
                }
                catch (DbUpdateException e)
                {
                    return (Won: false, Error: e);
                }
            });

            Assert.Equal(1, outcomes.Count(o => o.Won));
            var loser = outcomes.Single(o => !o.Won).Error!;
            Assert.True(database.IsUniqueViolation(loser), $"round {round}: expected a unique-key violation, got: {loser.InnerException?.Message}");
            await using var read = database.NewContext();
            var stored = await read.Applications.AsNoTracking().Where(a => a.SubmitRequestId == requestId).ToListAsync(Cancel).Within();
            var winner = Assert.Single(stored);
            var loserId = contenders.Select(c => c.Application.Id).Single(id => id != winner.Id);
            Assert.Equal(0, await read.Items.CountAsync(i => i.ApplicationId == loserId, Cancel).Within());
            Assert.Equal(0, await read.DispatchTasks.CountAsync(t => t.ApplicationId == loserId, Cancel).Within());
        }
    }

    [Fact]
    public async Task SaveChanges_ManyDraftsWithoutRequestIds_AllKept()
    {
        SkipUnlessAvailable();
        // Both request ids are NULL on a draft created without one: the unique indexes must allow any
        // number of NULLs (SQL Server needs a filtered index for that; see SqlServerHubDbContext).
        var drafts = Enumerable.Range(0, 3).Select(_ => SubmittedApplications.Draft()).ToList();
        await using (var db = database.NewContext())
        {
            db.Applications.AddRange(drafts);
            await db.SaveChangesAsync(Cancel).Within();
        }

        await using var read = database.NewContext();
        var ids = drafts.Select(d => d.Id).ToList();
        Assert.Equal(3, await read.Applications.CountAsync(a => ids.Contains(a.Id) && a.CreateRequestId == null && a.SubmitRequestId == null, Cancel).Within());
    }

    [Fact]
    public async Task CreateDraft_SameRequestIdFromTwoReplicasAtOnce_BothGetTheOneDraft()
    {
        SkipUnlessAvailable();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = database.Provider,
            ["Database:ConnectionString"] = database.ConnectionString,
        }).Build();
        await using var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton(SubmittedApplications.Catalog)
            .AddSingleton(TimeProvider.System)
            .AddSingleton<DispatchSignal>()
            .AddSingleton<ApplicationChangeFeed>()
            .AddScoped<ApplicationUseCases>()
            .AddSingleton<SharedDataLookups>()
            .AddSingleton(OneThing.Tests.Security.PersonalDataTestKeys.Protector)
            .AddHubDatabase(configuration)
            .BuildServiceProvider();

        for (var round = 0; round < 5; round++)
        {
            var requestId = $"create-{round}-{SubmittedApplications.NewId()}";
            var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var replicas = Enumerable.Range(0, 2).Select(async _ =>
            {
                await using var scope = services.CreateAsyncScope();
                var useCases = scope.ServiceProvider.GetRequiredService<ApplicationUseCases>();
                await start.Task;
                return await useCases.CreateDraftAsync(SubmittedApplications.Luoyang.Code, SubmittedApplications.Content(), requestId, Cancel);
            }).ToList();
            start.SetResult();
            var drafts = await Task.WhenAll(replicas).Within();

            Assert.Equal(drafts[0].Id, drafts[1].Id);
            await using var read = database.NewContext();
            Assert.Equal(1, await read.Applications.CountAsync(a => a.CreateRequestId == requestId, Cancel).Within());
        }
    }

    [Fact]
    public async Task SaveChanges_StaleRevision_SecondWriterGetsAConcurrencyConflict()
    {
        SkipUnlessAvailable();
        var draft = SubmittedApplications.Draft();
        await using (var db = database.NewContext())
        {
            db.Applications.Add(draft);
            await db.SaveChangesAsync(Cancel).Within();
        }

        await using var first = database.NewContext();
        await using var second = database.NewContext();
        var a = await first.Applications.SingleAsync(x => x.Id == draft.Id, Cancel).Within();
        var b = await second.Applications.SingleAsync(x => x.Id == draft.Id, Cancel).Within();
        a.UpdateDraft(SubmittedApplications.Content("王五"), SubmittedApplications.Now.AddMinutes(1));
        b.UpdateDraft(SubmittedApplications.Content("赵六"), SubmittedApplications.Now.AddMinutes(2));

        await first.SaveChangesAsync(Cancel).Within();
        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => second.SaveChangesAsync(Cancel).Within());

        await using var read = database.NewContext();
        Assert.Equal("王五", (await read.Applications.AsNoTracking().SingleAsync(x => x.Id == draft.Id, Cancel).Within()).Content.Applicant.Name);
    }

    [Fact]
    public async Task LeaseClaim_ManyWorkersClaimTheSameTaskAtOnce_ExactlyOneWins()
    {
        SkipUnlessAvailable();
        var now = SubmittedApplications.Now;
        for (var round = 0; round < 5; round++)
        {
            var id = await AddTaskAsync(now.AddSeconds(-1));

            var won = await AllAtOnceAsync(Claimers, (db, i) => ClaimAsync(db, id, $"worker-{i}", now, now.AddMinutes(2)));

            Assert.Equal(1, won.Sum());
            await using var read = database.NewContext();
            var task = await read.DispatchTasks.AsNoTracking().SingleAsync(t => t.Id == id, Cancel).Within();
            Assert.Equal($"worker-{Array.IndexOf(won, 1)}", task.LeaseOwner);
            Assert.Equal(now.AddMinutes(2).ToUnixTimeMilliseconds(), task.LeaseExpiresAt!.Value.ToUnixTimeMilliseconds());
        }
    }

    [Fact]
    public async Task LeaseClaim_ExpiredLease_TakenOverByExactlyOne_UnexpiredLease_Kept()
    {
        SkipUnlessAvailable();
        var now = SubmittedApplications.Now;
        var expired = await AddTaskAsync(now.AddMinutes(-5), leaseOwner: "dead-replica", leaseExpiresAt: now.AddMilliseconds(-1));
        var running = await AddTaskAsync(now.AddMinutes(-5), leaseOwner: "live-replica", leaseExpiresAt: now.AddMilliseconds(1));

        var takeovers = await AllAtOnceAsync(Claimers, (db, i) => ClaimAsync(db, expired, $"worker-{i}", now, now.AddMinutes(2)));
        var steals = await AllAtOnceAsync(Claimers, (db, i) => ClaimAsync(db, running, $"worker-{i}", now, now.AddMinutes(2)));

        Assert.Equal(1, takeovers.Sum());
        Assert.Equal(0, steals.Sum());
        await using var read = database.NewContext();
        Assert.Equal("live-replica", (await read.DispatchTasks.AsNoTracking().SingleAsync(t => t.Id == running, Cancel).Within()).LeaseOwner);
        Assert.StartsWith("worker-", (await read.DispatchTasks.AsNoTracking().SingleAsync(t => t.Id == expired, Cancel).Within()).LeaseOwner, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DateTimeOffset_StoredAsUnixMilliseconds_ReadBackAsTheSameInstantInUtc()
    {
        SkipUnlessAvailable();
        var dueAt = SubmittedApplications.Now; // +08:00, with ticks below the millisecond
        var id = await AddTaskAsync(dueAt, leaseOwner: "w", leaseExpiresAt: new DateTimeOffset(1969, 12, 31, 23, 59, 59, 999, TimeSpan.Zero));

        await using var db = database.NewContext();
        var raw = await db.Database
            .SqlQuery<long>($"SELECT \"DueAt\" AS \"Value\" FROM dispatch_tasks WHERE \"Id\" = {id}")
            .SingleAsync(Cancel).Within();
        var rawLease = await db.Database
            .SqlQuery<long>($"SELECT \"LeaseExpiresAt\" AS \"Value\" FROM dispatch_tasks WHERE \"Id\" = {id}")
            .SingleAsync(Cancel).Within();
        var task = await db.DispatchTasks.AsNoTracking().SingleAsync(t => t.Id == id, Cancel).Within();

        Assert.Equal(dueAt.ToUnixTimeMilliseconds(), raw);
        Assert.Equal(-1, rawLease);
        Assert.Equal(TimeSpan.Zero, task.DueAt.Offset);
        Assert.Equal(dueAt.AddTicks(-(dueAt.Ticks % TimeSpan.TicksPerMillisecond)), task.DueAt);
        Assert.Equal(new DateTimeOffset(1969, 12, 31, 23, 59, 59, 999, TimeSpan.Zero), task.LeaseExpiresAt);

        // Comparisons happen in SQL on the numbers, to the millisecond.
        var millisecond = TimeSpan.FromMilliseconds(1);
        Assert.True(await db.DispatchTasks.AnyAsync(t => t.Id == id && t.DueAt <= task.DueAt, Cancel).Within());
        Assert.False(await db.DispatchTasks.AnyAsync(t => t.Id == id && t.DueAt <= task.DueAt - millisecond, Cancel).Within());
    }

    [Fact]
    public async Task JsonColumns_ContentResultReasonsAndHistory_RoundTripUnchanged()
    {
        SkipUnlessAvailable();
        var (application, tasks) = SubmittedApplications.Submitted("json-" + SubmittedApplications.NewId());
        var later = SubmittedApplications.Now.AddMinutes(3);
        application.RecordDecision("market.licence-verification", new ItemDecision.Completed("市监核验〔2026〕1号",
            new Dictionary<string, string> { ["uscc"] = "92410302MA9XXXXX1K", ["entity_name"] = "洛阳市老城区张三小吃店", ["registration_date"] = "2022-01-01" },
            "核验通过"), later);
        application.RecordDecision("sscard.card-application", new ItemDecision.Rejected("SS-1",
            [new ItemReason("CARD_EXISTS", "已持有有效社会保障卡，不能重复申领", "card.photo_receipt_no")]), later);
        await using (var db = database.NewContext())
        {
            db.Applications.Add(application);
            db.DispatchTasks.AddRange(tasks);
            await db.SaveChangesAsync(Cancel).Within();
        }

        await using var read = database.NewContext();
        var stored = await read.Applications.AsNoTracking().SingleAsync(a => a.Id == application.Id, Cancel).Within();
        Assert.Equivalent(application.Content, stored.Content, strict: true);
        foreach (var expected in application.Items)
        {
            var actual = stored.Items.Single(i => i.ItemCode == expected.ItemCode);
            Assert.Equal(expected.Prerequisites, actual.Prerequisites);
            Assert.Equal(expected.Result, actual.Result);
            Assert.Equal(expected.Reasons, actual.Reasons);
            Assert.Equal(expected.History, actual.History); // records: instants with their offsets, states, Chinese text
        }

        // The documents are sealed at rest; opened, they are readable JSON: Chinese kept as is, enums by name.
        var content = await read.Database
            .SqlQuery<string>($"SELECT \"Content\" AS \"Value\" FROM applications WHERE \"Id\" = {application.Id}")
            .SingleAsync(Cancel).Within();
        Assert.StartsWith("pd1.", content, StringComparison.Ordinal);
        Assert.DoesNotContain(application.Content.Applicant.IdNumber, content, StringComparison.Ordinal);
        var opened = OneThing.Tests.Security.PersonalDataTestKeys.Protector.Open(content, "applications.Content");
        Assert.Contains("\"name\":\"张三\"", opened, StringComparison.Ordinal);
        Assert.Contains("\"sex\":\"Male\"", opened, StringComparison.Ordinal);
    }

    private void SkipUnlessAvailable() => Assert.SkipUnless(database.Available, database.SkipReason);

    /// <summary>The claim <see cref="DispatchWorker"/> makes: the production statement itself.</summary>
    private static async Task<int> ClaimAsync(HubDbContext db, long id, string owner, DateTimeOffset now, DateTimeOffset expires) =>
        await DispatchLeases.TryClaimAsync(db, id, owner, now, expires, Cancel) ? 1 : 0;

    private async Task<long> AddTaskAsync(DateTimeOffset dueAt, string? leaseOwner = null, DateTimeOffset? leaseExpiresAt = null)
    {
        var (application, _) = SubmittedApplications.Submitted("task-" + SubmittedApplications.NewId());
        var task = SubmittedApplications.Task(application.Id, "market.licence-verification", dueAt);
        task.LeaseOwner = leaseOwner;
        task.LeaseExpiresAt = leaseExpiresAt;
        await using var db = database.NewContext();
        db.Applications.Add(application);
        db.DispatchTasks.Add(task);
        await db.SaveChangesAsync(Cancel).Within();
        return task.Id;
    }

    /// <summary>
    /// Runs <paramref name="count"/> operations, each on its own context with its connection already
    /// open, released together so that they really race in the database.
    /// </summary>
    private async Task<T[]> AllAtOnceAsync<T>(int count, Func<HubDbContext, int, Task<T>> operation)
    {
        var ready = new CountdownEvent(count);
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var runs = Enumerable.Range(0, count).Select(i => Task.Run(async () =>
        {
            await using var db = database.NewContext();
            await db.Database.OpenConnectionAsync(Cancel);
            ready.Signal();
            await start.Task;
            return await operation(db, i);
        }, Cancel)).ToList();
        Assert.True(await Task.Run(() => ready.Wait(Bounded.Default, Cancel), Cancel).Within(), "the contenders did not all connect in time");
        start.SetResult();
        var results = await Task.WhenAll(runs).Within();
        ready.Dispose();
        return results;
    }

    /// <summary>Counts transactions and records whether each command ran inside one.</summary>
    private sealed class TransactionWatch : DbCommandInterceptor, IDbTransactionInterceptor
    {
        private int _started;
        private int _committed;

        public int Started => _started;

        public int Committed => _committed;

        public List<(string Sql, bool InTransaction)> Commands { get; } = [];

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Record(command);
            return ValueTask.FromResult(result);
        }

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            Record(command);
            return ValueTask.FromResult(result);
        }

        public ValueTask<DbTransaction> TransactionStartedAsync(DbConnection connection, TransactionEndEventData eventData, DbTransaction result, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _started);
            return ValueTask.FromResult(result);
        }

        public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _committed);
            return Task.CompletedTask;
        }

        private void Record(DbCommand command)
        {
            lock (Commands)
            {
                Commands.Add((command.CommandText, command.Transaction is not null));
            }
        }
    }
}
