using Google.Rpc;
using Grpc.Core;
using Spectre.Console;

namespace OneThing.Sandbox.Cli;

/// <summary>Turns what went wrong into readable lines and an exit code.</summary>
internal static class ErrorReport
{
    /// <summary>Prints <paramref name="error"/> and returns the exit code for it.</summary>
    public static int Print(IAnsiConsole console, Exception error, Uri hub)
    {
        switch (error)
        {
            case CliException cli:
                console.MarkupLine($"[red]{Markup.Escape(cli.Message)}[/]");
                return cli.ExitCode;
            case ControlApiException control:
                console.MarkupLine($"[red]The simulators' control API refused: {control.StatusCode} {Markup.Escape(control.Error)}[/]");
                console.MarkupLine("  " + Markup.Escape(control.Detail));
                return ExitCodes.Refused;
            case RpcException rpc when IsUnreachable(rpc):
                console.MarkupLine($"[red]Cannot reach the hub at {Markup.Escape(hub.ToString())}[/] ({Markup.Escape(Why(rpc))}).");
                console.MarkupLine("Is the sandbox running? Start it in another terminal: [bold]dotnet run --project src/Sandbox[/] (or pass --hub).");
                return ExitCodes.Unreachable;
            case RpcException rpc:
                PrintRefusal(console, rpc);
                return ExitCodes.Refused;
            default:
                throw error;
        }
    }

    // "Error connecting to subchannel." says little; the socket's own message says what happened.
    private static string Why(RpcException rpc)
    {
        var inner = rpc.Status.DebugException;
        while (inner?.InnerException is not null)
        {
            inner = inner.InnerException;
        }

        return inner is null ? rpc.Status.Detail : $"{rpc.Status.Detail} {inner.Message}";
    }

    private static bool IsUnreachable(RpcException rpc) =>
        rpc.StatusCode == StatusCode.Unavailable
        || (rpc.StatusCode == StatusCode.Internal && rpc.Status.DebugException is HttpRequestException)
        || rpc.StatusCode == StatusCode.DeadlineExceeded;

    // The hub's errors carry a google.rpc.Status: an ErrorInfo with a stable reason and, for
    // INVALID_ARGUMENT, a BadRequest with every field violation (stable reason, Chinese description).
    private static void PrintRefusal(IAnsiConsole console, RpcException rpc)
    {
        console.MarkupLine($"[red]The hub refused: {rpc.StatusCode}[/] {Markup.Escape(rpc.Status.Detail)}");
        var status = rpc.GetRpcStatus();
        if (status?.GetDetail<ErrorInfo>() is { } info)
        {
            console.MarkupLine($"  reason [bold]{Markup.Escape(info.Reason)}[/] ({Markup.Escape(info.Domain)})");
            foreach (var (key, value) in info.Metadata.OrderBy(m => m.Key, StringComparer.Ordinal))
            {
                console.MarkupLine($"  {Markup.Escape(key)} = {Markup.Escape(value)}");
            }
        }

        if (status?.GetDetail<BadRequest>() is { FieldViolations.Count: > 0 } badRequest)
        {
            console.MarkupLine($"  {badRequest.FieldViolations.Count} field violation(s):");
            var table = new Table().Border(TableBorder.Rounded).AddColumn("Field").AddColumn("Reason").AddColumn("Description");
            foreach (var violation in badRequest.FieldViolations)
            {
                table.AddRow(new Text(violation.Field), new Text(violation.Reason), new Text(violation.Description));
            }

            console.Write(table);
        }

        if (status?.GetDetail<PreconditionFailure>() is { Violations.Count: > 0 } precondition)
        {
            foreach (var violation in precondition.Violations)
            {
                console.MarkupLine($"  {Markup.Escape(violation.Type)} {Markup.Escape(violation.Subject)}: {Markup.Escape(violation.Description)}");
            }
        }
    }
}
