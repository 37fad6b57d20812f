using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using OneThing.Hub.V1;
using OneThing.Simulators;

namespace OneThing.Tests.Soak;

/// <summary>
/// One hub replica as its own operating-system process (<c>dotnet OneThing.Hub.dll</c>), configured
/// only through environment variables, as an operator would run it. It can be killed with SIGKILL
/// (no graceful stop, leases left behind) and started again on the same port and database.
/// Free of any test framework, so the benchmark links this file too.
/// </summary>
public sealed class HubProcess : IAsyncDisposable
{
    private static readonly TimeSpan ReadyBound = TimeSpan.FromSeconds(150);
    private readonly Dictionary<string, string> _settings;
    private readonly string _logFile;
    private Process? _process;
    private GrpcChannel? _channel;
    private IdentityPlatformSimulator? _identity;

    private HubProcess(string name, int port, Dictionary<string, string> settings, string logFile)
    {
        Name = name;
        Port = port;
        _settings = settings;
        _logFile = logFile;
        Address = new Uri($"http://127.0.0.1:{port}");
    }

    /// <summary>A short name for messages, e.g. "replica-2".</summary>
    public string Name { get; }

    /// <summary>The loopback port the hub listens on (the same after every restart).</summary>
    public int Port { get; }

    /// <summary>The hub's gRPC address.</summary>
    public Uri Address { get; }

    /// <summary>The operating-system process id of the running hub; 0 when it is not running.</summary>
    public int ProcessId => _process is { HasExited: false } p ? p.Id : 0;

    /// <summary>Whether the process runs.</summary>
    public bool Running => _process is { HasExited: false };

    /// <summary>How many times the process was started.</summary>
    public int Starts { get; private set; }

    /// <summary>The application API of the hub (the same client across restarts).</summary>
    public ApplicationService.ApplicationServiceClient Applications { get; private set; } = null!;

    /// <summary>The file that collects the hub's console output (all starts).</summary>
    public string LogFile => _logFile;

    /// <summary>
    /// Where the built hub is: the <c>OneThing.Hub.dll</c> next to the calling assembly (a project that
    /// references the hub gets its output copied), else under src/Hub/Server/bin.
    /// </summary>
    public static string FindHubAssembly()
    {
        var here = Path.Combine(AppContext.BaseDirectory, "OneThing.Hub.dll");
        if (File.Exists(here) && File.Exists(Path.Combine(AppContext.BaseDirectory, "OneThing.Hub.runtimeconfig.json")))
        {
            return here;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var bin = Path.Combine(dir.FullName, "src", "Hub", "Server", "bin");
            if (Directory.Exists(bin))
            {
                var built = Directory.GetFiles(bin, "OneThing.Hub.dll", SearchOption.AllDirectories)
                    .Select(f => new FileInfo(f))
                    .OrderByDescending(f => f.LastWriteTimeUtc)
                    .FirstOrDefault();
                if (built is not null)
                {
                    return built.FullName;
                }
            }
        }

        throw new FileNotFoundException("OneThing.Hub.dll was not found next to this assembly or under src/Hub/Server/bin; build the hub first.");
    }

    /// <summary>A loopback TCP port that was free a moment ago.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// The hub configuration, as configuration keys, that points the adapters at the simulators and
    /// tunes dispatch for short test runs (leases of a few seconds, fast retries, quiet logs).
    /// </summary>
    public static Dictionary<string, string> Settings(SimulatorCluster simulators, string provider, string connectionString)
    {
        var settings = new Dictionary<string, string>
        {
            ["Database:Provider"] = provider,
            ["Database:ConnectionString"] = connectionString,
            ["Dispatch:MaxConcurrency"] = "32",
            // Load runs drive one identity far harder than any caller of a deployment; the budgets are not what they measure.
            ["Limits:RateLimit:Enabled"] = "false",
            ["Dispatch:IdlePollInterval"] = "00:00:00.100",
            ["Dispatch:ReconciliationInterval"] = "00:00:00.250",
            ["Dispatch:RetryBaseDelay"] = "00:00:00.250",
            ["Dispatch:RetryMaxDelay"] = "00:00:02",
            ["Dispatch:LeaseDuration"] = "00:00:05",
            ["Dispatch:AdapterCallTimeout"] = "00:00:04",
            ["Logging:LogLevel:Default"] = "Error",
            // Handled retries (Polly) and the migration-history probe (EF Core) are logged at Error level
            // but are expected here; they would drown a failing test's message.
            ["Logging:LogLevel:Polly"] = "None",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Error",
            ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Error",
            ["Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command"] = "None",
        };
        foreach (var department in simulators.All)
        {
            settings[$"Departments:{department.Name}:Endpoint"] = department.Endpoint.ToString();
            settings[$"Departments:{department.Name}:AttemptTimeout"] = "00:00:02";
            settings[$"Departments:{department.Name}:TotalTimeout"] = "00:00:03.500";
            settings[$"Departments:{department.Name}:RetryBaseDelay"] = "00:00:00.050";
            settings[$"Departments:{department.Name}:BreakDuration"] = "00:00:01";
        }

        // The simulated identity platform: the hub trusts its tokens (a development issuer).
        foreach (var (key, value) in simulators.Identity.HubSettings())
        {
            settings[key] = value!;
        }

        // The keys the simulated departments sign their callbacks with (made for this run of the simulators).
        foreach (var (key, value) in OneThing.Hub.CallbackSigning.CallbackKeySettings.For(simulators.CallbackKeys))
        {
            settings[key] = value;
        }

        // Development personal-data keys, the same for every replica and restart on this database.
        foreach (var (key, value) in OneThing.Sandbox.SandboxPersonalDataKeys.Settings(connectionString))
        {
            settings[key] = value;
        }

        return settings;
    }

    /// <summary>Starts a hub process and waits until it answers gRPC calls.</summary>
    /// <param name="name">A short name for messages and the log file.</param>
    /// <param name="settings">Configuration keys (e.g. <c>Database:Provider</c>), passed as environment variables.</param>
    /// <param name="logDirectory">Where the hub's console output goes.</param>
    /// <param name="port">The port; 0 picks a free one.</param>
    /// <param name="cancellationToken">Stops the wait.</param>
    public static async Task<HubProcess> StartAsync(
        string name, Dictionary<string, string> settings, string logDirectory, int port = 0, CancellationToken cancellationToken = default, IdentityPlatformSimulator? identity = null)
    {
        Directory.CreateDirectory(logDirectory);
        for (var attempt = 1; ; attempt++)
        {
            var hub = new HubProcess(name, port == 0 ? FreePort() : port, settings, Path.Combine(logDirectory, name + ".log")) { _identity = identity };
            try
            {
                await hub.StartAgainAsync(cancellationToken).ConfigureAwait(false);
                return hub;
            }
            catch (InvalidOperationException e) when (port == 0 && attempt < 3 && e.Message.Contains("Bind", StringComparison.OrdinalIgnoreCase))
            {
                // The port was free when picked but another process (CI runs many at once) took it
                // before the hub bound it: pick another.
                await hub.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>Starts the process (again, after a kill) on the same port and settings and waits until it answers.</summary>
    public async Task StartAgainAsync(CancellationToken cancellationToken = default)
    {
        if (Running)
        {
            throw new InvalidOperationException($"{Name} is already running");
        }

        var assembly = FindHubAssembly();
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(assembly)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(assembly);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["Kestrel__EndpointDefaults__Protocols"] = "Http2";
        start.Environment["Kestrel__Endpoints__Grpc__Url"] = Address.ToString().TrimEnd('/');
        foreach (var (key, value) in _settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var log = new StreamWriter(_logFile, append: true) { AutoFlush = true };
        var logGate = new Lock();
        void Write(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (logGate)
            {
                log.WriteLine(line);
            }
        }

        process.OutputDataReceived += (_, e) => Write(e.Data);
        process.ErrorDataReceived += (_, e) => Write(e.Data);
        process.Exited += (_, _) =>
        {
            lock (logGate)
            {
                log.WriteLine($"--- {Name} exited");
                log.Dispose();
            }
        };
        Write($"--- {Name} start {Starts + 1}");
        if (!process.Start())
        {
            throw new InvalidOperationException($"{Name} did not start");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        Starts++;

        // One channel for the life of this object: callers keep their client across a kill, and the
        // channel connects again once the restarted process listens on the same port.
        if (_channel is null)
        {
            _channel = GrpcChannel.ForAddress(Address);
            Applications = new ApplicationService.ApplicationServiceClient(
                _identity is null ? _channel.CreateCallInvoker() : _channel.Intercept(new OneThing.Tests.Support.SandboxIdentities(_identity)));
        }

        await WaitReadyAsync(process, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Kills the process at once with SIGKILL: no graceful stop, in-flight work and leases left as they were.</summary>
    public void Kill()
    {
        if (_process is not { } process)
        {
            return;
        }

        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It has already exited.
        }

        process.WaitForExit(10_000);
    }

    /// <summary>The process's CPU time so far (user + system); zero when it is not running.</summary>
    public TimeSpan CpuTime()
    {
        if (_process is not { HasExited: false } process)
        {
            return TimeSpan.Zero;
        }

        process.Refresh();
        return process.TotalProcessorTime;
    }

    /// <summary>The process's peak resident set so far, in bytes (VmHWM on Linux); zero when it is not running.</summary>
    public long PeakWorkingSet()
    {
        if (_process is not { HasExited: false } process)
        {
            return 0;
        }

        process.Refresh();
        return process.PeakWorkingSet64;
    }

    /// <summary>The process's current resident set, in bytes; zero when it is not running.</summary>
    public long WorkingSet()
    {
        if (_process is not { HasExited: false } process)
        {
            return 0;
        }

        process.Refresh();
        return process.WorkingSet64;
    }

    /// <summary>The last lines of the hub's console output, for failure messages.</summary>
    public string LogTail(int lines = 30)
    {
        try
        {
            using var stream = new FileStream(_logFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            var all = reader.ReadToEnd().Split('\n');
            return string.Join('\n', all.TakeLast(lines));
        }
        catch (IOException)
        {
            return "(no log)";
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        Kill();
        _process?.Dispose();
        _process = null;
        _channel?.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task WaitReadyAsync(Process process, CancellationToken cancellationToken)
    {
        var catalog = new CatalogService.CatalogServiceClient(_channel);
        var started = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with code {process.ExitCode} while starting:\n{LogTail()}");
            }

            try
            {
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                attempt.CancelAfter(TimeSpan.FromSeconds(2));
                await catalog.ListThemesAsync(new ListThemesRequest(), cancellationToken: attempt.Token).ConfigureAwait(false);
                return;
            }
            catch (Grpc.Core.RpcException) when (started.Elapsed < ReadyBound && !cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(100, cancellationToken).ConfigureAwait(false);
            }
            catch (Grpc.Core.RpcException e)
            {
                throw new TimeoutException($"{Name} did not answer within {ReadyBound.TotalSeconds:0} s ({e.StatusCode}):\n{LogTail()}");
            }
        }
    }
}
