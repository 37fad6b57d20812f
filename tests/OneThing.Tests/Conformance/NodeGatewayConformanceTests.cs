using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using OneThing.Adapters;
using OneThing.Adapters.Conformance;
using OneThing.Tests.Support;

namespace OneThing.Tests.Conformance;

/// <summary>
/// The Node example gateway (examples/node-gateway-adapter), run as a real `node` process on loopback and
/// reached through GatewayAdapter, passes the conformance suite against the card simulator.
/// </summary>
public sealed class NodeGatewayConformanceTests(ConformanceClusterFixture fixture) : IClassFixture<ConformanceClusterFixture>
{
    private static readonly TimeSpan ListenBound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task RunAsync_NodeExampleGateway_PassesEveryCheck()
    {
        var node = FindOnPath("node")
            ?? throw new Xunit.Sdk.XunitException(
                "Node.js is not installed (no `node` on PATH). The Node example gateway adapter is part of the suite: install Node.js 20 or later (CI installs it) and run eng/ci/node-example.sh.");
        var example = Path.Combine(RepositoryTools.Root, "examples", "node-gateway-adapter");
        if (!Directory.Exists(Path.Combine(example, "node_modules", "@grpc", "grpc-js")))
        {
            var (exitCode, output) = await RepositoryTools.RunAsync(
                "bash", [Path.Combine(RepositoryTools.Root, "eng", "ci", "node-example.sh")], RepositoryTools.Root, TimeSpan.FromMinutes(5));
            Assert.True(exitCode == 0, $"eng/ci/node-example.sh failed with exit code {exitCode}:\n{output}");
        }

        var port = FreeLoopbackPort();
        using var gateway = NodeGateway.Start(node, example, port, fixture.Cluster.SocialSecurityCard.Endpoint.Authority);
        await gateway.Listening.Within(ListenBound);
        using var adapter = AdapterUnderTest.Gateway(fixture.Cluster, Department.SocialSecurityCard, new Uri($"http://127.0.0.1:{port}"));

        var report = await ConformanceSuite.RunAsync(adapter, fixture.Cluster, TestContext.Current.CancellationToken).Within(TimeSpan.FromMinutes(2));

        Assert.True(report.Passed, report.ToText(verbose: true) + "\n--- node output ---\n" + gateway.Output);
        Assert.Equal($"gateway http://127.0.0.1:{port}", report.Adapter);
    }

    private static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, program))
            .FirstOrDefault(File.Exists);

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The `node server.js` process: its output, when it listens, and its end (killed on dispose).</summary>
    private sealed class NodeGateway : IDisposable
    {
        private readonly Process process;
        private readonly System.Text.StringBuilder output = new();
        private readonly Lock gate = new();
        private readonly TaskCompletionSource listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

        private NodeGateway(Process process) => this.process = process;

        /// <summary>Completes when the gateway prints that it listens; fails if it exits first.</summary>
        public Task Listening => listening.Task;

        public string Output
        {
            get
            {
                lock (gate)
                {
                    return output.ToString();
                }
            }
        }

        public static NodeGateway Start(string node, string example, int port, string cardSystem)
        {
            var start = new ProcessStartInfo(node, ["server.js"])
            {
                WorkingDirectory = example,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.Environment["HOST"] = "127.0.0.1";
            start.Environment["PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            start.Environment["SSCARD_ENDPOINT"] = cardSystem;
            var process = new Process { StartInfo = start, EnableRaisingEvents = true };
            var gateway = new NodeGateway(process);
            process.OutputDataReceived += (_, e) => gateway.Record(e.Data);
            process.ErrorDataReceived += (_, e) => gateway.Record(e.Data);
            process.Exited += (_, _) => gateway.listening.TrySetException(
                new InvalidOperationException($"node exited with code {process.ExitCode} before it listened:\n{gateway.Output}"));
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return gateway;
        }

        public void Dispose()
        {
            try
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                    process.WaitForExit(5000);
                }
            }
            catch (InvalidOperationException)
            {
                // It exited on its own meanwhile.
            }

            process.Dispose();
        }

        private void Record(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (gate)
            {
                output.AppendLine(line);
            }

            if (line.Contains("listening on", StringComparison.Ordinal))
            {
                listening.TrySetResult();
            }
        }
    }
}
