using Grpc.Core.Interceptors;
using OneThing.Tests.Support;
using System.Diagnostics;
using Google.Protobuf;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using OneThing.Hub.Persistence;
using OneThing.Hub.V1;
using OneThing.Sandbox;
using OneThing.Simulators;
using OneThing.Tests.Soak;
using DomainItemState = OneThing.Hub.Domain.Applications.ItemState;

namespace OneThing.Benchmarks;

/// <summary>Where the hub's database lives for one measurement: a fresh SQLite file or a fresh PostgreSQL database.</summary>
public sealed class BenchDatabase(string provider, string connectionString)
{
    /// <summary>"sqlite" or "postgres".</summary>
    public string Provider { get; } = provider;

    /// <summary>The hub's connection string.</summary>
    public string ConnectionString { get; } = connectionString;

    /// <summary>A fresh database: a new SQLite file under <paramref name="directory"/>, or a new database on the PostgreSQL server.</summary>
    public static async Task<BenchDatabase> CreateAsync(string provider, string directory, string? postgresAdmin, string label)
    {
        if (provider == "sqlite")
        {
            return new BenchDatabase(provider, $"Data Source={Path.Combine(directory, label + ".db")}");
        }

        var name = $"onething_bench_{label.Replace('-', '_')}_{Guid.NewGuid():N}"[..50];
        await using var admin = new NpgsqlConnection(postgresAdmin);
        await admin.OpenAsync().ConfigureAwait(false);
        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", admin);
        await create.ExecuteNonQueryAsync().ConfigureAwait(false);
        return new BenchDatabase(provider, new NpgsqlConnectionStringBuilder(postgresAdmin) { Database = name, MaxPoolSize = 200 }.ConnectionString);
    }

    /// <summary>A context on the database (for counting and migrating).</summary>
    public HubDbContext NewContext()
    {
        if (Provider == "postgres")
        {
            var builder = new DbContextOptionsBuilder<PostgresHubDbContext>();
            PostgresHubDbContext.Configure(builder, ConnectionString);
            builder.UsePersonalData(OneThing.Sandbox.SandboxPersonalDataKeys.Protector(ConnectionString));
            return new PostgresHubDbContext(builder.Options);
        }

        var sqlite = new DbContextOptionsBuilder<SqliteHubDbContext>();
        SqliteHubDbContext.Configure(sqlite, ConnectionString);
        sqlite.UsePersonalData(OneThing.Sandbox.SandboxPersonalDataKeys.Protector(ConnectionString));
        return new SqliteHubDbContext(sqlite.Options);
    }

    /// <summary>Items no department will change any more, and items still pending or in progress.</summary>
    public async Task<(long Done, long Open)> ItemCountsAsync()
    {
        // Two single-statement counts, each consistent on its own (submissions insert items between them).
        await using var db = NewContext();
        var done = await db.Items.LongCountAsync(i => i.State != DomainItemState.Pending && i.State != DomainItemState.InProgress).ConfigureAwait(false);
        var open = await db.Items.LongCountAsync(i => i.State == DomainItemState.Pending || i.State == DomainItemState.InProgress).ConfigureAwait(false);
        return (done, open);
    }
}

/// <summary>What the hub did in one measurement.</summary>
public sealed record HubFigures(
    string Label,
    int Clients,
    int Replicas,
    LoopResult Submits,
    double ItemsPerSecond,
    double CpuMsPerItem,
    double CpuMsPerApplication,
    long PeakWorkingSetBytes,
    long OpenItemsAtEnd);

/// <summary>Runs the hub out of process against the in-process simulators and drives submissions into it.</summary>
public static class HubLoad
{
    /// <summary>The hub settings for a benchmark: production-like dispatch, logs at warnings.</summary>
    public static Dictionary<string, string> Settings(SimulatorCluster simulators, BenchDatabase database, bool dispatch)
    {
        var settings = HubProcess.Settings(simulators, database.Provider, database.ConnectionString);
        settings["Dispatch:Enabled"] = dispatch ? "true" : "false";
        settings["Dispatch:LeaseDuration"] = "00:00:30";
        settings["Dispatch:AdapterCallTimeout"] = "00:00:10";
        settings["Dispatch:ReconciliationInterval"] = "00:00:01";
        settings["Logging:LogLevel:Default"] = "Warning";
        settings["Logging:LogLevel:Polly"] = "Error";
        return settings;
    }

    /// <summary>Pre-built requests, one per person, so building a message costs the load nothing.</summary>
    public static Application[] Applications(SimulatorCluster simulators) =>
        [.. simulators.Population.People.Select(p => SampleApplications.Luoyang(p, simulators.Population.Today))];

    /// <summary>The serialized size of a Luoyang submit request (the echo sends as many bytes).</summary>
    public static int SubmitRequestBytes(SimulatorCluster simulators) =>
        new SubmitApplicationRequest { Application = Applications(simulators)[0], RequestId = Guid.NewGuid().ToString() }.CalculateSize();

    /// <summary>
    /// Submits at <paramref name="clients"/> concurrent callers spread over the replicas, warms up, then
    /// measures the window: accepted/s and latency, items completed/s (from the database), the hubs'
    /// CPU per item and their peak working set.
    /// </summary>
    public static async Task<HubFigures> MeasureAsync(
        string label, SimulatorCluster simulators, BenchDatabase database, int clients, int replicas, TimeSpan warmUp, TimeSpan window, string logs)
    {
        await using (var db = database.NewContext())
        {
            await db.Database.MigrateAsync().ConfigureAwait(false);
        }

        var settings = Settings(simulators, database, dispatch: true);
        var hubs = await Task.WhenAll(Enumerable.Range(1, replicas).Select(i => HubProcess.StartAsync($"{label}-hub{i}", settings, logs))).ConfigureAwait(false);
        try
        {
            var channels = hubs.Select(h => Channels.For(h.Address)).ToArray();
            var clientsByHub = channels.Select(c => new ApplicationService.ApplicationServiceClient(c.Intercept(new SandboxIdentities(simulators.Identity)))).ToArray();
            var applications = Applications(simulators);
            TimeSpan cpuAtOpen = default;
            var doneAtOpen = 0L;
            TimeSpan cpuAtClose = default;
            var doneAtClose = 0L;
            var openAtClose = 0L;
            var itemsWatch = new Stopwatch();
            var submits = await ClosedLoop.RunAsync(clients, warmUp, window, async (client, n, ct) =>
            {
                var request = new SubmitApplicationRequest { Application = applications[n % applications.Length], RequestId = $"{label}-{n}" };
                await clientsByHub[client % clientsByHub.Length].SubmitApplicationAsync(request, cancellationToken: ct).ConfigureAwait(false);
            }, async opening =>
            {
                var cpu = hubs.Aggregate(TimeSpan.Zero, (sum, h) => sum + h.CpuTime());
                var (done, open) = await database.ItemCountsAsync().ConfigureAwait(false);
                if (opening)
                {
                    itemsWatch.Start();
                    (cpuAtOpen, doneAtOpen) = (cpu, done);
                }
                else
                {
                    itemsWatch.Stop();
                    (cpuAtClose, doneAtClose, openAtClose) = (cpu, done, open);
                }
            }).ConfigureAwait(false);
            if (hubs.Any(h => !h.Running))
            {
                throw new InvalidOperationException($"a hub exited during the measurement:\n{string.Join('\n', hubs.Select(h => h.LogTail(20)))}");
            }

            var items = doneAtClose - doneAtOpen;
            var cpuMs = (cpuAtClose - cpuAtOpen).TotalMilliseconds;
            var peak = hubs.Max(h => h.PeakWorkingSet());
            foreach (var channel in channels)
            {
                channel.Dispose();
            }

            return new HubFigures(
                label, clients, replicas, submits, items / itemsWatch.Elapsed.TotalSeconds,
                items == 0 ? double.NaN : cpuMs / items, submits.Operations == 0 ? double.NaN : cpuMs / submits.Operations, peak, openAtClose);
        }
        finally
        {
            foreach (var hub in hubs)
            {
                await hub.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// The dispatch throughput of <paramref name="replicas"/> hubs: a backlog of applications is submitted
    /// with dispatch off, then the replicas start with dispatch on and the time until every item is done
    /// gives items/s. No submissions compete with dispatch, so this isolates claiming and running items.
    /// </summary>
    public static async Task<(double ItemsPerSecond, long Items, TimeSpan Elapsed, double CpuMsPerItem)> DrainAsync(
        string label, SimulatorCluster simulators, BenchDatabase database, int backlog, int replicas, string logs)
    {
        await using (var db = database.NewContext())
        {
            await db.Database.MigrateAsync().ConfigureAwait(false);
        }

        await using (var loader = await HubProcess.StartAsync($"{label}-loader", Settings(simulators, database, dispatch: false), logs).ConfigureAwait(false))
        {
            using var channel = Channels.For(loader.Address);
            var client = new ApplicationService.ApplicationServiceClient(channel.Intercept(new SandboxIdentities(simulators.Identity)));
            var applications = Applications(simulators);
            var next = -1;
            await Task.WhenAll(Enumerable.Range(0, 32).Select(async _ =>
            {
                int n;
                while ((n = Interlocked.Increment(ref next)) < backlog)
                {
                    await client.SubmitApplicationAsync(new SubmitApplicationRequest { Application = applications[n % applications.Length], RequestId = $"{label}-{n}" }).ConfigureAwait(false);
                }
            })).ConfigureAwait(false);
        }

        var (doneBefore, open) = await database.ItemCountsAsync().ConfigureAwait(false);
        var settings = Settings(simulators, database, dispatch: true);
        var hubs = await Task.WhenAll(Enumerable.Range(1, replicas).Select(i => HubProcess.StartAsync($"{label}-r{i}", settings, logs))).ConfigureAwait(false);
        var watch = Stopwatch.StartNew();
        try
        {
            var cpuBefore = hubs.Aggregate(TimeSpan.Zero, (sum, h) => sum + h.CpuTime());
            while (true)
            {
                var (_, left) = await database.ItemCountsAsync().ConfigureAwait(false);
                if (left == 0 || watch.Elapsed > TimeSpan.FromMinutes(10))
                {
                    break;
                }

                await Task.Delay(200).ConfigureAwait(false);
            }

            var elapsed = watch.Elapsed;
            var (doneAfter, _) = await database.ItemCountsAsync().ConfigureAwait(false);
            var cpu = hubs.Aggregate(TimeSpan.Zero, (sum, h) => sum + h.CpuTime()) - cpuBefore;
            var items = doneAfter - doneBefore;
            _ = open;
            return (items / elapsed.TotalSeconds, items, elapsed, cpu.TotalMilliseconds / Math.Max(1, items));
        }
        finally
        {
            foreach (var hub in hubs)
            {
                await hub.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Holds <paramref name="count"/> submitted applications that are not dispatched (dispatch off) and
    /// reports the hub's working set once they are all accepted, after a pause, and its peak.
    /// </summary>
    public static async Task<(long Accepted, TimeSpan Elapsed, long WorkingSet, long Peak)> OpenApplicationsAsync(
        SimulatorCluster simulators, BenchDatabase database, int count, int clients, string logs)
    {
        await using var hub = await HubProcess.StartAsync("open-applications", Settings(simulators, database, dispatch: false), logs).ConfigureAwait(false);
        using var channel = Channels.For(hub.Address);
        var client = new ApplicationService.ApplicationServiceClient(channel.Intercept(new SandboxIdentities(simulators.Identity)));
        var applications = Applications(simulators);
        var next = -1;
        var accepted = 0L;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
        {
            int n;
            while ((n = Interlocked.Increment(ref next)) < count)
            {
                await client.SubmitApplicationAsync(new SubmitApplicationRequest { Application = applications[n % applications.Length], RequestId = $"open-{n}" }).ConfigureAwait(false);
                Interlocked.Increment(ref accepted);
            }
        })).ConfigureAwait(false);
        var elapsed = watch.Elapsed;
        await Task.Delay(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        return (accepted, elapsed, hub.WorkingSet(), hub.PeakWorkingSet());
    }
}
