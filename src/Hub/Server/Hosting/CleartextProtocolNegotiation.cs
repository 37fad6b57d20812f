using System.Buffers;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace OneThing.Hub.Hosting;

/// <summary>
/// Lets one cleartext endpoint configured as <c>Http1AndHttp2</c> serve both HTTP/1.1 (curl, browsers:
/// the JSON API, the OpenAPI page) and HTTP/2 with prior knowledge (gRPC clients over <c>http://</c>).
/// </summary>
/// <remarks>
/// Kestrel 10 picks HTTP/1.1 for every cleartext connection on such an endpoint, because without TLS
/// there is no ALPN, and answers a gRPC client's HTTP/2 preface with HTTP_1_1_REQUIRED. This reads
/// the first bytes of each connection without consuming them: the 24-byte HTTP/2 client preface
/// (RFC 9113 §3.4) hands the connection to an HTTP/2-only pipeline that Kestrel builds for a private
/// Unix socket endpoint of this process; anything else continues on the endpoint's own pipeline
/// (HTTP/1.1). Endpoints with other protocol settings, and TLS connections (their first byte is a
/// TLS record, never the preface), are untouched. Kestrel gains the same detection in a later
/// release; this can go then.
/// </remarks>
public sealed class CleartextProtocolNegotiation : IDisposable
{
    private static readonly byte[] Http2Preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray();

    // A connection that sends nothing is closed after this long, as Kestrel's keep-alive timeout would.
    private static readonly TimeSpan FirstBytesTimeout = TimeSpan.FromSeconds(130);

    private readonly TaskCompletionSource<ConnectionDelegate> _http2 = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly string _socketPath = Path.Combine(Path.GetTempPath(), $"onething-h2c-{Guid.NewGuid():N}.sock");

    /// <summary>
    /// True when any endpoint under <c>Kestrel:Endpoints</c> is cleartext and serves both HTTP/1.1 and
    /// HTTP/2 (its own <c>Protocols</c>, else <c>Kestrel:EndpointDefaults:Protocols</c>, else Kestrel's
    /// default <c>Http1AndHttp2</c>).
    /// </summary>
    public static bool IsNeeded(IConfiguration configuration)
    {
        var defaults = configuration["Kestrel:EndpointDefaults:Protocols"];
        return configuration.GetSection("Kestrel:Endpoints").GetChildren().Any(endpoint =>
            endpoint["Url"] is { } url
            && url.StartsWith("http://", StringComparison.OrdinalIgnoreCase)
            && BothProtocols(endpoint["Protocols"] ?? defaults ?? nameof(HttpProtocols.Http1AndHttp2)));
    }

    /// <summary>Adds the private HTTP/2 endpoint and the detection on every cleartext HTTP/1.1-and-HTTP/2 endpoint.</summary>
    public void Configure(KestrelServerOptions kestrel)
    {
        kestrel.ApplicationServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopped.Register(Dispose);
        kestrel.ConfigureEndpointDefaults(listen => listen.Use(next =>
            listen.Protocols.HasFlag(HttpProtocols.Http1) && listen.Protocols.HasFlag(HttpProtocols.Http2) && listen.SocketPath is null
                ? connection => DispatchAsync(connection, next)
                : next));

        kestrel.ListenUnixSocket(_socketPath, listen =>
        {
            listen.Protocols = HttpProtocols.Http2;
            listen.Use(next =>
            {
                _http2.TrySetResult(next);
                return next;
            });
        });
    }

    /// <inheritdoc />
    public void Dispose()
    {
        try
        {
            File.Delete(_socketPath);
        }
        catch (IOException)
        {
            // A leftover socket file in the temp folder is harmless.
        }
    }

    private static bool BothProtocols(string protocols) =>
        protocols.Contains("Http1", StringComparison.OrdinalIgnoreCase) && protocols.Contains("Http2", StringComparison.OrdinalIgnoreCase);

    private async Task DispatchAsync(ConnectionContext connection, ConnectionDelegate http1)
    {
        bool isHttp2;
        // Stops waiting when the client goes, when it sends nothing for too long, or when the server
        // shuts down (so an idle connection does not hold up a graceful stop).
        var closing = connection.Features.Get<IConnectionLifetimeNotificationFeature>()?.ConnectionClosedRequested ?? CancellationToken.None;
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(connection.ConnectionClosed, closing))
        {
            timeout.CancelAfter(FirstBytesTimeout);
            try
            {
                isHttp2 = await StartsWithPrefaceAsync(connection.Transport.Input, timeout.Token);
            }
            catch (OperationCanceledException)
            {
                connection.Abort(new ConnectionAbortedException("no request arrived"));
                return;
            }
        }

        var target = isHttp2 ? await _http2.Task.WaitAsync(connection.ConnectionClosed) : http1;
        await target(connection);
    }

    // Reads until the bytes either diverge from the preface or hold all of it, consuming nothing, so
    // the chosen pipeline reads the connection from its first byte.
    private static async Task<bool> StartsWithPrefaceAsync(System.IO.Pipelines.PipeReader input, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await input.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            var examined = buffer.Start;
            try
            {
                var length = (int)Math.Min(buffer.Length, Http2Preface.Length);
                var head = length == 0 ? [] : buffer.Slice(0, length).ToArray();
                if (!head.AsSpan().SequenceEqual(Http2Preface.AsSpan(0, length)))
                {
                    return false;
                }

                if (length == Http2Preface.Length)
                {
                    return true;
                }

                if (result.IsCompleted || result.IsCanceled)
                {
                    return false;
                }

                // A prefix of the preface so far: wait for more bytes.
                examined = buffer.End;
            }
            finally
            {
                input.AdvanceTo(buffer.Start, examined);
            }
        }
    }
}
