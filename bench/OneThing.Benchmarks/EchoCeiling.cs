using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using OneThing.Benchmarks.Echo;

namespace OneThing.Benchmarks;

/// <summary>The ceiling of a bare gRPC unary call on loopback: an echo service on Kestrel in this process.</summary>
public static class EchoCeiling
{
    /// <summary>Runs the echo at <paramref name="clients"/> concurrent callers over one channel, as the hub's load does.</summary>
    public static async Task<LoopResult> MeasureAsync(int clients, int payloadBytes, TimeSpan warmUp, TimeSpan window)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        await using var app = builder.Build();
        app.MapGrpcService<EchoServiceImpl>();
        await app.StartAsync().ConfigureAwait(false);
        try
        {
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            using var channel = Channels.For(new Uri(address));
            var client = new EchoService.EchoServiceClient(channel);
            var request = new EchoRequest { Payload = ByteString.CopyFrom(new byte[payloadBytes]) };
            return await ClosedLoop.RunAsync(clients, warmUp, window, async (_, _, ct) =>
                await client.EchoAsync(request, cancellationToken: ct).ConfigureAwait(false)).ConfigureAwait(false);
        }
        finally
        {
            await app.StopAsync().ConfigureAwait(false);
        }
    }
}

/// <summary>Returns the payload it is sent.</summary>
internal sealed class EchoServiceImpl : EchoService.EchoServiceBase
{
    /// <inheritdoc />
    public override Task<EchoResponse> Echo(EchoRequest request, ServerCallContext context) =>
        Task.FromResult(new EchoResponse { Payload = request.Payload });
}

/// <summary>The one way this benchmark opens gRPC channels, so the echo and the hub are called alike.</summary>
public static class Channels
{
    /// <summary>A channel to a loopback h2c address that may open more HTTP/2 connections under load.</summary>
    public static GrpcChannel For(Uri address) => GrpcChannel.ForAddress(address, new GrpcChannelOptions
    {
        HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true },
        MaxReceiveMessageSize = 8 * 1024 * 1024,
    });
}
