using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OneThing.Simulators;

namespace OneThing.Adapters.Conformance;

/// <summary>
/// An adapter the kit builds for a run: a bundled in-process adapter, or <see cref="GatewayAdapter"/> in
/// front of an out-of-process gateway, both wired exactly as the hub wires them (options, Polly
/// pipeline, channels) and pointed at the given simulators. Dispose it after the run.
/// </summary>
public sealed class AdapterUnderTest : IAsyncDisposable, IDisposable
{
    /// <summary>The attempt timeout the kit configures: short, so the timeout check is quick, yet above a cold first call on a busy machine.</summary>
    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(2);

    /// <summary>The total timeout the kit configures (the adapter's deadline for one call, retries included).</summary>
    public static readonly TimeSpan TotalTimeout = TimeSpan.FromSeconds(5);

    private readonly ServiceProvider provider;

    private AdapterUnderTest(ServiceProvider provider, IDepartmentAdapter adapter, Department department, string description)
    {
        this.provider = provider;
        Adapter = adapter;
        Department = department;
        Description = description;
    }

    /// <summary>The adapter.</summary>
    public IDepartmentAdapter Adapter { get; }

    /// <summary>The department it serves.</summary>
    public Department Department { get; }

    /// <summary>How a report names it, e.g. "bundled SocialSecurityCardAdapter" or "gateway http://127.0.0.1:7070".</summary>
    public string Description { get; }

    /// <summary>Its deadline for one call, all attempts included.</summary>
    public TimeSpan Deadline => TotalTimeout;

    /// <summary>The bundled in-process adapter of <paramref name="department"/>, speaking the simulator's native API.</summary>
    public static AdapterUnderTest Bundled(SimulatorCluster simulators, Department department) => Create(simulators, department, gateway: null);

    /// <summary><see cref="GatewayAdapter"/> for <paramref name="department"/>, calling the DepartmentGatewayService at <paramref name="gateway"/>.</summary>
    public static AdapterUnderTest Gateway(SimulatorCluster simulators, Department department, Uri gateway)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        return Create(simulators, department, gateway);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => provider.DisposeAsync();

    /// <inheritdoc />
    public void Dispose() => provider.Dispose();

    private static AdapterUnderTest Create(SimulatorCluster simulators, Department department, Uri? gateway)
    {
        ArgumentNullException.ThrowIfNull(simulators);
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var simulator in simulators.All)
        {
            var section = $"Departments:{simulator.Name}";
            settings[$"{section}:Endpoint"] = simulator.Endpoint.ToString();
            settings[$"{section}:AttemptTimeout"] = AttemptTimeout.ToString("c", CultureInfo.InvariantCulture);
            settings[$"{section}:TotalTimeout"] = TotalTimeout.ToString("c", CultureInfo.InvariantCulture);
            settings[$"{section}:MaxRetryAttempts"] = "3";
            settings[$"{section}:RetryBaseDelay"] = "00:00:00.050";
            // The breaker stays closed during the fault checks: an open circuit would answer "unavailable"
            // at once and hide whether the adapter itself treats errors and timeouts as transient.
            settings[$"{section}:BreakerMinimumThroughput"] = "1000";
        }

        if (gateway is not null)
        {
            settings[$"Departments:{department.ToName()}:Endpoint"] = gateway.ToString();
            settings[$"Departments:{department.ToName()}:Transport"] = DepartmentAdapterOptions.GatewayTransport;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddDepartmentAdapters(configuration.GetSection("Departments"));
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        try
        {
            var adapter = provider.GetServices<IDepartmentAdapter>().Single(a => a.Department == department);
            var description = gateway is null ? $"bundled {adapter.GetType().Name}" : $"gateway {gateway.ToString().TrimEnd('/')}";
            return new AdapterUnderTest(provider, adapter, department, description);
        }
        catch
        {
            provider.Dispose();
            throw;
        }
    }
}
