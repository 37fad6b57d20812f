using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using OneThing.Hub.Hosting;
using OneThing.Hub.V1;
using OneThing.Sandbox;
using OneThing.Simulators;

namespace OneThing.Tests.Support;

/// <summary>
/// The hub on a SQLite file of its own and the five simulators, all on loopback with free ports,
/// reached through real gRPC. The hub can be stopped and started again on the same database.
/// </summary>
public sealed class HubSandbox : IAsyncDisposable
{
    private static readonly TimeSpan StopBound = TimeSpan.FromSeconds(30);
    private readonly string _directory;
    private readonly Dictionary<string, string?> _overrides;
    private WebApplication? _hub;
    private GrpcChannel? _channel;

    private TimeProvider _time;
    private bool _callbacks;
    private Action<IServiceCollection>? _hubServices;

    private HubSandbox(SimulatorCluster simulators, string directory, Dictionary<string, string?> overrides, TimeProvider time)
    {
        Simulators = simulators;
        _directory = directory;
        _overrides = overrides;
        _time = time;
    }

    /// <summary>The department simulators.</summary>
    public SimulatorCluster Simulators { get; }

    /// <summary>The SQLite file the hub uses.</summary>
    public string DatabaseFile => Path.Combine(_directory, "hub.db");

    /// <summary>The bare channel to the running hub: calls on it carry no identity (see <see cref="Invoker"/>).</summary>
    public GrpcChannel Channel => _channel ?? throw new InvalidOperationException("the hub is not running");

    /// <summary>The channel with the sandbox's default identities (<see cref="SandboxIdentities"/>), for clients the sandbox does not make itself.</summary>
    public CallInvoker Invoker { get; private set; } = null!;

    /// <summary>Who the default clients are: each call is signed for the caller a real system would be.</summary>
    public SandboxIdentities Identities { get; private set; } = null!;

    /// <summary>The identity platform that signs the tokens the hub trusts here.</summary>
    public OneThing.Simulators.IdentityPlatformSimulator Identity => Simulators.Identity;

    /// <summary>Clients that send exactly <paramref name="token"/> (or nothing when null) with every call.</summary>
    public HubClients ClientsAs(string? token)
    {
        CallInvoker invoker = token is null
            ? Channel.CreateCallInvoker()
            : Channel.Intercept(metadata =>
            {
                metadata.Add("authorization", "Bearer " + token);
                return metadata;
            });
        return new HubClients(invoker);
    }

    /// <summary>The application API of the running hub.</summary>
    public ApplicationService.ApplicationServiceClient Applications { get; private set; } = null!;

    /// <summary>The catalog API of the running hub.</summary>
    public CatalogService.CatalogServiceClient Catalog { get; private set; } = null!;

    /// <summary>The departments' callback API of the running hub.</summary>
    public DepartmentCallbackService.DepartmentCallbackServiceClient Callbacks { get; private set; } = null!;

    /// <summary>The operators' API of the running hub.</summary>
    public OperatorService.OperatorServiceClient Operators { get; private set; } = null!;

    /// <summary>The material upload API of the running hub.</summary>
    public MaterialService.MaterialServiceClient Materials { get; private set; } = null!;

    /// <summary>The running hub's services (tests may reach inside).</summary>
    public IServiceProvider HubServices => _hub?.Services ?? throw new InvalidOperationException("the hub is not running");

    /// <summary>Today in China by the sandbox's clock.</summary>
    public DateOnly Today => DateOnly.FromDateTime(_time.GetUtcNow().ToOffset(TimeSpan.FromHours(8)).DateTime);

    /// <summary>The hub's address: gRPC (HTTP/2) and HTTP/JSON, the OpenAPI document and its page (HTTP/1.1 or HTTP/2).</summary>
    public Uri HubAddress { get; private set; } = null!;

    /// <summary>Starts the simulators and the hub; with <paramref name="callbacks"/> the departments push results to the hub.</summary>
    public static async Task<HubSandbox> StartAsync(Dictionary<string, string?>? overrides = null, TimeSpan? completionDelay = null, TimeProvider? time = null, bool callbacks = false, Action<IServiceCollection>? hubServices = null)
    {
        time ??= TimeProvider.System;
        var simulators = await SimulatorCluster.StartAsync(new SimulatorOptions
        {
            CompletionDelay = completionDelay ?? TimeSpan.FromMilliseconds(300),
            PopulationSize = 200,
            TimeProvider = time,
        }).Within();
        var directory = Path.Combine(Path.GetTempPath(), "onething-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var sandbox = new HubSandbox(simulators, directory, overrides ?? [], time) { _callbacks = callbacks, _hubServices = hubServices };
        sandbox.Identities = new SandboxIdentities(simulators.Identity, () => sandbox._time.GetUtcNow());
        await sandbox.StartHubAsync().Within();
        return sandbox;
    }

    /// <summary>Starts the hub (again) on the same database file; <paramref name="time"/> gives it another clock from now on.</summary>
    public async Task StartHubAsync(TimeProvider? time = null)
    {
        _time = time ?? _time;
        var settings = SandboxRunner.HubSettings(Simulators, "http://127.0.0.1:0", $"Data Source={DatabaseFile}");
        settings["Dispatch:IdlePollInterval"] = "00:00:00.100";
        settings["Dispatch:ReconciliationInterval"] = "00:00:00.200";
        settings["Dispatch:RetryBaseDelay"] = "00:00:00.200";
        settings["Dispatch:RetryMaxDelay"] = "00:00:01";
        settings["Dispatch:LeaseDuration"] = "00:00:20";
        settings["Dispatch:AdapterCallTimeout"] = "00:00:10";
        // Retries are expected here; only errors are worth a reader's time in test output.
        settings["Logging:LogLevel:Default"] = "Error";
        // Polly logs every handled retry at Error level, and EF Core logs the migration-history probe of
        // a new database as a failed command; both are expected here and drown a failing test's message.
        settings["Logging:LogLevel:Polly"] = "None";
        settings["Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command"] = "None";

        // Kestrel warns at every start that a cleartext Http1AndHttp2 endpoint serves HTTP/1.1 only; the
        // hub's own protocol detection (CleartextProtocolNegotiation) serves h2c there all the same.
        settings["Logging:LogLevel:Microsoft.AspNetCore.Server.Kestrel"] = "Error";
        foreach (var department in Simulators.All)
        {
            settings[$"Departments:{department.Name}:AttemptTimeout"] = "00:00:02";
            settings[$"Departments:{department.Name}:TotalTimeout"] = "00:00:06";
            settings[$"Departments:{department.Name}:RetryBaseDelay"] = "00:00:00.050";
            settings[$"Departments:{department.Name}:BreakDuration"] = "00:00:02";
        }

        foreach (var (key, value) in _overrides)
        {
            settings[key] = value;
        }

        var hub = HubHost.Build([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(settings);
            builder.Services.AddSingleton(_time);
            _hubServices?.Invoke(builder.Services);
        });
        await hub.StartAsync().Within();
        // The hub's loopback endpoint (gRPC and HTTP/JSON on one port), not its private h2c Unix socket.
        var address = hub.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .First(a => !a.StartsWith("http://unix:", StringComparison.Ordinal));
        HubAddress = new Uri(address);
        _hub = hub;
        _channel = GrpcChannel.ForAddress(HubAddress);
        var invoker = _channel.Intercept(Identities);
        Invoker = invoker;
        Applications = new ApplicationService.ApplicationServiceClient(invoker);
        Catalog = new CatalogService.CatalogServiceClient(invoker);
        Callbacks = new DepartmentCallbackService.DepartmentCallbackServiceClient(invoker.Intercept(new OneThing.Hub.CallbackSigning.CallbackSigner(d => Simulators.CallbackKeys.GetValueOrDefault(d), _time)));
        Operators = new OperatorService.OperatorServiceClient(invoker);
        Materials = new MaterialService.MaterialServiceClient(invoker);
        Simulators.HubCallbackAddress = _callbacks ? HubAddress : null;
    }

    /// <summary>Stops the hub gracefully, as an operator would; the database stays.</summary>
    public async Task StopHubAsync()
    {
        if (_hub is null)
        {
            return;
        }

        _channel?.Dispose();
        using var cts = new CancellationTokenSource(StopBound);
        await _hub.StopAsync(cts.Token).WaitAsync(StopBound);
        await _hub.DisposeAsync().AsTask().WaitAsync(StopBound);
        _hub = null;
    }

    /// <summary>Submits an application with a fresh request id.</summary>
    public Task<Application> SubmitAsync(Application application, string? requestId = null) =>
        Applications.SubmitApplicationAsync(
            new SubmitApplicationRequest { Application = application, RequestId = requestId ?? Guid.NewGuid().ToString() },
            Bounded.Options).Within();

    /// <summary>Watches the application until every item is final, returning the last state.</summary>
    public async Task<Application> WaitForCompletionAsync(string name, TimeSpan? bound = null)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(bound ?? Bounded.Default);
        using var watch = Applications.WatchApplication(new WatchApplicationRequest { Name = name }, cancellationToken: cts.Token);
        Application? last = null;
        await foreach (var update in watch.ResponseStream.ReadAllAsync(cts.Token))
        {
            last = update;
            if (update.State == Application.Types.State.Completed)
            {
                return update;
            }
        }

        throw new InvalidOperationException($"the watch of {name} ended before completion; last state {last?.State}");
    }

    /// <summary>Polls the application until <paramref name="condition"/> holds.</summary>
    public async Task<Application> WaitUntilAsync(string name, Func<Application, bool> condition, TimeSpan? bound = null)
    {
        var until = DateTime.UtcNow + (bound ?? Bounded.Default);
        while (true)
        {
            var application = await Applications.GetApplicationAsync(new GetApplicationRequest { Name = name }, Bounded.Options).Within();
            if (condition(application))
            {
                return application;
            }

            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException($"{name} did not reach the expected state; it is {application.State}: " +
                    string.Join(", ", application.Items.Select(i => $"{i.ItemCode}={i.State}")));
            }

            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopHubAsync();
        await Simulators.DisposeAsync().AsTask().WaitAsync(StopBound);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }
}

/// <summary>The hub's clients over one call invoker (one identity).</summary>
public sealed class HubClients(CallInvoker invoker)
{
    /// <summary>The application API.</summary>
    public ApplicationService.ApplicationServiceClient Applications { get; } = new(invoker);

    /// <summary>The catalog API.</summary>
    public CatalogService.CatalogServiceClient Catalog { get; } = new(invoker);

    /// <summary>The departments' callback API.</summary>
    public DepartmentCallbackService.DepartmentCallbackServiceClient Callbacks { get; } = new(invoker);

    /// <summary>The operators' API.</summary>
    public OperatorService.OperatorServiceClient Operators { get; } = new(invoker);

    /// <summary>The material API.</summary>
    public MaterialService.MaterialServiceClient Materials { get; } = new(invoker);

    /// <summary>The rating API.</summary>
    public RatingService.RatingServiceClient Ratings { get; } = new(invoker);

    /// <summary>The certificate API.</summary>
    public CertificateService.CertificateServiceClient Certificates { get; } = new(invoker);
}
