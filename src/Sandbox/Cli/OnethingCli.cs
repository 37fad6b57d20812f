using System.CommandLine;
using System.CommandLine.Invocation;
using Spectre.Console;

namespace OneThing.Sandbox.Cli;

/// <summary>
/// The testers' command line, <c>onething</c> (<c>dotnet run --project src/Sandbox -- ...</c>). With no
/// command it runs the sandbox; its commands talk to a running hub and to the simulators' control API.
/// System.CommandLine parses; Spectre.Console renders on the console it is given, so tests drive it in process.
/// </summary>
public static class OnethingCli
{
    /// <summary>The sandbox hub's gRPC address, the default of <c>--hub</c>.</summary>
    public const string DefaultHub = SandboxRunner.HubUrl;

    /// <summary>The sandbox simulators' control API, the default of <c>--control</c>.</summary>
    public const string DefaultControl = "http://127.0.0.1:5109";

    /// <summary>Runs one command line on <paramref name="console"/>; returns its exit code (<see cref="ExitCodes"/>).</summary>
    /// <remarks>
    /// Forms are dated by the sandbox's clock, read from the control API (<c>GET /clock</c>), so they
    /// agree with the hub's day even when the sandbox runs on another one (<c>run --today</c>).
    /// </remarks>
    public static Task<int> InvokeAsync(string[] args, IAnsiConsole console, CancellationToken cancellationToken) =>
        InvokeCoreAsync(args, console, handleCtrlC: false, cancellationToken);

    /// <summary>The process's entry: the system console, and Ctrl+C stops a client command cleanly.</summary>
    internal static Task<int> MainAsync(string[] args)
    {
        var console = AnsiConsole.Console;
        if (Console.IsOutputRedirected)
        {
            // A file or a pipe has no width; Spectre would assume 80 columns and wrap every table.
            console.Profile.Width = Math.Max(console.Profile.Width, 200);
        }

        return InvokeCoreAsync(args, console, handleCtrlC: true, CancellationToken.None);
    }

    private static async Task<int> InvokeCoreAsync(string[] args, IAnsiConsole console, bool handleCtrlC, CancellationToken cancellationToken)
    {
        var commands = new CliCommands(console);
        var root = commands.Build();
        var parse = root.Parse(args);
        var output = console.Profile.Out.Writer;
        var configuration = new InvocationConfiguration
        {
            Output = output,
            Error = output,
            // The sandbox's host handles Ctrl+C itself (a graceful stop); client commands get it below.
            ProcessTerminationTimeout = null,
            EnableDefaultExceptionHandler = false,
        };

        if (parse.Action is ParseErrorAction)
        {
            foreach (var error in parse.Errors)
            {
                console.MarkupLine($"[red]{Markup.Escape(error.Message)}[/]");
            }

            var command = parse.CommandResult.Command;
            var path = command == root ? "onething" : "onething " + string.Join(' ', Path(parse.CommandResult));
            console.MarkupLine($"See [bold]{Markup.Escape(path)} --help[/].");
            return ExitCodes.Usage;
        }

        if (!handleCtrlC || CliCommands.IsSandbox(parse.CommandResult.Command))
        {
            return await parse.InvokeAsync(configuration, cancellationToken);
        }

        using var interrupt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            interrupt.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            return await parse.InvokeAsync(configuration, interrupt.Token);
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    private static IEnumerable<string> Path(System.CommandLine.Parsing.CommandResult result)
    {
        var names = new Stack<string>();
        for (var current = result; current?.Parent is System.CommandLine.Parsing.CommandResult parent; current = parent)
        {
            names.Push(current.Command.Name);
        }

        return names;
    }
}
