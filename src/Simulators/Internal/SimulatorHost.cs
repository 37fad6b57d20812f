using System.Net;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace OneThing.Simulators.Internal;

/// <summary>
/// Builds the web hosts of the simulators: an empty builder (no configuration files, no environment
/// variables, so nothing on disk or in the process environment changes what a test gets), Kestrel on
/// one endpoint, quiet logging, and a lifetime the cluster controls.
/// </summary>
internal static class SimulatorHost
{
    public static WebApplicationBuilder CreateBuilder(SimulatorOptions options, int port, HttpProtocols protocols)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions
        {
            // Set explicitly: the entry assembly is the test runner when the cluster runs inside tests.
            ApplicationName = typeof(SimulatorCluster).Assembly.GetName().Name,
            EnvironmentName = Environments.Production,
            ContentRootPath = AppContext.BaseDirectory,
        });

        var address = ParseHost(options.Host);
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(address, port, listen => listen.Protocols = protocols);
        });

        // The cluster starts and stops the hosts; no host may hook Ctrl+C or SIGTERM on its own.
        builder.Services.RemoveAll<IHostLifetime>();
        builder.Services.AddSingleton<IHostLifetime, ClusterControlledLifetime>();
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(5));
        builder.Services.AddSingleton(options.TimeProvider);

        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        if (options.ConfigureLogging is { } configureLogging)
        {
            configureLogging(builder.Logging);
        }
        else
        {
            builder.Logging.AddSimpleConsole(console => console.SingleLine = true);
        }

        return builder;
    }

    /// <summary>Builds a gRPC department host: HTTP/2 without TLS (h2c), faults injected before the service runs.</summary>
    public static WebApplication BuildGrpc<TService, TOffice>(
        SimulatorOptions options, int port, DepartmentSimulator simulator, TOffice office)
        where TService : class
        where TOffice : class =>
        BuildGrpc(options, port, simulator, [office], app => app.MapGrpcService<TService>());

    /// <summary>
    /// Builds a gRPC department host serving several services (one department system, one port):
    /// each office is registered under its own type for the services that <paramref name="mapServices"/> maps.
    /// </summary>
    public static WebApplication BuildGrpc(
        SimulatorOptions options, int port, DepartmentSimulator simulator, IReadOnlyList<object> offices, Action<WebApplication> mapServices)
    {
        var builder = CreateBuilder(options, port, HttpProtocols.Http2);
        builder.Services.AddGrpc(grpc => grpc.Interceptors.Add<FaultInjectionInterceptor>());
        builder.Services.AddSingleton(simulator);
        foreach (var office in offices)
        {
            builder.Services.AddSingleton(office.GetType(), office);
        }

        var app = builder.Build();
        mapServices(app);
        return app;
    }

    /// <summary>Reads the address Kestrel actually bound (the port is chosen by the OS when 0 was asked for).</summary>
    public static Uri BoundEndpoint(WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses;
        var bound = new Uri(addresses.First());
        return new UriBuilder(Uri.UriSchemeHttp, bound.Host, bound.Port).Uri;
    }

    public static IPAddress ParseHost(string host)
    {
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return IPAddress.Loopback;
        }

        return IPAddress.TryParse(host, out var address)
            ? address
            : throw new ArgumentException($"Host must be an IP address or \"localhost\", not \"{host}\".", nameof(host));
    }

    /// <summary>A host lifetime that waits for nothing and listens to no signal.</summary>
    private sealed class ClusterControlledLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

/// <summary>Refuses gRPC calls that an injected fault hits, before the service sees them.</summary>
internal sealed class FaultInjectionInterceptor(DepartmentSimulator simulator) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        switch (await simulator.ApplyFaultsAsync(context.CancellationToken).ConfigureAwait(false))
        {
            case FaultVerdict.Outage:
                throw new RpcException(new Status(StatusCode.Unavailable, "simulated outage"));
            case FaultVerdict.TransientError:
                throw new RpcException(new Status(StatusCode.Unavailable, "simulated transient error"));
            default:
                return await continuation(request, context).ConfigureAwait(false);
        }
    }
}
