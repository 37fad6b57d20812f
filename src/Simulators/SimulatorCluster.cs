using OneThing.Hub.CallbackSigning;
using OneThing.Simulators.Internal;
using OneThing.Simulators.Internal.Callbacks;
using OneThing.Simulators.Internal.Control;
using OneThing.Simulators.Internal.HumanResources;
using OneThing.Simulators.Internal.Market;
using OneThing.Simulators.Internal.Messaging;
using OneThing.Simulators.Internal.SocialInsurance;
using OneThing.Simulators.Internal.SocialSecurityCard;
using OneThing.Simulators.Internal.Tax;

namespace OneThing.Simulators;

/// <summary>
/// The five simulated department systems and the control API, running in this process on loopback
/// ports. Several clusters may run side by side: each has its own population, state and ports.
/// </summary>
public sealed class SimulatorCluster : IAsyncDisposable
{
    private readonly WebApplication[] hosts;
    private readonly HubCallbackTarget callbackTarget;
    private readonly Lock gate = new();
    private Task? stopping;
    private bool disposed;

    private SimulatorCluster(
        SyntheticPopulation population, DepartmentSimulator[] departments, MessagingSimulator messaging, WebApplication[] hosts, Uri controlUri, HubCallbackTarget callbackTarget)
    {
        Messaging = messaging;
        this.callbackTarget = callbackTarget;
        Population = population;
        All = departments;
        this.hosts = hosts;
        ControlUri = controlUri;
    }

    /// <summary>The residents and businesses every department knows.</summary>
    public SyntheticPopulation Population { get; }

    /// <summary>The market regulation registry (REST/JSON), named "market-regulation".</summary>
    public DepartmentSimulator MarketRegulation => All[0];

    /// <summary>The tax system (gRPC), named "tax".</summary>
    public DepartmentSimulator Tax => All[1];

    /// <summary>The HR system (gRPC with rich errors: EmploymentService and the matter declarations of MatterService), named "human-resources".</summary>
    public DepartmentSimulator HumanResources => All[2];

    /// <summary>The social insurance agency (gRPC: FlexibleEmploymentService and UnemploymentInsuranceService), named "social-insurance".</summary>
    public DepartmentSimulator SocialInsurance => All[3];

    /// <summary>The social security card system (gRPC), named "social-security-card".</summary>
    public DepartmentSimulator SocialSecurityCard => All[4];

    /// <summary>All five, in the order above.</summary>
    public IReadOnlyList<DepartmentSimulator> All { get; }

    /// <summary>The notification channels: SMS gateway and message centre.</summary>
    public MessagingSimulator Messaging { get; }

    /// <summary>The identity platform: signs the tokens the hub trusts in the sandbox (development issuer).</summary>
    public IdentityPlatformSimulator Identity { get; private init; } = null!;

    /// <summary>
    /// The key each department signs its callbacks with, by stable name: <see cref="SimulatorOptions.CallbackKeys"/>,
    /// or a random key made for this run. The hub must be configured with the same keys
    /// (<see cref="CallbackKeySettings.For(IEnumerable{KeyValuePair{string, CallbackKey}})"/>).
    /// </summary>
    public IReadOnlyDictionary<string, CallbackKey> CallbackKeys { get; private init; } = new Dictionary<string, CallbackKey>();

    /// <summary>The base address of the control API.</summary>
    public Uri ControlUri { get; }

    /// <summary>
    /// Where the hub's DepartmentCallbackService listens, or null for no callbacks. Cases accepted while
    /// it is set are pushed there once decided; settable at any time (the hub may start after the cluster).
    /// </summary>
    public Uri? HubCallbackAddress
    {
        get => callbackTarget.Address;
        set => callbackTarget.Address = value;
    }

    /// <summary>Finds a department by its stable name.</summary>
    /// <exception cref="KeyNotFoundException">No department has that name.</exception>
    public DepartmentSimulator this[string name] =>
        All.FirstOrDefault(d => string.Equals(d.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new KeyNotFoundException($"No simulated department is named '{name}'.");

    /// <summary>Builds the population and starts the five simulators and the control API.</summary>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public static async Task<SimulatorCluster> StartAsync(SimulatorOptions options, CancellationToken cancellationToken = default)
    {
        Validate(options);
        var time = options.TimeProvider;
        var population = SyntheticPopulation.Create(options.PopulationSize, options.Seed, ChinaTime.Today(time));

        // Each department draws its faults from a stream of its own, so one department's traffic does
        // not change another's fault pattern.
        DepartmentSimulator Department(string name, int index) =>
            new(name, time, options.CompletionDelay, unchecked(options.Seed + (7919 * (index + 1))));

        var market = Department("market-regulation", 0);
        var tax = Department("tax", 1);
        var hr = Department("human-resources", 2);
        var socialInsurance = Department("social-insurance", 3);
        var card = Department("social-security-card", 4);
        DepartmentSimulator[] departments = [market, tax, hr, socialInsurance, card];

        // One HR system: the matter desk asks the certificate office who holds a 就业创业证.
        var hrOffice = new HumanResourcesOffice(population, time, unchecked(options.Seed + 31));
        var messaging = new MessagingSimulator(time);
        var identity = new IdentityPlatformSimulator(time);

        WebApplication[] hosts =
        [
            MarketRegulationApi.Build(options, options.MarketRegulationPort, market, new MarketRegistry(population, time)),
            SimulatorHost.BuildGrpc<TaxpayerInfoServiceImpl, TaxOffice>(
                options, options.TaxPort, tax, new TaxOffice(population, time)),
            SimulatorHost.BuildGrpc(options, options.HumanResourcesPort, hr, [hrOffice, new MatterDesk(population, time, hrOffice)], app =>
            {
                app.MapGrpcService<EmploymentServiceImpl>();
                app.MapGrpcService<MatterServiceImpl>();
            }),
            SimulatorHost.BuildGrpc(
                options,
                options.SocialInsurancePort,
                socialInsurance,
                [new SocialInsuranceOffice(population, time), new UnemploymentOffice(population, time)],
                app =>
                {
                    app.MapGrpcService<FlexibleEmploymentServiceImpl>();
                    app.MapGrpcService<UnemploymentInsuranceServiceImpl>();
                }),
            SimulatorHost.BuildGrpc<CardApplicationServiceImpl, CardOffice>(
                options, options.SocialSecurityCardPort, card, new CardOffice(population, time)),
            MessagingApi.Build(options, options.MessagingPort, messaging, time),
            ControlApi.Build(options, options.ControlPort, departments, population, identity),
        ];

        try
        {
            await Task.WhenAll(hosts.Select(h => h.StartAsync(cancellationToken))).ConfigureAwait(false);
        }
        catch
        {
            await StopAndDisposeAsync(hosts, CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        var callbackTarget = new HubCallbackTarget(options.HubCallbackAddress);
        var callbackKeys = departments.ToDictionary(
            d => d.Name,
            d => options.CallbackKeys?.GetValueOrDefault(d.Name) ?? CallbackKey.Generate($"{d.Name}-{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(4))}"),
            StringComparer.Ordinal);
        for (var i = 0; i < departments.Length; i++)
        {
            departments[i].Bind(SimulatorHost.BoundEndpoint(hosts[i]));
            departments[i].Callbacks = new CallbackSender(departments[i], callbackTarget, callbackKeys[departments[i].Name]);
            departments[i].Callbacks!.Start();
        }

        messaging.Endpoint = SimulatorHost.BoundEndpoint(hosts[^2]);
        return new SimulatorCluster(population, departments, messaging, hosts, SimulatorHost.BoundEndpoint(hosts[^1]), callbackTarget) { Identity = identity, CallbackKeys = callbackKeys };
    }

    /// <summary>Stops every host gracefully (in-flight calls may finish). Calling it again waits for the same stop.</summary>
    public Task StopAsync(CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            stopping ??= Task.WhenAll(hosts.Select(h => StopQuietlyAsync(h, cancellationToken)));
            return stopping;
        }
    }

    /// <summary>Stops the cluster if it still runs and releases its hosts.</summary>
    public async ValueTask DisposeAsync()
    {
        lock (gate)
        {
            if (disposed)
            {
                return;
            }

            disposed = true;
        }

        await StopAsync().ConfigureAwait(false);
        foreach (var department in All)
        {
            if (department.Callbacks is { } callbacks)
            {
                await callbacks.DisposeAsync().ConfigureAwait(false);
            }
        }

        foreach (var host in hosts)
        {
            await host.DisposeAsync().ConfigureAwait(false);
        }

        Identity.Dispose();
    }

    private static async Task StopQuietlyAsync(WebApplication host, CancellationToken cancellationToken)
    {
        try
        {
            await host.StopAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The caller gave up waiting for a graceful stop; disposing closes what is left.
        }
    }

    private static async Task StopAndDisposeAsync(WebApplication[] hosts, CancellationToken cancellationToken)
    {
        foreach (var host in hosts)
        {
            try
            {
                await host.StopAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is InvalidOperationException or OperationCanceledException or IOException)
            {
                // A host that never started cannot stop; it is disposed all the same.
            }

            await host.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static void Validate(SimulatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(options.TimeProvider, nameof(options.TimeProvider));
        SimulatorHost.ParseHost(options.Host ?? throw new ArgumentException("Host is required.", nameof(options)));
        foreach (var (name, port) in new[]
        {
            (nameof(options.MarketRegulationPort), options.MarketRegulationPort),
            (nameof(options.TaxPort), options.TaxPort),
            (nameof(options.HumanResourcesPort), options.HumanResourcesPort),
            (nameof(options.SocialInsurancePort), options.SocialInsurancePort),
            (nameof(options.SocialSecurityCardPort), options.SocialSecurityCardPort),
            (nameof(options.ControlPort), options.ControlPort),
        })
        {
            if (port is < 0 or > 65535)
            {
                throw new ArgumentException($"{name} must lie within 0..65535 (0 = any free port).", nameof(options));
            }
        }

        if (options.CompletionDelay < TimeSpan.Zero)
        {
            throw new ArgumentException("CompletionDelay must not be negative.", nameof(options));
        }

        if (options.PopulationSize < 0)
        {
            throw new ArgumentException("PopulationSize must not be negative.", nameof(options));
        }
    }
}
