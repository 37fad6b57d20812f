using System.CommandLine;
using System.Globalization;
using Spectre.Console;

namespace OneThing.Sandbox.Cli;

/// <summary>The commands on the simulators' control API: faults and what each department received.</summary>
internal sealed partial class CliCommands
{
    private static readonly TimeSpan ChinaOffset = TimeSpan.FromHours(8);

    private Command FaultsCommand()
    {
        var faults = new Command("faults", "Injects, clears and shows the departments' faults (latency, transient errors, outages, callback misbehaviour).");
        faults.Subcommands.Add(FaultsSetCommand());
        faults.Subcommands.Add(FaultsClearCommand());
        faults.Subcommands.Add(FaultsShowCommand());
        return faults;
    }

    private Command FaultsSetCommand()
    {
        var control = ControlOption();
        var department = DepartmentOption(required: true);
        var errorRate = new Option<double?>("--error-rate") { Description = "The share of calls (0..1) that fail transiently.", HelpName = "share" };
        errorRate.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<double?>() is { } rate && (double.IsNaN(rate) || rate < 0 || rate > 1))
            {
                result.AddError("--error-rate must lie within 0..1.");
            }
        });
        var latency = DurationOption("--latency", "Delay added to every call (e.g. 200ms, 2s).");
        var outage = DurationOption("--outage", "Every call fails for this long from now (e.g. 5m); 0 ends an outage.");
        var callbackDelay = DurationOption("--callback-delay", "Send the department's callbacks this late.");
        var callbacksOff = new Option<bool>("--callbacks-off") { Description = "Send no callbacks: the hub learns results only by asking." };
        var duplicate = new Option<bool>("--duplicate-callbacks") { Description = "Send every callback twice." };
        var outOfOrder = new Option<bool>("--out-of-order-callbacks") { Description = "Send an earlier progress report after the final result." };
        var early = new Option<bool>("--early-callbacks") { Description = "Send progress before the submission is answered." };
        var command = new Command("set", "Sets faults of one department; settings not given stay as they are.")
        {
            department, errorRate, latency, outage, callbackDelay, callbacksOff, duplicate, outOfOrder, early, control,
        };
        command.Validators.Add(result =>
        {
            Option[] settings = [errorRate, latency, outage, callbackDelay, callbacksOff, duplicate, outOfOrder, early];
            if (settings.All(o => result.GetResult(o) is null))
            {
                result.AddError("Give at least one fault, e.g. --error-rate 0.3, --latency 2s or --outage 5m.");
            }
        });
        command.SetAction(Guarded(null, async (parse, cancellationToken) =>
        {
            bool? Flag(Option<bool> option) => parse.GetResult(option) is null ? null : parse.GetValue(option);
            var change = new FaultsChange(
                LatencyMs: parse.GetValue(latency)?.TotalMilliseconds,
                ErrorRate: parse.GetValue(errorRate),
                OutageSeconds: parse.GetValue(outage)?.TotalSeconds,
                CallbackDelayMs: parse.GetValue(callbackDelay)?.TotalMilliseconds,
                CallbacksOff: Flag(callbacksOff),
                DuplicateCallbacks: Flag(duplicate),
                OutOfOrderCallbacks: Flag(outOfOrder),
                EarlyCallbacks: Flag(early));
            var name = parse.GetValue(department)!;
            using var client = new ControlApiClient(parse.GetValue(control)!);
            var now = await client.SetFaultsAsync(name, change, cancellationToken);
            console.MarkupLine($"[bold]{Markup.Escape(name)}[/] faults: {Markup.Escape(Describe(now))}");
            return ExitCodes.Ok;
        }));
        return command;
    }

    private Command FaultsClearCommand()
    {
        var control = ControlOption();
        var department = DepartmentOption(required: false);
        var command = new Command("clear", "Removes every fault of one department, or of all without --department.") { department, control };
        command.SetAction(Guarded(null, async (parse, cancellationToken) =>
        {
            using var client = new ControlApiClient(parse.GetValue(control)!);
            var names = parse.GetValue(department) is { Length: > 0 } one
                ? [one]
                : (await client.DepartmentsAsync(cancellationToken)).Select(d => d.Name).ToArray();
            foreach (var name in names)
            {
                var now = await client.ClearFaultsAsync(name, cancellationToken);
                console.MarkupLine($"[bold]{Markup.Escape(name)}[/] faults cleared: {Markup.Escape(Describe(now))}");
            }

            return ExitCodes.Ok;
        }));
        return command;
    }

    private Command FaultsShowCommand()
    {
        var control = ControlOption();
        var department = DepartmentOption(required: false);
        var command = new Command("show", "Shows every department's faults and counters.") { department, control };
        command.SetAction(Guarded(null, async (parse, cancellationToken) =>
        {
            using var client = new ControlApiClient(parse.GetValue(control)!);
            var departments = parse.GetValue(department) is { Length: > 0 } one
                ? [await client.DepartmentAsync(one, cancellationToken)]
                : await client.DepartmentsAsync(cancellationToken);
            var table = new Table().Border(TableBorder.Rounded).AddColumn(new TableColumn("Department").NoWrap()).AddColumn(new TableColumn("Endpoint").NoWrap()).AddColumn("Faults")
                .AddColumn(new TableColumn("Received").RightAligned()).AddColumn(new TableColumn("Replays").RightAligned()).AddColumn(new TableColumn("Duplicate filings").RightAligned())
                .AddColumn(new TableColumn("Cases").RightAligned()).AddColumn(new TableColumn("Faulted").RightAligned());
            foreach (var d in departments)
            {
                table.AddRow(
                    new Text(d.Name),
                    new Text(d.Endpoint),
                    new Text(Describe(d.Faults)),
                    new Text(Number(d.Stats.Received)),
                    new Text(Number(d.Stats.Replays)),
                    new Text(Number(d.Stats.Duplicates)),
                    new Text(Number(d.Stats.Cases)),
                    new Text(Number(d.Stats.Faulted)));
            }

            console.Write(table);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private Command ReceivedCommand()
    {
        var control = ControlOption();
        var department = DepartmentOption(required: false);
        var last = new Option<int>("--last", "-n") { Description = "How many of the latest requests to list.", DefaultValueFactory = _ => 20 };
        var command = new Command("received", "Shows what the departments received: requests, idempotency keys and how often each key came (every department without --department).")
        {
            department, last, control,
        };
        command.SetAction(Guarded(null, async (parse, cancellationToken) =>
        {
            using var client = new ControlApiClient(parse.GetValue(control)!);
            if (parse.GetValue(department) is not { Length: > 0 } name)
            {
                var summary = new Table().Border(TableBorder.Rounded).AddColumn(new TableColumn("Department").NoWrap())
                    .AddColumn(new TableColumn("Requests").RightAligned()).AddColumn(new TableColumn("Repeated keys").RightAligned()).AddColumn(new TableColumn("Duplicate filings").RightAligned())
                    .AddColumn(new TableColumn("Cases").RightAligned()).AddColumn(new TableColumn("Refused by faults").RightAligned())
                    .AddColumn(new TableColumn("Callbacks sent").RightAligned());
                foreach (var d in await client.DepartmentsAsync(cancellationToken))
                {
                    summary.AddRow(d.Name, Number(d.Stats.Received), Number(d.Stats.Replays), Number(d.Stats.Duplicates), Number(d.Stats.Cases), Number(d.Stats.Faulted), Number(d.Stats.CallbacksSent));
                }

                console.Write(summary);
                console.MarkupLine("The requests of one department: [bold]onething received --department <code>[/]");
                return ExitCodes.Ok;
            }

            var info = await client.DepartmentAsync(name, cancellationToken);
            var received = await client.ReceivedAsync(name, cancellationToken);
            var keys = received.Where(r => r.IdempotencyKey.Length > 0).GroupBy(r => r.IdempotencyKey, StringComparer.Ordinal).ToList();
            console.MarkupLine(
                $"[bold]{Markup.Escape(name)}[/]: {received.Length} requests, {keys.Count} idempotency keys, " +
                $"{received.Count(r => r.Replayed)} answered again for a repeated key, {info.Stats.Cases} cases, {info.Stats.Duplicates} duplicate filings, " +
                $"{info.Stats.Faulted} refused by injected faults, {info.Stats.CallbacksSent} callbacks sent.");

            var repeated = keys.Where(k => k.Count() > 1).ToList();
            if (repeated.Count > 0)
            {
                var table = new Table().Title("Keys received more than once").Border(TableBorder.Rounded)
                    .AddColumn(new TableColumn("Idempotency key").NoWrap()).AddColumn(new TableColumn("Times").RightAligned()).AddColumn("Operations");
                foreach (var key in repeated)
                {
                    table.AddRow(key.Key, Number(key.Count()), string.Join(", ", key.Select(r => r.Operation).Distinct(StringComparer.Ordinal)));
                }

                console.Write(table);
            }
            else
            {
                console.MarkupLine("[green]No idempotency key was received twice.[/]");
            }

            var count = Math.Max(0, parse.GetValue(last));
            var latest = new Table().Title($"Latest {Math.Min(count, received.Length)} of {received.Length}").Border(TableBorder.Rounded)
                .AddColumn(new TableColumn("Received").NoWrap()).AddColumn("Operation").AddColumn(new TableColumn("Idempotency key").NoWrap()).AddColumn("Repeat").AddColumn("Summary");
            foreach (var request in received.TakeLast(count))
            {
                latest.AddRow(
                    new Text(request.ReceivedAt.ToOffset(ChinaOffset).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)),
                    new Text(request.Operation),
                    new Text(request.IdempotencyKey),
                    new Text(request.Replayed ? "replay" : request.DuplicateFiling ? "DUPLICATE FILING" : string.Empty),
                    new Text(request.Summary));
            }

            console.Write(latest);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Describe(FaultSettings faults)
    {
        var parts = new List<string>();
        if (faults.LatencyMs > 0)
        {
            parts.Add($"latency {faults.LatencyMs.ToString(CultureInfo.InvariantCulture)} ms");
        }

        if (faults.ErrorRate > 0)
        {
            parts.Add($"error rate {faults.ErrorRate.ToString(CultureInfo.InvariantCulture)}");
        }

        if (faults.Outage)
        {
            parts.Add("outage (no planned end)");
        }

        if (faults.OutageUntil is { } until)
        {
            parts.Add($"outage until {until}");
        }

        if (faults.CallbackDelayMs > 0)
        {
            parts.Add($"callbacks {faults.CallbackDelayMs.ToString(CultureInfo.InvariantCulture)} ms late");
        }

        if (faults.CallbacksOff)
        {
            parts.Add("callbacks off");
        }

        if (faults.DuplicateCallbacks)
        {
            parts.Add("callbacks twice");
        }

        if (faults.OutOfOrderCallbacks)
        {
            parts.Add("callbacks out of order");
        }

        if (faults.EarlyCallbacks)
        {
            parts.Add("early callbacks");
        }

        return parts.Count == 0 ? "none" : string.Join(", ", parts);
    }
}
