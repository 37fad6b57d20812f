using System.Diagnostics;
using OneThing.Simulators;
using OneThing.Tests.Support;

namespace OneThing.Tests.Conformance;

/// <summary>One simulator cluster per conformance test class, quiet, with a short completion delay.</summary>
public sealed class ConformanceClusterFixture : IAsyncLifetime
{
    private SimulatorCluster? cluster;

    /// <summary>The running cluster.</summary>
    public SimulatorCluster Cluster => cluster ?? throw new InvalidOperationException("The cluster has not started.");

    /// <inheritdoc />
    public async ValueTask InitializeAsync() =>
        cluster = await SimulatorCluster.StartAsync(
            new SimulatorOptions { CompletionDelay = TimeSpan.FromMilliseconds(300), PopulationSize = 200, ConfigureLogging = _ => { } },
            TestContext.Current.CancellationToken).Within(TimeSpan.FromSeconds(60));

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (cluster is not null)
        {
            await cluster.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30), CancellationToken.None);
        }
    }
}

/// <summary>Where the repository is, and how to run a command from a test, bounded.</summary>
internal static class RepositoryTools
{
    /// <summary>The repository root: the nearest folder above the test binaries that holds OneThing.sln.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>Runs a program to its end within <paramref name="bound"/>; kills its process tree if it takes longer.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(
        string fileName, IEnumerable<string> arguments, string workingDirectory, TimeSpan bound, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // The test host runs under `dotnet test`, whose MSBuild variables would steer a child `dotnet build` wrongly.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        var output = new System.Text.StringBuilder();
        var gate = new Lock();
        void Append(string? line)
        {
            if (line is not null)
            {
                lock (gate)
                {
                    output.AppendLine(line);
                }
            }
        }

        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(bound, TestContext.Current.CancellationToken);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            lock (gate)
            {
                throw new TimeoutException($"{fileName} {string.Join(' ', start.ArgumentList)} did not finish within {bound}. Output so far:\n{output}");
            }
        }

        process.WaitForExit(); // flushes the redirected output
        lock (gate)
        {
            return (process.ExitCode, output.ToString());
        }
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "OneThing.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No OneThing.sln above {AppContext.BaseDirectory}.");
    }
}
