using System.Diagnostics;
using System.Globalization;
using Grpc.Core;
using OneThing.Hub.V1;
using OneThing.Simulators;
using OneThing.Tests.Persistence;
using OneThing.Tests.Support;
using DomainItemState = OneThing.Hub.Domain.Applications.ItemState;

namespace OneThing.Tests.Soak;

/// <summary>
/// The soak: applications through the simulators with 10% transient errors on every department, one
/// department out for a while, callbacks late, twice and out of order, and the hub process killed with SIGKILL three times and restarted.
/// At the end every item is final, no department case was created twice, and every application the
/// hub accepted exists and is complete. CI runs a small version; the full run is
/// <c>ONETHING_SOAK_APPLICATIONS=10000 dotnet test --project tests/OneThing.Tests -- --filter-class OneThing.Tests.Soak.SoakTests</c>
/// (<c>ONETHING_SOAK_DATABASE=postgres</c> with <c>ONETHING_TEST_POSTGRES</c> for PostgreSQL; figures go
/// to <see cref="Figures.File"/>).
/// </summary>
public sealed class SoakTests
{
    /// <summary>How many applications (default 200, the CI size).</summary>
    public const string ApplicationsVariable = "ONETHING_SOAK_APPLICATIONS";

    /// <summary>sqlite (default) or postgres.</summary>
    public const string DatabaseVariable = "ONETHING_SOAK_DATABASE";

    /// <summary>How long the tax department is out, in seconds (default 120 from 10,000 applications on, else 5).</summary>
    public const string OutageVariable = "ONETHING_SOAK_OUTAGE_SECONDS";

    // A hub start takes seconds on a quiet machine, but CI runs every suite at once on 2 cores.
    private static readonly TimeSpan StartBound = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Soak_TransientErrorsOutageAndThreeKills_EverythingFinalNothingTwiceNothingLost()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var count = Environment.GetEnvironmentVariable(ApplicationsVariable) is { Length: > 0 } n ? int.Parse(n, CultureInfo.InvariantCulture) : 200;
        var outage = TimeSpan.FromSeconds(Environment.GetEnvironmentVariable(OutageVariable) is { Length: > 0 } o
            ? double.Parse(o, CultureInfo.InvariantCulture)
            : count >= 10_000 ? 120 : 5);
        var provider = Environment.GetEnvironmentVariable(DatabaseVariable) is { Length: > 0 } d ? d.Trim().ToLowerInvariant() : "sqlite";
        var directory = Path.Combine(Path.GetTempPath(), "onething-tests", "soak-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(directory);
        await using var postgres = new PostgresHubDatabase();
        string connectionString;
        if (provider == "postgres")
        {
            Assert.SkipUnless(postgres.Available, postgres.SkipReason);
            connectionString = await postgres.CreateDatabaseAsync().Within();
        }
        else
        {
            connectionString = $"Data Source={Path.Combine(directory, "hub.db")}";
        }

        var watch = Stopwatch.StartNew();
        await using var simulators = await SimulatorCluster.StartAsync(new SimulatorOptions
        {
            PopulationSize = count,
            CompletionDelay = TimeSpan.FromMilliseconds(200),
        }, cancellationToken).Within();
        foreach (var department in simulators.All)
        {
            department.Faults.ErrorRate = 0.1;
        }

        // Departments push results by callback too: late, twice, and out of order, besides the hub's own polls.
        foreach (var department in simulators.All)
        {
            department.Faults.DuplicateCallbacks = true;
        }

        simulators.SocialInsurance.Faults.CallbackDelay = TimeSpan.FromSeconds(1.5);
        simulators.HumanResources.Faults.OutOfOrderCallbacks = true;

        var reader = new HubDatabaseReader(provider, connectionString);
        await using var hub = await HubProcess.StartAsync("soak-hub", HubProcess.Settings(simulators, provider, connectionString), directory, cancellationToken: cancellationToken, identity: simulators.Identity).Within(StartBound);
        simulators.HubCallbackAddress = hub.Address; // the same port after every restart

        // Kills at a quarter, half and three quarters of the acceptances; the outage starts at a tenth.
        var kills = new List<string>();
        var outageStarted = 0;
        var nextKill = 0;
        int[] killAt = [count / 4, count / 2, count * 3 / 4];
        var chaos = new SemaphoreSlim(1, 1);
        var load = new ApplicationLoad([hub], simulators);
        await load.RunAsync(count, 16, async accepted =>
        {
            if (accepted >= count / 10 && Interlocked.Exchange(ref outageStarted, 1) == 0)
            {
                simulators.Tax.Faults.OutageUntil = DateTimeOffset.UtcNow + outage;
            }

            if (nextKill < killAt.Length && accepted >= killAt[nextKill] && await chaos.WaitAsync(0, cancellationToken))
            {
                try
                {
                    if (nextKill < killAt.Length && accepted >= killAt[nextKill])
                    {
                        nextKill++;
                        var (applications, open, openItems) = await reader.ProgressAsync(cancellationToken);
                        hub.Kill();
                        kills.Add($"kill {nextKill}, triggered at {accepted} accepted; just before it the database held {applications} applications, {open} open, {openItems} items pending or in progress");
                        await Task.Delay(500, cancellationToken);
                        await hub.StartAgainAsync(cancellationToken).Within(StartBound);
                    }
                }
                finally
                {
                    chaos.Release();
                }
            }
        }, cancellationToken).Within(TimeSpan.FromMinutes(count >= 2000 ? 60 : 8));
        var acceptedIn = watch.Elapsed;
        Assert.Equal(3, kills.Count);
        Assert.Equal(count, load.Accepted.Count);

        await reader.WaitAllCompletedAsync(count, TimeSpan.FromMinutes(count >= 2000 ? 90 : 8), cancellationToken, () => hub.LogTail(10));
        var completedIn = watch.Elapsed;

        // Nothing accepted is missing: every application the hub answered OK to is there through its API and complete.
        var missing = new System.Collections.Concurrent.ConcurrentBag<string>();
        foreach (var chunk in load.Accepted.Values.Chunk(16))
        {
            var answers = await Task.WhenAll(chunk.Select(async id =>
            {
                try
                {
                    return await hub.Applications.GetApplicationAsync(new GetApplicationRequest { Name = "applications/" + id }, cancellationToken: cancellationToken);
                }
                catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
                {
                    missing.Add(id);
                    return null;
                }
            })).Within();
            Assert.All(answers.OfType<Application>(), a => Assert.Equal(Application.Types.State.Completed, a.State));
        }

        Assert.Empty(missing);
        var applications = await reader.ApplicationsAsync(cancellationToken).Within(TimeSpan.FromMinutes(5));
        Assert.Equal(count, applications.Count);
        var items = applications.SelectMany(a => a.Items).ToList();
        var notSucceeded = items.Where(i => i.State != DomainItemState.Succeeded).Take(5).Select(i => $"{i.ApplicationId}/{i.ItemCode}={i.State} {i.LastError}").ToList();
        Assert.True(notSucceeded.Count == 0, "items that did not succeed: " + string.Join("; ", notSucceeded));
        var ledger = DepartmentLedger.Check(simulators, applications);
        Assert.All(simulators.All, department => Assert.Equal(
            items.Count(i => i.Department == department.Name), department.CaseCount));

        Figures.Record("soak", [
            $"{count} applications ({items.Count} items) on {provider}: all accepted after {acceptedIn.TotalSeconds:0} s, all completed after {completedIn.TotalSeconds:0} s; " +
            $"{load.Retries} submit calls sent again ({load.Failures}); tax out for {outage.TotalSeconds:0} s; 10% transient errors everywhere",
            .. kills,
            .. ledger,
            "callbacks: every department sends each twice; social-insurance 1.5 s late; human-resources out of order",
        ]);
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }
}
