using System.Diagnostics;
using OneThing.Hub.Domain.Applications;
using OneThing.Simulators;
using OneThing.Tests.Persistence;
using OneThing.Tests.Support;

namespace OneThing.Tests.Soak;

/// <summary>
/// Three hub processes on one PostgreSQL database share the dispatch work through leases; one is
/// killed with SIGKILL mid-run and nothing in the outcome changes. Skipped without
/// <c>ONETHING_TEST_POSTGRES</c> (CI always sets it).
/// </summary>
public sealed class ReplicaTests(PostgresHubDatabase database) : IClassFixture<PostgresHubDatabase>
{
    private const int Applications = 500;
    private const int Replicas = 3;
    private const int Concurrency = 16;

    [Fact]
    public async Task ThreeReplicas_OneKilledMidRun_EveryCaseCreatedOnceAndOutcomeUnchanged()
    {
        Assert.SkipUnless(database.Available, database.SkipReason);
        var cancellationToken = TestContext.Current.CancellationToken;

        var baseline = await RunAsync(killOne: false, cancellationToken);
        var killed = await RunAsync(killOne: true, cancellationToken);

        Figures.Record("replicas", $"without a kill: {baseline.Summary}", $"with a kill:    {killed.Summary}");
        Assert.Equal(Applications, baseline.Outcome.Count);
        Assert.Equal(Applications, killed.Outcome.Count);
        foreach (var (person, expected) in baseline.Outcome)
        {
            Assert.True(killed.Outcome.TryGetValue(person, out var actual), $"person {person}: no application after the kill");
            Assert.Equal(expected, actual);
        }

        Assert.Equal(baseline.CasesByDepartment, killed.CasesByDepartment);
    }

    private async Task<RunResult> RunAsync(bool killOne, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var connectionString = await database.CreateDatabaseAsync().Within();
        var reader = new HubDatabaseReader("postgres", connectionString);
        await reader.MigrateAsync(cancellationToken).Within();

        // The same seed in both runs: the same people, and departments that decide the same way.
        await using var simulators = await SimulatorCluster.StartAsync(new SimulatorOptions
        {
            PopulationSize = Applications,
            CompletionDelay = TimeSpan.FromMilliseconds(200),
        }, cancellationToken).Within();

        var logs = Path.Combine(Path.GetTempPath(), "onething-tests", "replicas-" + Guid.NewGuid().ToString("N")[..8]);
        var settings = HubProcess.Settings(simulators, "postgres", connectionString);
        var hubs = new List<HubProcess>();
        try
        {
            hubs.AddRange(await Task.WhenAll(Enumerable.Range(1, Replicas)
                .Select(i => HubProcess.StartAsync($"replica-{i}", settings, logs, cancellationToken: cancellationToken, identity: simulators.Identity))).Within(TimeSpan.FromMinutes(3)));

            var startedAt = watch.Elapsed;

            // Kill replica 2 when about 40% is accepted: it holds leases on calls in flight by then.
            var victim = hubs[1];
            var killedAt = -1;
            var load = new ApplicationLoad(hubs, simulators);
            await load.RunAsync(Applications, Concurrency, accepted =>
            {
                if (killOne && accepted >= Applications * 2 / 5 && Interlocked.CompareExchange(ref killedAt, accepted, -1) == -1)
                {
                    victim.Kill();
                }

                return Task.CompletedTask;
            }, cancellationToken).Within(TimeSpan.FromMinutes(3));
            var acceptedAt = watch.Elapsed;
            Assert.Equal(Applications, load.Accepted.Count);
            Assert.True(!killOne || killedAt > 0, "the replica was not killed");

            await reader.WaitAllCompletedAsync(Applications, TimeSpan.FromMinutes(3), cancellationToken, () => string.Join("\n", hubs.Select(h => h.LogTail(5))));
            var applications = await reader.ApplicationsAsync(cancellationToken).Within();

            // Everything the hub accepted is there and complete; every case was created exactly once.
            Assert.Equal(load.Accepted.Values.Order(StringComparer.Ordinal), applications.Select(a => a.Id).Order(StringComparer.Ordinal));
            Assert.All(applications, a => Assert.Equal(ApplicationState.Completed, a.State));
            var ledger = DepartmentLedger.Check(simulators, applications);
            foreach (var line in ledger)
            {
                Figures.Record("replicas", (killOne ? "[kill] " : "[base] ") + line);
            }

            var byId = load.Accepted.ToDictionary(p => p.Value, p => p.Key);
            var outcome = applications.ToDictionary(a => byId[a.Id], Describe);
            var summary = $"{Applications} applications, {applications.Sum(a => a.Items.Count)} items in {watch.Elapsed.TotalSeconds:0.0} s " +
                $"(replicas up {startedAt.TotalSeconds:0.0} s, all accepted {acceptedAt.TotalSeconds:0.0} s), " +
                $"{load.Retries} submit retries ({load.Failures}), replica killed at {(killOne ? killedAt.ToString(System.Globalization.CultureInfo.InvariantCulture) : "-")} accepted, " +
                $"duplicate filings {simulators.All.Sum(d => d.DuplicateCount)}, replays of a key {simulators.All.Sum(d => d.ReplayCount)}";
            return new RunResult(outcome, simulators.All.ToDictionary(d => d.Name, d => d.CaseCount), summary);
        }
        finally
        {
            foreach (var hub in hubs)
            {
                await hub.DisposeAsync();
            }
        }
    }

    // What a citizen would see of an application, without what differs between runs by nature
    // (ids, case numbers, dates and numbers the departments hand out in arrival order).
    private static string Describe(JointApplication application) =>
        string.Join(" | ", application.Items.OrderBy(i => i.ItemCode, StringComparer.Ordinal).Select(i =>
            $"{i.ItemCode}={i.State} [{string.Join(",", i.Reasons.Select(r => r.Code))}] {{{string.Join(",", i.Result.Keys.Order(StringComparer.Ordinal))}}}"));

    private sealed record RunResult(Dictionary<int, string> Outcome, Dictionary<string, int> CasesByDepartment, string Summary);
}
