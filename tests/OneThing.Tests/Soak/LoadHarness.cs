using System.Collections.Concurrent;
using System.Diagnostics;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using OneThing.Hub.Domain.Applications;
using OneThing.Hub.Persistence;
using OneThing.Hub.V1;
using OneThing.Sandbox;
using OneThing.Simulators;
using DomainItemState = OneThing.Hub.Domain.Applications.ItemState;

namespace OneThing.Tests.Soak;

/// <summary>
/// Drives Luoyang applications into one or more hub processes, as portals would: each application has
/// its own request id, and a call that fails without an answer (the hub was killed, restarting, or
/// refused) is sent again with the same request id, to the next hub. Only an OK answer counts as accepted.
/// </summary>
public sealed class ApplicationLoad(IReadOnlyList<HubProcess> hubs, SimulatorCluster simulators)
{
    private readonly ConcurrentDictionary<int, string> _accepted = new();
    private readonly ConcurrentDictionary<StatusCode, int> _failures = new();
    private int _retries;
    private int _next = -1;

    /// <summary>Person index to the accepted application's id.</summary>
    public IReadOnlyDictionary<int, string> Accepted => _accepted;

    /// <summary>How many submit calls failed without an answer and were sent again.</summary>
    public int Retries => _retries;

    /// <summary>The failed submit calls by status code, e.g. "Unavailable 120, Internal 3".</summary>
    public string Failures => _failures.IsEmpty ? "none" : string.Join(", ", _failures.OrderByDescending(f => f.Value).Select(f => $"{f.Key} {f.Value}"));

    /// <summary>Submits one application for each of the first <paramref name="count"/> people, <paramref name="concurrency"/> at a time.</summary>
    /// <param name="count">How many applications (at most the population's size).</param>
    /// <param name="concurrency">How many callers submit at once.</param>
    /// <param name="onAccepted">Called after each acceptance with the number accepted so far (e.g. to kill a replica mid-run).</param>
    /// <param name="cancellationToken">Stops the load.</param>
    public async Task RunAsync(int count, int concurrency, Func<int, Task>? onAccepted, CancellationToken cancellationToken)
    {
        var people = simulators.Population.People;
        if (count > people.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, $"the population has {people.Count} people");
        }

        var signedOn = simulators.Population.Today;
        var hubTurn = 0;
        async Task Caller(int caller)
        {
            while (true)
            {
                var index = Interlocked.Increment(ref _next);
                if (index >= count)
                {
                    return;
                }

                var request = new SubmitApplicationRequest
                {
                    Application = SampleApplications.Luoyang(people[index], signedOn),
                    RequestId = $"load-{index}-{Guid.NewGuid():N}",
                };
                var started = Stopwatch.StartNew();
                while (true)
                {
                    var hub = hubs[(int)((uint)Interlocked.Increment(ref hubTurn) % (uint)hubs.Count)];
                    if (!hub.Running)
                    {
                        await Task.Delay(50, cancellationToken);
                        continue;
                    }

                    try
                    {
                        using var call = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                        call.CancelAfter(TimeSpan.FromSeconds(20));
                        var answer = await hub.Applications.SubmitApplicationAsync(request, cancellationToken: call.Token);
                        _accepted[index] = answer.Name["applications/".Length..];
                        break;
                    }
                    catch (RpcException e) when (IsRetryable(e.StatusCode) && !cancellationToken.IsCancellationRequested)
                    {
                        if (started.Elapsed > TimeSpan.FromMinutes(3))
                        {
                            throw new TimeoutException($"application {index} was not accepted within 3 minutes; last error {e.Status}");
                        }

                        Interlocked.Increment(ref _retries);
                        _failures.AddOrUpdate(e.StatusCode, 1, (_, n) => n + 1);
                        await Task.Delay(100, cancellationToken);
                    }
                }

                if (onAccepted is not null)
                {
                    await onAccepted(_accepted.Count);
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(Caller));
    }

    // No answer, or an answer that says "not now": the outcome is unknown, so the same request id goes again.
    private static bool IsRetryable(StatusCode code) =>
        code is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Cancelled or StatusCode.Internal
            or StatusCode.Unknown or StatusCode.Aborted or StatusCode.ResourceExhausted;
}

/// <summary>Reads the hub's database directly, as only tests may: completion and the final outcome.</summary>
public sealed class HubDatabaseReader(string provider, string connectionString)
{
    /// <summary>A new context on the database.</summary>
    public HubDbContext NewContext()
    {
        if (provider == "postgres")
        {
            var builder = new DbContextOptionsBuilder<PostgresHubDbContext>();
            PostgresHubDbContext.Configure(builder, connectionString);
            builder.UsePersonalData(OneThing.Sandbox.SandboxPersonalDataKeys.Protector(connectionString));
            return new PostgresHubDbContext(builder.Options);
        }

        var sqlite = new DbContextOptionsBuilder<SqliteHubDbContext>();
        SqliteHubDbContext.Configure(sqlite, connectionString);
        sqlite.UsePersonalData(OneThing.Sandbox.SandboxPersonalDataKeys.Protector(connectionString));
        return new SqliteHubDbContext(sqlite.Options);
    }

    /// <summary>Applies the migrations (once, before several replicas start on the same database).</summary>
    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var db = NewContext();
        await db.Database.MigrateAsync(cancellationToken);
    }

    /// <summary>How many applications there are, and how many of them are not yet completed.</summary>
    public async Task<(int Applications, int Open, int OpenItems)> ProgressAsync(CancellationToken cancellationToken)
    {
        await using var db = NewContext();
        var applications = await db.Applications.IgnoreAutoIncludes().CountAsync(cancellationToken);
        var open = await db.Applications.IgnoreAutoIncludes().CountAsync(a => a.State != ApplicationState.Completed, cancellationToken);
        // Pending and in progress are the states dispatch still works on; every other state waits for no department.
        var openItems = await db.Items.CountAsync(i => i.State == DomainItemState.Pending || i.State == DomainItemState.InProgress, cancellationToken);
        return (applications, open, openItems);
    }

    /// <summary>Waits until at least <paramref name="expected"/> applications exist and every one is completed.</summary>
    public async Task WaitAllCompletedAsync(int expected, TimeSpan bound, CancellationToken cancellationToken, Func<string>? describe = null)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var (applications, open, openItems) = await ProgressAsync(cancellationToken);
            if (applications >= expected && open == 0)
            {
                return;
            }

            if (watch.Elapsed > bound)
            {
                throw new TimeoutException(
                    $"after {bound.TotalSeconds:0} s, {applications} of {expected} applications exist and {open} are open ({openItems} items not final). {describe?.Invoke()}");
            }

            await Task.Delay(250, cancellationToken);
        }
    }

    /// <summary>Every application with its items.</summary>
    public async Task<List<JointApplication>> ApplicationsAsync(CancellationToken cancellationToken)
    {
        await using var db = NewContext();
        return await db.Applications.AsNoTracking().ToListAsync(cancellationToken);
    }
}

/// <summary>What the departments saw, checked against what the hub recorded.</summary>
public static class DepartmentLedger
{
    /// <summary>
    /// Checks that each department created exactly one case per item the hub recorded as handled by it,
    /// received no duplicate filing (a second case for the same person or business under another key),
    /// and that every call the department saw twice carried a key of one of those items (a replay of the
    /// same key, answered with the first answer). Returns one line per department for the test output,
    /// with how long after the key's first call its replays came (from the simulator's received log).
    /// </summary>
    public static IReadOnlyList<string> Check(SimulatorCluster simulators, IReadOnlyList<JointApplication> applications)
    {
        var lines = new List<string>();
        foreach (var department in simulators.All)
        {
            var items = applications.SelectMany(a => a.Items)
                .Where(i => i.Department == department.Name && i.State == DomainItemState.Succeeded)
                .ToList();
            Assert.True(
                items.Count == department.CaseCount,
                $"{department.Name}: {department.CaseCount} cases created for {items.Count} succeeded items (every case exactly once)");
            Assert.True(
                department.DuplicateCount == 0,
                $"{department.Name}: {department.DuplicateCount} duplicate filings (a second case for the same subject under another key)");
            var replays = 0;
            foreach (var item in items)
            {
                var calls = department.CountFor(item.SubmissionId);
                Assert.True(calls >= 1, $"{department.Name}: item {item.ApplicationId}/{item.ItemCode} succeeded but its key never reached the department");
                replays += calls - 1;
            }

            Assert.True(
                replays == department.ReplayCount,
                $"{department.Name}: {department.ReplayCount} replayed calls, but only {replays} were repeats of the items' own keys");
            lines.Add($"{department.Name,-22} items {items.Count,6}  cases {department.CaseCount,6}  duplicate filings {department.DuplicateCount}  " +
                $"replays of a key {department.ReplayCount,4}{ReplayDelays(department)}  faulted calls {department.FaultedCount,5}");
        }

        return lines;
    }

    /// <summary>" (after the first call: min/median/max s)" for the replays still in the received log.</summary>
    private static string ReplayDelays(DepartmentSimulator department)
    {
        var firstSeen = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        var delays = new List<double>();
        foreach (var call in department.Received.Where(r => r.IdempotencyKey.Length > 0))
        {
            if (!call.Replayed)
            {
                firstSeen[call.IdempotencyKey] = call.ReceivedAt;
            }
            else if (firstSeen.TryGetValue(call.IdempotencyKey, out var first))
            {
                delays.Add((call.ReceivedAt - first).TotalSeconds);
            }
        }

        if (delays.Count == 0)
        {
            return string.Empty;
        }

        delays.Sort();
        return string.Create(
            System.Globalization.CultureInfo.InvariantCulture,
            $" (after the first call: {delays[0]:0.0}/{delays[delays.Count / 2]:0.0}/{delays[^1]:0.0} s)");
    }
}

/// <summary>
/// Keeps the figures of the out-of-process tests beside the test output (which a passing test does not
/// show): appended to <c>$TMPDIR/onething-tests/soak-figures.txt</c>.
/// </summary>
public static class Figures
{
    /// <summary>The file the figures go to.</summary>
    public static string File => Path.Combine(Path.GetTempPath(), "onething-tests", "soak-figures.txt");

    /// <summary>Writes lines to the test output and appends them, stamped, to <see cref="File"/>.</summary>
    public static void Record(string test, params string[] lines)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(File)!);
        var stamp = DateTimeOffset.UtcNow.ToString("u", System.Globalization.CultureInfo.InvariantCulture);
        foreach (var line in lines)
        {
            TestContext.Current.TestOutputHelper?.WriteLine(line);
        }

        System.IO.File.AppendAllLines(File, lines.Select(l => $"{stamp} {test}: {l}"));
    }
}
