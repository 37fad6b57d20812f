using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Text.RegularExpressions;
using Grpc.Core;
using Grpc.Net.Client;
using Spectre.Console;

namespace OneThing.Sandbox.Cli;

/// <summary>The command tree of <c>onething</c>; each command's action renders on <paramref name="console"/>.</summary>
internal sealed partial class CliCommands(IAnsiConsole console)
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Whether <paramref name="command"/> runs the sandbox itself (whose host handles Ctrl+C).</summary>
    public static bool IsSandbox(Command command) => command is RootCommand || command.Name == "run";

    /// <summary>Builds the whole command tree.</summary>
    public RootCommand Build()
    {
        var root = new RootCommand("""
            onething: the OneThing sandbox and testers' CLI.
            With no command it runs the hub (SQLite at data/onething.db) and the five department simulators on loopback.
            The other commands talk to a running hub (--hub, default http://127.0.0.1:5100) and to the simulators'
            control API (--control, default http://127.0.0.1:5109).
            Exit codes: 0 ok (every watched item succeeded), 1 not every item succeeded, 2 usage or scenario file error,
            3 refused by the hub or the control API, 4 unreachable, 5 watch timed out, 6 audit chain broken, 130 interrupted.
            """);
        var run = new Command("run", "Runs the sandbox (the default): the hub on SQLite and the five department simulators on loopback, until Ctrl+C. Further arguments go to the hub's configuration.")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        var today = new Option<string?>("--today")
        {
            Description = "Runs the sandbox's clock (hub and simulators) from this day, yyyy-MM-dd, at the current time of day: e.g. 2026-09-10 to be inside Jiangsu's filing window.",
        };
        run.Options.Add(today);
        run.SetAction((parse, _) => SandboxRunner.RunAsync([.. parse.UnmatchedTokens], SandboxRunner.ParseToday(parse.GetValue(today))));
        root.SetAction((parse, _) => SandboxRunner.RunAsync([]));
        root.Subcommands.Add(run);
        root.Subcommands.Add(ThemesCommand());
        root.Subcommands.Add(ThemeCommand());
        root.Subcommands.Add(SubmitCommand());
        root.Subcommands.Add(SubmitSampleCommand());
        root.Subcommands.Add(WatchCommand());
        root.Subcommands.Add(GetCommand());
        root.Subcommands.Add(ListCommand());
        root.Subcommands.Add(PeopleCommand());
        root.Subcommands.Add(FaultsCommand());
        root.Subcommands.Add(ReceivedCommand());
        root.Subcommands.Add(OperatorsCommand());
        root.Subcommands.Add(AuditCommand());
        root.Subcommands.Add(DeliveriesCommand());

        // "help" as a word, as the sandbox always had it.
        var help = new Command("help", "Shows this help.") { Hidden = true };
        help.SetAction(parse => root.Parse(["--help"]).Invoke(parse.InvocationConfiguration));
        root.Subcommands.Add(help);
        return root;
    }

    private static Option<Uri> HubOption() => new("--hub")
    {
        Description = "The hub's gRPC address.",
        HelpName = "url",
        DefaultValueFactory = _ => new Uri(OnethingCli.DefaultHub),
        CustomParser = result => ParseUri(result, OnethingCli.DefaultHub),
    };

    private static Option<Uri> ControlOption() => new("--control")
    {
        Description = "The simulators' control API.",
        HelpName = "url",
        DefaultValueFactory = _ => new Uri(OnethingCli.DefaultControl),
        CustomParser = result => ParseUri(result, OnethingCli.DefaultControl),
    };

    private static Option<string> DepartmentOption(bool required) => new("--department", "-d")
    {
        Description = "The department: " + Departments.Known + ".",
        HelpName = "code",
        Required = required,
        // A name the CLI does not know goes to the control API as typed: it knows every simulator it runs
        // and answers an unknown one with the list of known names.
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value.Trim() : string.Empty;
            if (text.Length == 0 || !text.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
            {
                result.AddError($"'{text}' is not a department. Known: {Departments.Known}.");
                return string.Empty;
            }

            return Departments.Resolve(text) ?? text.ToLowerInvariant();
        },
    };

    private static Option<TimeSpan> TimeoutOption() => new("--timeout")
    {
        Description = "How long to watch before giving up (e.g. 90s, 5m).",
        HelpName = "duration",
        DefaultValueFactory = _ => TimeSpan.FromMinutes(5),
        CustomParser = result => ParseDuration(result) ?? TimeSpan.FromMinutes(5),
    };

    private static Option<TimeSpan?> DurationOption(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "duration",
        CustomParser = ParseDuration,
    };

    private static Uri ParseUri(ArgumentResult result, string fallback)
    {
        if (result.Tokens.Count == 0)
        {
            return new Uri(fallback);
        }

        var text = result.Tokens[0].Value;
        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
        {
            return uri;
        }

        result.AddError($"'{text}' is not an http:// or https:// address.");
        return new Uri(fallback);
    }

    /// <summary>A duration as testers write it: 500ms, 2s, 1.5m, 5m, 1h, 1d, or a TimeSpan such as 00:02:00.</summary>
    internal static TimeSpan? ParseDuration(ArgumentResult result)
    {
        if (result.Tokens.Count == 0)
        {
            return null;
        }

        var text = result.Tokens[0].Value;
        if (TryParseDuration(text, out var duration))
        {
            return duration;
        }

        result.AddError($"'{text}' is not a duration; write e.g. 500ms, 2s, 5m, 1h or 00:02:00.");
        return null;
    }

    /// <summary>Parses a duration (see <see cref="ParseDuration"/>); negative durations are refused.</summary>
    internal static bool TryParseDuration(string text, out TimeSpan duration)
    {
        var match = DurationPattern().Match(text.Trim());
        if (match.Success && double.TryParse(match.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            duration = match.Groups[2].Value switch
            {
                "ms" => TimeSpan.FromMilliseconds(value),
                "s" => TimeSpan.FromSeconds(value),
                "m" or "min" => TimeSpan.FromMinutes(value),
                "h" => TimeSpan.FromHours(value),
                _ => TimeSpan.FromDays(value),
            };
            return true;
        }

        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out duration) && duration >= TimeSpan.Zero;
    }

    [GeneratedRegex(@"^(\d+(?:\.\d+)?)\s*(ms|s|min|m|h|d)$", RegexOptions.CultureInvariant)]
    private static partial Regex DurationPattern();

    private static DateTime Deadline() => TimeProvider.System.GetUtcNow().UtcDateTime.Add(CallTimeout);

    /// <summary>Runs a command's work; what goes wrong is printed readably and becomes the exit code.</summary>
    private Func<ParseResult, CancellationToken, Task<int>> Guarded(Option<Uri>? hubOption, Func<ParseResult, CancellationToken, Task<int>> work) =>
        async (parse, cancellationToken) =>
        {
            var hub = hubOption is null ? new Uri(OnethingCli.DefaultHub) : parse.GetValue(hubOption)!;
            try
            {
                return await work(parse, cancellationToken);
            }
            catch (Exception e) when (cancellationToken.IsCancellationRequested && e is OperationCanceledException or RpcException { StatusCode: StatusCode.Cancelled })
            {
                console.MarkupLine("[yellow]Stopped.[/]");
                return ExitCodes.Interrupted;
            }
            catch (Exception e) when (e is CliException or ControlApiException or RpcException)
            {
                return ErrorReport.Print(console, e, hub);
            }
        };

    private static GrpcChannel Channel(Uri hub) => GrpcChannel.ForAddress(hub);
}
