using System.CommandLine;
using Google.Protobuf;
using OneThing.Hub.V1;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace OneThing.Sandbox.Cli;

/// <summary>The commands on the hub: the catalog, submitting, watching and reading applications.</summary>
internal sealed partial class CliCommands
{
    private static readonly JsonFormatter ProtoJson = new(JsonFormatter.Settings.Default.WithIndentation());

    private Command ThemesCommand()
    {
        var hub = HubOption();
        var region = new Option<string>("--region") { Description = "Only themes of this region (division code prefix, e.g. 4103).", HelpName = "code" };
        var command = new Command("themes", "Lists the published themes: code, region, name and number of items.") { hub, region };
        command.SetAction(Guarded(hub, async (parse, cancellationToken) =>
        {
            using var channel = Channel(parse.GetValue(hub)!);
            var client = new CatalogService.CatalogServiceClient(channel);
            var table = new Table().Border(TableBorder.Rounded).AddColumn(new TableColumn("Code").NoWrap()).AddColumn("Region").AddColumn("Name").AddColumn(new TableColumn("Items").RightAligned());
            var count = 0;
            var request = new ListThemesRequest { PageSize = 200, RegionCode = parse.GetValue(region) ?? string.Empty };
            do
            {
                var page = await client.ListThemesAsync(request, deadline: Deadline(), cancellationToken: cancellationToken);
                foreach (var theme in page.Themes)
                {
                    table.AddRow(
                        new Text(theme.Code),
                        new Text($"{theme.Region?.Name} ({theme.Region?.Code})"),
                        new Text(theme.Title),
                        new Text(theme.Items.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                    count++;
                }

                request.PageToken = page.NextPageToken;
            }
            while (request.PageToken.Length > 0);

            console.Write(table);
            console.MarkupLine($"{count} themes. Details: [bold]onething theme <code>[/]");
            return ExitCodes.Ok;
        }));
        return command;
    }

    private Command ThemeCommand()
    {
        var hub = HubOption();
        var code = new Argument<string>("code") { Description = "The theme: a code (luoyang.personal-startup), a resource name (themes/...) or a sample (luoyang)." };
        var command = new Command("theme", "Shows one theme: its items, guided questions, form fields, materials, pledges and windows.") { code, hub };
        command.SetAction(Guarded(hub, async (parse, cancellationToken) =>
        {
            var text = parse.GetValue(code)!;
            var name = SampleScenarios.SampleOf(text) is { } sample ? SampleScenarios.ThemeOf(sample)
                : text.StartsWith("themes/", StringComparison.Ordinal) ? text : "themes/" + text;
            using var channel = Channel(parse.GetValue(hub)!);
            var theme = await new CatalogService.CatalogServiceClient(channel).GetThemeAsync(new GetThemeRequest { Name = name }, deadline: Deadline(), cancellationToken: cancellationToken);
            RenderTheme(theme);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private void RenderTheme(Theme theme)
    {
        console.MarkupLine($"[bold]{Markup.Escape(theme.Title)}[/]  {Markup.Escape(theme.Name)}  version {theme.Version}  {Markup.Escape(theme.Region?.Name ?? string.Empty)} ({Markup.Escape(theme.Region?.Code ?? string.Empty)})");
        if (theme.TimeLimitWorkingDays > 0)
        {
            console.MarkupLine($"Time limit: {theme.TimeLimitWorkingDays} working days");
        }

        if (theme.Source.Length > 0)
        {
            console.MarkupLine($"[grey]{Markup.Escape(theme.Source)}[/]");
        }

        var items = new Table().Title("Items").Border(TableBorder.Rounded)
            .AddColumn(new TableColumn("Code").NoWrap()).AddColumn("Title").AddColumn("Department").AddColumn("Needs").AddColumn("Limit").AddColumn("Materials");
        foreach (var item in theme.Items)
        {
            items.AddRow(
                new Text(item.Code),
                new Text(item.Title),
                new Text($"{item.DepartmentTitle} ({item.Department})"),
                new Text(string.Join(", ", item.Prerequisites)),
                new Text(item.CompletesImmediately ? "at once" : item.TimeLimitWorkingDays > 0 ? $"{item.TimeLimitWorkingDays} working days" : "none"),
                new Text(string.Join(", ", item.Materials)));
        }

        console.Write(items);

        if (theme.Questions.Count > 0)
        {
            var questions = new Table().Title("Guided questions").Border(TableBorder.Rounded).AddColumn("Code").AddColumn("Question").AddColumn("Answers").AddColumn("Asked when");
            foreach (var question in theme.Questions)
            {
                questions.AddRow(
                    new Text(question.Code),
                    new Text(question.Text),
                    new Text(string.Join(", ", question.Options.Select(o => $"{o.Value}={o.Label}"))),
                    new Text(string.Join("; ", question.AskWhen.Select(c => $"{c.Key} in {string.Join("|", c.Value.Values)}"))));
            }

            console.Write(questions);
        }

        var fields = new Table().Title("Form fields").Border(TableBorder.Rounded).AddColumn(new TableColumn("Key").NoWrap()).AddColumn("Label").AddColumn("Type").AddColumn("Required for").AddColumn("Allowed");
        foreach (var field in theme.Fields)
        {
            var allowed = field.Options.Count > 0 ? string.Join(", ", field.Options.Select(o => o.Value))
                : field.MinAmount.Length > 0 || field.MaxAmount.Length > 0 ? $"{field.MinAmount}..{field.MaxAmount}"
                : string.Empty;
            fields.AddRow(
                new Text(field.Key),
                new Text(field.Label),
                new Text(field.Type.ToString().ToLowerInvariant() + (field.StreetLevel ? " (street)" : string.Empty) + (field.ImmutableOnceSaved ? ", locked once saved" : string.Empty)),
                new Text(string.Join(", ", field.RequiredForItems)),
                new Text(allowed));
        }

        console.Write(fields);

        var materials = new Table().Title("Materials").Border(TableBorder.Rounded).AddColumn("Code").AddColumn("Title").AddColumn("Shared data").AddColumn("Notes");
        foreach (var material in theme.Materials)
        {
            var notes = material.Description
                + (material.RequiredWhenField.Length > 0 ? $" (only when {material.RequiredWhenField} is {string.Join("|", material.RequiredWhenValues)})" : string.Empty);
            materials.AddRow(new Text(material.Code), new Text(material.Title), new Text(material.SharedData ? "yes (免提交)" : "no"), new Text(notes));
        }

        console.Write(materials);

        foreach (var pledge in theme.Pledges)
        {
            console.MarkupLine($"Pledge {Markup.Escape(pledge.Code)}: {Markup.Escape(pledge.Text)}");
        }

        foreach (var window in theme.Windows)
        {
            console.MarkupLine($"Window {Markup.Escape(window.Label)}: {window.Start}..{window.End} of {Markup.Escape(window.YearField)} {window.YearOffset:+0;-0;+0}");
        }
    }

    private Command SubmitCommand()
    {
        var hub = HubOption();
        var control = ControlOption();
        var sample = new Option<string>("--sample", "-s") { Description = "Submit the sample of a seed theme.", HelpName = "theme" };
        sample.AcceptOnlyFromAmong([.. SampleScenarios.Samples]);
        var person = new Option<string>("--person", "-p")
        {
            Description = "The prepared person for --sample (default ready): " +
                string.Join("; ", SampleScenarios.People.Select(p => $"{p.Key} {string.Join("|", p.Value)}")) + ".",
            HelpName = "scenario",
        };
        var file = new Option<string>("--file", "-f") { Description = "Submit a scenario file (see src/Sandbox/scenarios/README.md), or the proto3 JSON of a SubmitApplicationRequest.", HelpName = "path" };
        var watch = new Option<bool>("--watch", "-w") { Description = "Follow the application until every item is final, then print a summary." };
        var plain = new Option<bool>("--plain") { Description = "With --watch: one line per change instead of a live table." };
        var timeout = TimeoutOption();
        var requestId = new Option<string>("--request-id") { Description = "The submission's request id (default: a new UUID); repeating one returns the first application.", HelpName = "id" };
        var command = new Command("submit", "Submits an application (a seed theme's sample for a prepared person, or a scenario file) and optionally watches it.")
        {
            sample, person, file, watch, plain, timeout, requestId, hub, control,
        };
        command.Validators.Add(result =>
        {
            var sampleValue = result.GetValue(sample);
            var hasFile = result.GetResult(file) is not null;
            if ((sampleValue is null) == !hasFile)
            {
                result.AddError("Give either --sample <theme> or --file <path>.");
            }

            var personValue = result.GetValue(person);
            if (personValue is not null && hasFile)
            {
                result.AddError("--person goes with --sample; a scenario file names its person.");
            }

            if (personValue is not null && sampleValue is not null && !SampleScenarios.People[sampleValue].Contains(personValue))
            {
                result.AddError($"No prepared person '{personValue}' for {sampleValue}; known: {string.Join(", ", SampleScenarios.People[sampleValue])}.");
            }
        });
        command.SetAction(Guarded(hub, (parse, cancellationToken) => SubmitAsync(
            new SubmitSettings(
                parse.GetValue(hub)!,
                parse.GetValue(control)!,
                parse.GetValue(sample),
                parse.GetValue(person) ?? "ready",
                parse.GetValue(file),
                parse.GetValue(requestId),
                parse.GetValue(watch),
                parse.GetValue(plain),
                parse.GetValue(timeout)),
            cancellationToken)));
        return command;
    }

    // The sandbox's first client command; kept so every earlier instruction still works.
    private Command SubmitSampleCommand()
    {
        var hub = HubOption();
        var control = ControlOption();
        var theme = new Option<string>("--theme") { Description = "The seed theme's sample.", DefaultValueFactory = _ => "luoyang" };
        theme.AcceptOnlyFromAmong([.. SampleScenarios.Samples]);
        var person = new Option<string>("--person") { Description = "The prepared person.", DefaultValueFactory = _ => "ready" };
        var command = new Command("submit-sample", "Same as: submit --sample <theme> --person <person> --watch.") { theme, person, hub, control };
        command.Hidden = true;
        command.SetAction(Guarded(hub, (parse, cancellationToken) => SubmitAsync(
            new SubmitSettings(parse.GetValue(hub)!, parse.GetValue(control)!, parse.GetValue(theme), parse.GetValue(person) ?? "ready", null, null, Watch: true, Plain: false, TimeSpan.FromMinutes(5)),
            cancellationToken)));
        return command;
    }

    private async Task<int> SubmitAsync(SubmitSettings settings, CancellationToken cancellationToken)
    {
        // Forms are dated by the sandbox's clock (ControlApiClient.TodayAsync), which `run --today` may
        // have moved, e.g. into Jiangsu's window.
        using var control = new ControlApiClient(settings.Control);
        SubmitApplicationRequest request;
        string description;
        if (settings.File is { } file)
        {
            (request, description) = await ScenarioFile.LoadAsync(file, control, cancellationToken);
        }
        else
        {
            var sample = settings.Sample!;
            var person = SampleScenarios.Find(await control.ScenariosAsync(cancellationToken), sample, settings.Person)
                ?? throw new CliException(ExitCodes.Usage, $"No prepared person '{settings.Person}' for {sample}; known: {string.Join(", ", SampleScenarios.People[sample])}.");
            request = new SubmitApplicationRequest { Application = SampleScenarios.Build(sample, person, await control.TodayAsync(cancellationToken)), RequestId = Guid.NewGuid().ToString() };
            description = $"the {sample} sample for {person.Name} ({settings.Person})";
        }

        if (settings.RequestId is { } requestId)
        {
            request.RequestId = requestId;
        }

        console.MarkupLine($"Submitting {Markup.Escape(description)} to {Markup.Escape(settings.Hub.ToString())} ...");
        using var channel = CliTokens.Channel(settings.Hub, settings.Control, request.Application?.Applicant?.IdDocument?.Number);
        var client = new ApplicationService.ApplicationServiceClient(channel);
        var submitted = await client.SubmitApplicationAsync(request, deadline: Deadline(), cancellationToken: cancellationToken);
        console.MarkupLine($"Accepted as [bold]{Markup.Escape(submitted.Name)}[/]: {submitted.Items.Count} items" +
            (submitted.DueDate.Length > 0 ? $", due {submitted.DueDate}" : string.Empty) + " (request id " + Markup.Escape(request.RequestId) + ").");
        if (!settings.Watch)
        {
            console.Write(ApplicationView.Tree(submitted));
            console.MarkupLine($"Follow it: [bold]onething watch {Markup.Escape(submitted.Name)}[/]");
            return ExitCodes.Ok;
        }

        return await new ApplicationWatcher(console, client).WatchAsync(submitted.Name, Live(settings.Plain), settings.Timeout, cancellationToken);
    }

    private bool Live(bool plain) => !plain && console.Profile.Capabilities.Interactive && console.Profile.Capabilities.Ansi;

    private Command WatchCommand()
    {
        var hub = HubOption();
        var name = new Argument<string>("application") { Description = "The application: applications/{id} or the id." };
        var plain = new Option<bool>("--plain") { Description = "One line per change instead of a live table." };
        var timeout = TimeoutOption();
        var control = ControlOption();
        var command = new Command("watch", "Follows an application until every item is final (or the rest wait for the applicant), then prints a summary.") { name, plain, timeout, hub, control };
        command.SetAction(Guarded(hub, async (parse, cancellationToken) =>
        {
            using var channel = CliTokens.Channel(parse.GetValue(hub)!, parse.GetValue(control)!);
            var client = new ApplicationService.ApplicationServiceClient(channel);
            return await new ApplicationWatcher(console, client).WatchAsync(
                ApplicationView.Name(parse.GetValue(name)!), Live(parse.GetValue(plain)), parse.GetValue(timeout), cancellationToken);
        }));
        return command;
    }

    private Command GetCommand()
    {
        var hub = HubOption();
        var name = new Argument<string>("application") { Description = "The application: applications/{id} or the id." };
        var json = new Option<bool>("--json") { Description = "Print the application as proto3 JSON." };
        var control = ControlOption();
        var command = new Command("get", "Shows an application with every item's state, case number and result.") { name, json, hub, control };
        command.SetAction(Guarded(hub, async (parse, cancellationToken) =>
        {
            using var channel = CliTokens.Channel(parse.GetValue(hub)!, parse.GetValue(control)!);
            var client = new ApplicationService.ApplicationServiceClient(channel);
            var application = await client.GetApplicationAsync(new GetApplicationRequest { Name = ApplicationView.Name(parse.GetValue(name)!) }, deadline: Deadline(), cancellationToken: cancellationToken);
            if (parse.GetValue(json))
            {
                // Straight to the writer: Spectre would wrap long lines and break the JSON.
                await console.Profile.Out.Writer.WriteLineAsync(ProtoJson.Format(application));
                return ExitCodes.Ok;
            }

            console.Write(ApplicationView.Tree(application));
            return ExitCodes.Ok;
        }));
        return command;
    }

    private Command ListCommand()
    {
        var hub = HubOption();
        var limit = new Option<int>("--limit", "-n") { Description = "How many applications (1..200).", DefaultValueFactory = _ => 20 };
        limit.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 1 or > 200)
            {
                result.AddError("--limit must lie within 1..200.");
            }
        });
        var theme = new Option<string>("--theme") { Description = "Only this theme (code, themes/... or a sample name).", HelpName = "theme" };
        var state = new Option<string>("--state") { Description = "Only applications in this state.", HelpName = "state" };
        state.AcceptOnlyFromAmong("draft", "in-progress", "action-required", "completed");
        var control = ControlOption();
        var command = new Command("list", "Lists applications, newest first.") { limit, theme, state, hub, control };
        command.SetAction(Guarded(hub, async (parse, cancellationToken) =>
        {
            using var channel = CliTokens.Channel(parse.GetValue(hub)!, parse.GetValue(control)!);
            var client = new ApplicationService.ApplicationServiceClient(channel);
            var themeText = parse.GetValue(theme);
            var request = new ListApplicationsRequest
            {
                PageSize = parse.GetValue(limit),
                Theme = themeText is null ? string.Empty
                    : SampleScenarios.SampleOf(themeText) is { } sample ? SampleScenarios.ThemeOf(sample)
                    : themeText.StartsWith("themes/", StringComparison.Ordinal) ? themeText : "themes/" + themeText,
                State = parse.GetValue(state) switch
                {
                    "draft" => Application.Types.State.Draft,
                    "in-progress" => Application.Types.State.InProgress,
                    "action-required" => Application.Types.State.ActionRequired,
                    "completed" => Application.Types.State.Completed,
                    _ => Application.Types.State.Unspecified,
                },
            };
            var page = await client.ListApplicationsAsync(request, deadline: Deadline(), cancellationToken: cancellationToken);
            var table = new Table().Border(TableBorder.Rounded)
                .AddColumn(new TableColumn("Application").NoWrap()).AddColumn(new TableColumn("Theme").NoWrap()).AddColumn("State").AddColumn("Applicant").AddColumn("Submitted").AddColumn("Items").AddColumn("Due");
            foreach (var application in page.Applications)
            {
                var succeeded = application.Items.Count(i => i.State == ApplicationItem.Types.State.Succeeded);
                var final = application.Items.Count(ApplicationView.IsFinal);
                table.AddRow(
                    new Text(application.Name),
                    new Text(application.Theme),
                    new Text(ApplicationView.State(application.State)),
                    new Text(application.Applicant?.Name ?? string.Empty),
                    new Text(application.SubmitTime is { } submitted ? ApplicationView.Time(submitted) : string.Empty),
                    new Text($"{succeeded} ok / {final} final / {application.Items.Count}"),
                    new Text(application.DueDate));
            }

            console.Write(table);
            console.MarkupLine($"{page.Applications.Count} applications" + (page.NextPageToken.Length > 0 ? " (more exist; raise --limit)" : string.Empty) + ".");
            return ExitCodes.Ok;
        }));
        return command;
    }

    private Command PeopleCommand()
    {
        var control = ControlOption();
        var sample = new Option<string>("--sample", "-s") { Description = "Only the people of this sample.", HelpName = "theme" };
        sample.AcceptOnlyFromAmong([.. SampleScenarios.Samples]);
        var command = new Command("people", "Lists the prepared people of every sample (for submit --sample ... --person ...).") { sample, control };
        command.SetAction(Guarded(null, async (parse, cancellationToken) =>
        {
            using var client = new ControlApiClient(parse.GetValue(control)!);
            var people = await client.ScenariosAsync(cancellationToken);
            var table = new Table().Border(TableBorder.Rounded).AddColumn("Sample").AddColumn(new TableColumn("Person").NoWrap()).AddColumn("Name").AddColumn(new TableColumn("ID number").NoWrap()).AddColumn("Business");
            var only = parse.GetValue(sample);
            foreach (var (name, scenarios) in SampleScenarios.People.Where(p => only is null || p.Key == only))
            {
                foreach (var scenario in scenarios)
                {
                    var person = SampleScenarios.Find(people, name, scenario)!;
                    table.AddRow(
                        new Text(name),
                        new Text(scenario),
                        new Text(person.Name),
                        new Text(person.IdNumber),
                        (IRenderable)new Text(person.Licence is { } licence ? $"{licence.EntityName} ({licence.EntityType}, {licence.RegistrationDate:yyyy-MM-dd})" : string.Empty));
                }
            }

            console.Write(table);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private sealed record SubmitSettings(
        Uri Hub, Uri Control, string? Sample, string Person, string? File, string? RequestId, bool Watch, bool Plain, TimeSpan Timeout);
}
