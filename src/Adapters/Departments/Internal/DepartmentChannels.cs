using Grpc.Net.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace OneThing.Adapters.Internal;

/// <summary>
/// One long-lived gRPC channel per department (a channel multiplexes calls over pooled HTTP/2
/// connections, so it is created once and shared), disposed with the service provider.
/// </summary>
internal sealed class DepartmentChannels(IOptionsMonitor<DepartmentAdapterOptions> options, ILoggerFactory loggerFactory) : IDisposable
{
    private readonly Dictionary<Department, GrpcChannel> channels = [];
    private readonly Lock gate = new();
    private bool disposed;

    public GrpcChannel For(Department department)
    {
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            if (!channels.TryGetValue(department, out var channel))
            {
                channel = Create(options.Get(department.ToName()));
                channels.Add(department, channel);
            }

            return channel;
        }
    }

    public void Dispose()
    {
        lock (gate)
        {
            disposed = true;
            foreach (var channel in channels.Values)
            {
                channel.Dispose();
            }

            channels.Clear();
        }
    }

    private GrpcChannel Create(DepartmentAdapterOptions departmentOptions)
    {
        var endpoint = departmentOptions.Endpoint
            ?? throw new InvalidOperationException("The department endpoint is not configured.");

        var handler = new SocketsHttpHandler
        {
            // Concurrent calls beyond one connection's stream limit open more connections instead of queueing.
            EnableMultipleHttp2Connections = true,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            KeepAlivePingDelay = TimeSpan.FromSeconds(60),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(30),
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests,
            ConnectTimeout = departmentOptions.AttemptTimeout,
        };

        return GrpcChannel.ForAddress(endpoint, new GrpcChannelOptions
        {
            HttpHandler = handler,
            DisposeHttpClient = true,
            LoggerFactory = loggerFactory,
            // Retries belong to the department's Polly pipeline alone; two layers would multiply attempts.
            ServiceConfig = null,
            MaxRetryAttempts = 0,
            // Lets Polly's attempt timeout and the caller's token surface as OperationCanceledException
            // rather than RpcException(Cancelled), so each is told apart correctly.
            ThrowOperationCanceledOnCancellation = true,
        });
    }
}
