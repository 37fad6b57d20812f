using Microsoft.Extensions.Logging;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Npgsql;
using OneThing.Benchmarks;
using OneThing.Simulators;

// The OneThing load benchmark. In one run: the gRPC echo ceiling and the durable commit ceiling at each
// concurrency, then the hub (out of process) against the simulators at the same concurrency; optional
// replica drain (PostgreSQL) and open-applications memory modes. Prints a table and writes
// bench/results/<date>-<db>.md (command line: BenchOptions.Usage below).
var options = BenchOptions.Parse(args);
if (options is null)
{
    Console.Error.WriteLine(BenchOptions.Usage);
    return 2;
}

// Figures print the same way whatever the machine's locale.
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
var work = Path.Combine(Path.GetTempPath(), "onething-bench", Guid.NewGuid().ToString("N")[..8]);
Directory.CreateDirectory(work);
var logs = Path.Combine(work, "logs");
var report = new StringBuilder();
void Line(string text = "")
{
    Console.WriteLine(text);
    report.AppendLine(text);
}

var started = TimeProvider.System.GetLocalNow();
var postgresVersion = options.Postgres is null ? null : await PostgresVersionAsync(options.Postgres);
Line($"# OneThing load benchmark — {options.Database}, {started:yyyy-MM-dd HH:mm}");
Line();
Line("Command (from the repository root):");
Line();
Line("```");
Line("dotnet run -c Release --project bench/OneThing.Benchmarks -- " + string.Join(' ', args.Select(a => a.Contains(' ', StringComparison.Ordinal) || a.Contains(';', StringComparison.Ordinal) ? $"'{a}'" : a)));
Line("```");
Line();
Line($"Machine: {Environment.ProcessorCount} logical cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}" +
    (postgresVersion is null ? string.Empty : $", PostgreSQL {postgresVersion}") + $"; load average before the run: {LoadAverage()}.");
Line($"Warm-up {options.WarmUp.TotalSeconds:0} s (the hub {options.HubWarmUp.TotalSeconds:0} s), window {options.Window.TotalSeconds:0} s per measurement; faults: {(options.Faults ? "10% transient errors on every department" : "none")}.");
Line();

await using var simulators = await SimulatorCluster.StartAsync(new SimulatorOptions
{
    PopulationSize = options.Population,
    CompletionDelay = TimeSpan.FromMilliseconds(200),
    ConfigureLogging = l => l.SetMinimumLevel(LogLevel.Error),
});
if (options.Faults)
{
    foreach (var department in simulators.All)
    {
        department.Faults.ErrorRate = 0.1;
    }
}

var payload = HubLoad.SubmitRequestBytes(simulators);
Line($"Submit request: {payload} bytes (the echo sends as many); application document ~{payload} bytes in the commit ceiling; population {options.Population} (people are reused round-robin).");
Line();

var rows = new List<(int Clients, LoopResult Echo, LoopResult Commit, HubFigures Hub)>();
foreach (var clients in options.Clients)
{
    Console.WriteLine($"-- {clients} clients: echo ceiling");
    var echo = await EchoCeiling.MeasureAsync(clients, payload, options.WarmUp, options.Window);
    Console.WriteLine($"   {echo.PerSecond:0}/s p50 {echo.P50:0.00} ms p99 {echo.P99:0.00} ms");
    Console.WriteLine($"-- {clients} clients: commit ceiling ({options.Database})");
    LoopResult commit;
    if (options.Database == "sqlite")
    {
        commit = await CommitCeiling.SqliteAsync(work, clients, payload, options.WarmUp, options.Window);
    }
    else
    {
        var db = await BenchDatabase.CreateAsync("postgres", work, options.Postgres, $"commit{clients}");
        commit = await CommitCeiling.PostgresAsync(db.ConnectionString, clients, payload, options.WarmUp, options.Window);
    }

    Console.WriteLine($"   {commit.PerSecond:0}/s p50 {commit.P50:0.00} ms p99 {commit.P99:0.00} ms");
    Console.WriteLine($"-- {clients} clients: hub");
    var database = await BenchDatabase.CreateAsync(options.Database, work, options.Postgres, $"hub{clients}");
    var hub = await HubLoad.MeasureAsync($"c{clients}", simulators, database, clients, 1, options.HubWarmUp, options.Window, logs);
    Console.WriteLine($"   {hub.Submits.PerSecond:0}/s p50 {hub.Submits.P50:0.00} ms p99 {hub.Submits.P99:0.00} ms; items {hub.ItemsPerSecond:0}/s");
    rows.Add((clients, echo, commit, hub));
}

if (rows.Count > 0)
{
    Line("## Ceilings and the hub");
    Line();
    Line("| clients | echo calls/s | echo p50 / p99 ms | commits/s (1+5 rows) | commit p50 / p99 ms | hub accepted/s | hub submit p50 / p99 / max ms | errors | items completed/s | hub CPU ms per item / per application | hub peak working set | submit ÷ lower ceiling | hub p99 ÷ echo p99 |");
    Line("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    foreach (var (clients, echo, commit, hub) in rows)
    {
        var lower = Math.Min(echo.PerSecond, commit.PerSecond);
        Line(($"| {clients} | {echo.PerSecond:0} | {echo.P50:0.00} / {echo.P99:0.00} | {commit.PerSecond:0} | {commit.P50:0.00} / {commit.P99:0.00} | " +
            $"{hub.Submits.PerSecond:0} | {hub.Submits.P50:0.0} / {hub.Submits.P99:0.0} / {hub.Submits.Max:0} | {hub.Submits.Errors} | {hub.ItemsPerSecond:0} | " +
            $"{hub.CpuMsPerItem:0.00} / {hub.CpuMsPerApplication:0.00} | {hub.PeakWorkingSetBytes / 1048576.0:0} MiB | " +
            $"{hub.Submits.PerSecond / lower:P0} (target ≥ 50%) | {hub.Submits.P99 / echo.P99:0.0}× (target ≤ 3×) |"));
    }

    Line();
    Line("Items completed/s counts items that reached a state no department changes any more, inside the window; " +
        "the hub keeps dispatching the backlog the submissions built (open items at the window's end: " +
        string.Join(", ", rows.Select(r => $"{r.Clients} clients {r.Hub.OpenItemsAtEnd}")) + "). CPU is the hub process's user + system time in the window.");
    Line();
}

if (options.Drain > 0)
{
    if (options.Database != "postgres")
    {
        Line("Replica drain skipped: it needs PostgreSQL (replicas share one server database).");
    }
    else
    {
        Line($"## Replicas: dispatch throughput draining a backlog of {options.Drain} applications ({options.Drain * 6} items)");
        Line();
        Line("| replicas | items | seconds | items completed/s | hub CPU ms per item |");
        Line("|---:|---:|---:|---:|---:|");
        var drained = new Dictionary<int, double>();
        foreach (var replicas in new[] { 1, 3 })
        {
            Console.WriteLine($"-- drain with {replicas} replica(s)");
            var database = await BenchDatabase.CreateAsync("postgres", work, options.Postgres, $"drain{replicas}");
            var (perSecond, items, elapsed, cpuPerItem) = await HubLoad.DrainAsync($"drain{replicas}", simulators, database, options.Drain, replicas, logs);
            drained[replicas] = perSecond;
            Line(($"| {replicas} | {items} | {elapsed.TotalSeconds:0.0} | {perSecond:0} | {cpuPerItem:0.00} |"));
        }

        Line();
        Line(($"Three replicas ÷ one: {drained[3] / drained[1]:0.00} (target ≥ 1.00). Lease conflicts are counted by the hub's " +
            "`onething.dispatch.lease_conflicts` metric, which leaves the process only over OTLP; this benchmark does not run a collector."));
        Line();
    }
}

if (options.Open > 0)
{
    Console.WriteLine($"-- {options.Open} open applications (dispatch off)");
    var database = await BenchDatabase.CreateAsync(options.Database, work, options.Postgres, "open");
    var (accepted, elapsed, workingSet, peak) = await HubLoad.OpenApplicationsAsync(simulators, database, options.Open, 64, logs);
    Line($"## {options.Open} open applications (submitted, dispatch off)");
    Line();
    Line(($"Accepted {accepted} in {elapsed.TotalSeconds:0} s ({accepted / elapsed.TotalSeconds:0}/s at 64 clients); hub working set afterwards {workingSet / 1048576.0:0} MiB, " +
        $"peak {peak / 1048576.0:0} MiB (target ≤ 1024 MiB)."));
    Line();
}

Line($"Finished {TimeProvider.System.GetLocalNow():yyyy-MM-dd HH:mm}; load average at the end: {LoadAverage()}.");

var results = options.Output ?? FindResultsDirectory();
Directory.CreateDirectory(results);
var suffix = (options.Faults ? "-faults" : string.Empty) + (options.Clients.Length == 0 && options.Open > 0 ? $"-open{options.Open}" : string.Empty);
var file = Path.Combine(results, $"{started:yyyy-MM-dd}-{options.Database}{suffix}.md");
await File.WriteAllTextAsync(file, report.ToString());
Console.WriteLine($"Results written to {file}");
try
{
    if (Environment.GetEnvironmentVariable("ONETHING_BENCH_KEEP") is not { Length: > 0 })
    {
        Directory.Delete(work, recursive: true);
    }
    else
    {
        Console.WriteLine($"Kept {work} (hub logs under logs/)");
    }
}
catch (IOException)
{
    // A leftover temp folder is harmless.
}

return 0;

static string FindResultsDirectory()
{
    for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "OneThing.sln")))
        {
            return Path.Combine(dir.FullName, "bench", "results");
        }
    }

    return Path.Combine(Environment.CurrentDirectory, "results");
}

static string LoadAverage()
{
    try
    {
        return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
    }
    catch (IOException)
    {
        return "unknown";
    }
}

static async Task<string> PostgresVersionAsync(string connectionString)
{
    await using var connection = new NpgsqlConnection(connectionString);
    await connection.OpenAsync();
    await using var command = new NpgsqlCommand("SELECT current_setting('server_version') || ', fsync=' || current_setting('fsync') || ', synchronous_commit=' || current_setting('synchronous_commit')", connection);
    return (string)(await command.ExecuteScalarAsync())!;
}

/// <summary>The benchmark's command line.</summary>
internal sealed class BenchOptions
{
    public const string Usage = """
        usage: dotnet run -c Release --project bench/OneThing.Benchmarks -- [options]
          --db sqlite|postgres        the hub's database (default sqlite)
          --postgres CONNECTION       an admin connection string of a role that may create databases (needed for postgres)
          --clients 16,64             concurrent clients, one measurement each (default 16,64; 0 = none)
          --warmup SECONDS            warm-up before each ceiling's window (default 5, at least 5)
          --hub-warmup SECONDS        warm-up before the hub's window (default 30: a fresh hub JIT-compiles
                                      ~57,000 methods in its first minute under load; figures before that
                                      measure the compiler, not the hub)
          --window SECONDS            measurement window (default 15)
          --population N              simulated people, reused round-robin (default 20000)
          --faults                    10% transient errors on every department
          --drain N                   postgres: drain N applications with 1 and then 3 replicas (default 0 = skip)
          --open N                    hold N submitted, undispatched applications and report memory (default 0 = skip)
          --output DIRECTORY          where the results file goes (default bench/results)
        """;

    public string Database { get; private set; } = "sqlite";

    public string? Postgres { get; private set; }

    public int[] Clients { get; private set; } = [16, 64];

    public TimeSpan WarmUp { get; private set; } = TimeSpan.FromSeconds(5);

    public TimeSpan HubWarmUp { get; private set; } = TimeSpan.FromSeconds(30);

    public TimeSpan Window { get; private set; } = TimeSpan.FromSeconds(15);

    public int Population { get; private set; } = 20_000;

    public bool Faults { get; private set; }

    public int Drain { get; private set; }

    public int Open { get; private set; }

    public string? Output { get; private set; }

    public static BenchOptions? Parse(string[] args)
    {
        var o = new BenchOptions();
        var culture = CultureInfo.InvariantCulture;
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--db":
                    o.Database = Next().ToLowerInvariant();
                    break;
                case "--postgres":
                    o.Postgres = Next();
                    break;
                case "--clients":
                    o.Clients = [.. Next().Split(',').Select(c => int.Parse(c, culture)).Where(c => c > 0)];
                    break;
                case "--warmup":
                    o.WarmUp = TimeSpan.FromSeconds(Math.Max(5, double.Parse(Next(), culture)));
                    break;
                case "--hub-warmup":
                    o.HubWarmUp = TimeSpan.FromSeconds(Math.Max(5, double.Parse(Next(), culture)));
                    break;
                case "--window":
                    o.Window = TimeSpan.FromSeconds(double.Parse(Next(), culture));
                    break;
                case "--population":
                    o.Population = int.Parse(Next(), culture);
                    break;
                case "--faults":
                    o.Faults = true;
                    break;
                case "--drain":
                    o.Drain = int.Parse(Next(), culture);
                    break;
                case "--open":
                    o.Open = int.Parse(Next(), culture);
                    break;
                case "--output":
                    o.Output = Next();
                    break;
                default:
                    return null;
            }
        }

        return o.Database is "sqlite" or "postgres" && (o.Database == "sqlite" || o.Postgres is not null) ? o : null;
    }
}
