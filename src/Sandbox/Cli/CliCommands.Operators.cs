using System.CommandLine;
using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using OneThing.Hub.V1;
using Spectre.Console;

namespace OneThing.Sandbox.Cli;

/// <summary>The operators' commands (OperatorService): work that needs attention, retry, cancel.</summary>
internal sealed partial class CliCommands
{
    private Command OperatorsCommand()
    {
        var operators = new Command("operators", "Operators' work: items that are stuck, overdue or given up on; retry or cancel one.");
        operators.Subcommands.Add(OperatorsWorkCommand());
        operators.Subcommands.Add(OperatorsActionCommand("retry", "Retries an item now (its waiting or given-up dispatch task runs at once).", cancel: false));
        operators.Subcommands.Add(OperatorsActionCommand("cancel", "Cancels an item with a reason in Chinese (it ends CANCELLED, its dependants NOT_STARTED).", cancel: true));
        return operators;
    }

    private Command OperatorsWorkCommand()
    {
        var hub = HubOption();
        var kind = new Option<string>("--kind", "-k") { Description = "Which work.", DefaultValueFactory = _ => "exhausted" };
        kind.AcceptOnlyFromAmong("stuck", "overdue", "exhausted");
        var department = DepartmentOption(required: false);
        var stuckAfter = DurationOption("--stuck-after", "For stuck: unchanged for this long (default 1h).");
        var control = ControlOption();
        var command = new Command("work", "Lists items that need attention, oldest application first (no personal data).") { kind, department, stuckAfter, hub, control };
        command.SetAction(Guarded(hub, async (parse, cancellationToken) =>
        {
            using var channel = CliTokens.Channel(parse.GetValue(hub)!, parse.GetValue(control)!);
            var client = new OperatorService.OperatorServiceClient(channel);
            var request = new ListWorkRequest
            {
                Kind = parse.GetValue(kind) switch
                {
                    "stuck" => WorkKind.Stuck,
                    "overdue" => WorkKind.Overdue,
                    _ => WorkKind.Exhausted,
                },
                Department = parse.GetValue(department) ?? string.Empty,
                PageSize = 200,
            };
            if (parse.GetValue(stuckAfter) is { } after)
            {
                request.StuckAfter = Duration.FromTimeSpan(after);
            }

            var page = await client.ListWorkAsync(request, deadline: Deadline(), cancellationToken: cancellationToken);
            var table = new Table().Border(TableBorder.Rounded).AddColumn(new TableColumn("Item").NoWrap()).AddColumn("Department").AddColumn("State")
                .AddColumn(new TableColumn("Attempts").RightAligned()).AddColumn("Last error").AddColumn("Due").AddColumn("Next attempt");
            foreach (var item in page.Items)
            {
                table.AddRow(
                    new Text(item.Name),
                    new Text(item.Department),
                    new Text(ApplicationView.State(item.State).Word + (item.Exhausted ? " (given up)" : string.Empty)),
                    new Text(item.Attempts.ToString(CultureInfo.InvariantCulture)),
                    new Text(item.LastError),
                    new Text(item.DueDate + (item.WorkingDaysOverdue > 0 ? $" ({item.WorkingDaysOverdue} working days over)" : string.Empty)),
                    new Text(item.NextAttemptTime is { } next ? ApplicationView.Time(next) : string.Empty));
            }

            console.Write(table);
            console.MarkupLine($"{page.Items.Count} items" + (page.NextPageToken.Length > 0 ? " (more exist)" : string.Empty) + ".");
            return ExitCodes.Ok;
        }));
        return command;
    }

    private Command OperatorsActionCommand(string name, string description, bool cancel)
    {
        var hub = HubOption();
        var item = new Argument<string>("item") { Description = "The item: applications/{id}/items/{item_code}." };
        var reason = new Option<string>("--reason") { Description = cancel ? "Why, in Chinese (the applicant reads it)." : "Why (recorded with the action).", Required = true };
        var operatorId = new Option<string>("--operator") { Description = "Who acts (recorded with the action).", DefaultValueFactory = _ => Environment.UserName };
        var control = ControlOption();
        var command = new Command(name, description) { item, reason, operatorId, hub, control };
        command.SetAction(Guarded(hub, async (parse, cancellationToken) =>
        {
            using var channel = CliTokens.Channel(parse.GetValue(hub)!, parse.GetValue(control)!, operatorId: parse.GetValue(operatorId));
            var client = new OperatorService.OperatorServiceClient(channel);
            var target = ApplicationView.Name(parse.GetValue(item)!);
            var done = cancel
                ? await client.CancelItemAsync(new CancelItemRequest { Name = target, Reason = parse.GetValue(reason)!, OperatorId = parse.GetValue(operatorId)! }, deadline: Deadline(), cancellationToken: cancellationToken)
                : await client.RetryItemAsync(new RetryItemRequest { Name = target, Reason = parse.GetValue(reason)!, OperatorId = parse.GetValue(operatorId)! }, deadline: Deadline(), cancellationToken: cancellationToken);
            console.MarkupLine($"{(cancel ? "Cancelled" : "Retrying")} [bold]{Markup.Escape(done.Name)}[/]: {ApplicationView.State(done.State).Word}, attempts {done.Attempts}");
            return ExitCodes.Ok;
        }));
        return command;
    }
}
