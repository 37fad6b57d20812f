using System.Net.Sockets;
using System.Text;
using OneThing.Tests.Support;

namespace OneThing.Tests.Http;

/// <summary>
/// The hub's one cleartext port tells HTTP/2 with prior knowledge from HTTP/1.1 by the first bytes,
/// even when they arrive in pieces.
/// </summary>
public sealed class CleartextNegotiationTests
{
    [Fact]
    public async Task SplitHttp2Preface_AnsweredWithHttp2Settings()
    {
        await using var sandbox = await HubSandbox.StartAsync().Within();
        var preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray();
        byte[] emptySettings = [0, 0, 0, 4, 0, 0, 0, 0, 0];

        var answer = await ExchangeAsync(sandbox, [preface[..3], preface[3..], emptySettings], 9);

        // The server's first frame is its SETTINGS frame (type 4 on stream 0), not an HTTP/1.1 answer.
        Assert.Equal(4, answer[3]);
        Assert.Equal([0, 0, 0, 0], answer[5..9]);
    }

    [Fact]
    public async Task SplitHttp1Request_AnsweredWithHttp1()
    {
        await using var sandbox = await HubSandbox.StartAsync().Within();
        var token = sandbox.Identity.Applicant(sandbox.Simulators.Population.Scenarios.Ready.IdNumber);
        var request = Encoding.ASCII.GetBytes(
            $"POST /v1/applications:validate HTTP/1.1\r\nHost: hub\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{{}}");

        // "P" could begin the HTTP/2 preface, so the hub waits for more; "PO" cannot, and every byte
        // goes to HTTP/1.1 unchanged: an empty validation is refused as a bad request.
        var answer = await ExchangeAsync(sandbox, [request[..1], request[1..]], 12);

        Assert.Equal("HTTP/1.1 400", Encoding.ASCII.GetString(answer));
    }

    private static async Task<byte[]> ExchangeAsync(HubSandbox sandbox, byte[][] pieces, int answerLength)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(sandbox.HubAddress.Host, sandbox.HubAddress.Port, TestContext.Current.CancellationToken).AsTask().Within();
        var stream = client.GetStream();
        foreach (var piece in pieces)
        {
            await stream.WriteAsync(piece, TestContext.Current.CancellationToken).AsTask().Within();
            await stream.FlushAsync(TestContext.Current.CancellationToken).Within();
            await Task.Delay(150, TestContext.Current.CancellationToken).Within();
        }

        var answer = new byte[answerLength];
        await stream.ReadExactlyAsync(answer, TestContext.Current.CancellationToken).AsTask().Within();
        return answer;
    }
}
