using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using OneThing.Hub.V1;
using Spectre.Console;
using Spectre.Console.Rendering;
using AppState = OneThing.Hub.V1.Application.Types.State;
using ItemState = OneThing.Hub.V1.ApplicationItem.Types.State;

namespace OneThing.Sandbox.Cli;

/// <summary>How applications and their items are shown: one line per item, tables, the summary.</summary>
internal static class ApplicationView
{
    private static readonly TimeSpan ChinaOffset = TimeSpan.FromHours(8);

    /// <summary>Whether an item has its final state.</summary>
    public static bool IsFinal(ApplicationItem item) => item.State is
        ItemState.Succeeded or ItemState.Rejected or ItemState.NotStarted or ItemState.Deferred or ItemState.Cancelled;

    /// <summary>
    /// Whether nothing more happens without someone acting: every item is final, or the rest were
    /// returned for correction and wait for the applicant.
    /// </summary>
    public static bool IsSettled(Application application) =>
        application.State == AppState.Completed
        || (application.State == AppState.ActionRequired && application.Items.All(i => IsFinal(i) || i.State == ItemState.Returned));

    /// <summary>The item's state in English with its colour.</summary>
    public static (string Word, string Colour) State(ItemState state) => state switch
    {
        ItemState.Pending => ("pending", "grey"),
        ItemState.InProgress => ("in progress", "blue"),
        ItemState.Succeeded => ("succeeded", "green"),
        ItemState.Rejected => ("rejected", "red"),
        ItemState.Returned => ("returned", "yellow"),
        ItemState.NotStarted => ("not started", "red"),
        ItemState.Deferred => ("deferred", "yellow"),
        ItemState.Cancelled => ("cancelled", "red"),
        _ => ("unknown", "grey"),
    };

    /// <summary>The application's state in English.</summary>
    public static string State(AppState state) => state switch
    {
        AppState.Draft => "draft",
        AppState.InProgress => "in progress",
        AppState.ActionRequired => "action required",
        AppState.Completed => "completed",
        _ => "unknown",
    };

    /// <summary>The state as markup: the theme's own word beside the English one.</summary>
    public static string StateMarkup(ApplicationItem item)
    {
        var (word, colour) = State(item.State);
        var text = item.StatusText.Length > 0 ? $"{item.StatusText} {word}" : word;
        return $"[{colour}]{Markup.Escape(text)}[/]";
    }

    /// <summary>One line of an item's progress, as markup.</summary>
    public static string Line(ApplicationItem item)
    {
        var parts = new List<string> { StateMarkup(item), Markup.Escape(item.Title), $"[grey]{Markup.Escape(item.ItemCode)}[/]" };
        if (item.CaseNumber.Length > 0)
        {
            parts.Add("case " + Markup.Escape(item.CaseNumber));
        }

        var detail = Detail(item);
        if (detail.Count > 0)
        {
            parts.Add(Markup.Escape(string.Join("; ", detail)));
        }

        if (!IsFinal(item) && item.LastError.Length > 0)
        {
            parts.Add($"[yellow]{Markup.Escape($"(attempt {item.Attempts}, retrying: {item.LastError})")}[/]");
        }

        return "  " + string.Join("  ", parts);
    }

    /// <summary>What an item produced or why it did not: results, the department's opinion, reasons, the eligible date.</summary>
    public static List<string> Detail(ApplicationItem item)
    {
        var detail = item.Result.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => $"{r.Key}={r.Value}").ToList();
        detail.AddRange(item.Reasons.Select(r => $"{r.Code}: {r.Message}" + (r.Field.Length > 0 ? $" [{r.Field}]" : string.Empty)));
        if (item.EligibleDate.Length > 0)
        {
            detail.Add("eligible from " + item.EligibleDate);
        }

        if (item.Opinion.Length > 0 && item.State == ItemState.Succeeded)
        {
            detail.Add(item.Opinion);
        }

        return detail;
    }

    /// <summary>The items as a table: item, state, case number, result or reasons, due date.</summary>
    public static Table Items(Application application)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("Item")
            .AddColumn(new TableColumn("State").NoWrap())
            .AddColumn(new TableColumn("Case number").NoWrap())
            .AddColumn("Result / reasons")
            .AddColumn(new TableColumn("Due").NoWrap());
        foreach (var item in application.Items)
        {
            var detail = Detail(item);
            if (!IsFinal(item) && item.LastError.Length > 0)
            {
                detail.Add($"attempt {item.Attempts}, retrying: {item.LastError}");
            }

            table.AddRow(
                new Rows(new Text(item.Title), new Markup($"[grey]{Markup.Escape(item.ItemCode)}[/]")),
                new Markup(StateMarkup(item)),
                new Text(item.CaseNumber),
                new Rows(detail.Select(d => (IRenderable)new Text(d))),
                new Text(item.DueDate));
        }

        return table;
    }

    /// <summary>
    /// The application as a tree: one node per item (state, title, code, case number, due date) with what
    /// it produced or why not beneath; it reads well at any width and in logs.
    /// </summary>
    public static Tree Tree(Application application)
    {
        var tree = new Tree(new Markup(Heading(application)));
        foreach (var item in application.Items)
        {
            var node = tree.AddNode(new Markup(
                $"{StateMarkup(item)}  {Markup.Escape(item.Title)}  [grey]{Markup.Escape(item.ItemCode)}[/]" +
                (item.CaseNumber.Length > 0 ? $"  case [bold]{Markup.Escape(item.CaseNumber)}[/]" : string.Empty) +
                (item.DueDate.Length > 0 ? $"  due {item.DueDate}" : string.Empty)));
            foreach (var detail in Detail(item))
            {
                node.AddNode(new Text(detail));
            }

            if (!IsFinal(item) && item.LastError.Length > 0)
            {
                node.AddNode(new Markup($"[yellow]{Markup.Escape($"attempt {item.Attempts}, retrying: {item.LastError}")}[/]"));
            }
        }

        return tree;
    }

    /// <summary>One line about the whole application.</summary>
    public static string Heading(Application application) =>
        $"[bold]{Markup.Escape(application.Name)}[/]  {Markup.Escape(application.Theme)}  {State(application.State)}" +
        (application.Applicant is { } applicant ? $"  {Markup.Escape(applicant.Name)}" : string.Empty) +
        (application.SubmitTime is { } submitted ? $"  submitted {Time(submitted)}" : string.Empty) +
        (application.DueDate.Length > 0 ? $"  due {application.DueDate}" : string.Empty);

    /// <summary>How many items succeeded, as a sentence.</summary>
    public static string Summary(Application application)
    {
        var succeeded = application.Items.Count(i => i.State == ItemState.Succeeded);
        var colour = succeeded == application.Items.Count ? "green" : "yellow";
        return $"[{colour}]{succeeded} of {application.Items.Count} items succeeded[/]; {Markup.Escape(application.Name)} is {State(application.State)}" +
            (application.DueDate.Length > 0 ? $" (due {application.DueDate})" : string.Empty) + ".";
    }

    /// <summary>A timestamp in China time.</summary>
    public static string Time(Timestamp timestamp) =>
        timestamp.ToDateTimeOffset().ToOffset(ChinaOffset).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>An application's resource name from what a tester typed: "applications/{id}" or the id alone.</summary>
    public static string Name(string nameOrId) =>
        nameOrId.StartsWith("applications/", StringComparison.Ordinal) ? nameOrId : "applications/" + nameOrId;
}
