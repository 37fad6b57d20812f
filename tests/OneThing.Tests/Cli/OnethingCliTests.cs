using System.Text.RegularExpressions;
using Google.Protobuf;
using OneThing.Hub.V1;
using OneThing.Sandbox;
using OneThing.Sandbox.Cli;
using OneThing.Tests.Support;
using Spectre.Console.Testing;
using ItemState = OneThing.Hub.V1.ApplicationItem.Types.State;

namespace OneThing.Tests.Cli;

/// <summary>The testers' CLI driven in process on a test console, against the hub and the simulators on loopback.</summary>
public sealed partial class OnethingCliTests
{
    // Jiangsu takes applications only 9/1–9/30 before and 5/1–5/31 of the graduation year.
    private static readonly DateTimeOffset InsideJiangsuWindow = new(2026, 9, 10, 10, 0, 0, TimeSpan.FromHours(8));

    [Theory]
    [InlineData("luoyang")]
    [InlineData("shaoguan")]
    [InlineData("baotou")]
    [InlineData("jieyang")]
    [InlineData("jiangsu")]
    public async Task SubmitSampleWithWatch_EveryItemEndsFinalAndSucceeded_ExitCodeZero(string sample)
    {
        TimeProvider time = sample == "jiangsu" ? new ShiftedTimeProvider(InsideJiangsuWindow) : TimeProvider.System;
        await using var sandbox = await HubSandbox.StartAsync(time: time).Within();

        var (code, output) = await RunAsync(["submit", "--sample", sample, "--watch", "--timeout", "50s", .. Both(sandbox)]);

        Assert.True(code == ExitCodes.Ok, output);
        var name = AcceptedAs().Match(output).Groups[1].Value;
        var application = await sandbox.Applications.GetApplicationAsync(new GetApplicationRequest { Name = name }, Bounded.Options).Within();
        Assert.Equal(SampleScenarios.ThemeOf(sample), application.Theme);
        Assert.Equal(Application.Types.State.Completed, application.State);
        Assert.NotEmpty(application.Items);
        Assert.All(application.Items, i => Assert.Equal(ItemState.Succeeded, i.State));
        Assert.Contains($"{application.Items.Count} of {application.Items.Count} items succeeded", output, StringComparison.Ordinal);
        foreach (var item in application.Items.Where(i => i.CaseNumber.Length > 0))
        {
            Assert.Contains(item.CaseNumber, output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task SubmitBadScenarioFile_PrintsEveryViolationWithItsReasonAndDescription_ExitCodeRefused()
    {
        await using var sandbox = await HubSandbox.StartAsync().Within();
        var file = Path.Combine(AppContext.BaseDirectory, "scenarios", "luoyang-invalid.json");

        var (code, output) = await RunAsync(["submit", "--file", file, "--watch", .. Both(sandbox)]);

        Assert.True(code == ExitCodes.Refused, output);
        Assert.Contains("InvalidArgument", output, StringComparison.Ordinal);
        // The same application sent directly: every violation the hub reports is in the CLI's output.
        var application = SampleApplications.Luoyang(sandbox.Simulators.Population.Scenarios.Ready, sandbox.Today);
        application.Fields["licence.uscc"] = "91410300MA0000000X";
        application.Fields["pension.contribution_base"] = "3000.00";
        application.Fields["subsidy.category"] = "astronaut";
        application.Fields["card.pickup"] = "drone";
        var refused = await RichErrors.FailureOf(() => sandbox.SubmitAsync(application));
        Assert.True(refused.Violations.Count >= 4, string.Join(", ", refused.Violations.Select(v => v.Field)));
        foreach (var violation in refused.Violations)
        {
            Assert.Contains(violation.Field, output, StringComparison.Ordinal);
            Assert.Contains(violation.Reason, output, StringComparison.Ordinal);
            Assert.Contains(violation.Description, output, StringComparison.Ordinal);
        }

        Assert.Contains($"{refused.Violations.Count} field violation(s)", output, StringComparison.Ordinal);
        Assert.Empty(sandbox.Simulators.MarketRegulation.Received);
    }

    [Fact]
    public async Task SubmitMalformedScenarioFile_SaysWhatIsWrong_ExitCodeUsage_NothingSent()
    {
        var file = Path.Combine(Path.GetTempPath(), $"onething-cli-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, """{ "theme": "luoyang", "person": "ready", "feilds": {} }""", TestContext.Current.CancellationToken);
        try
        {
            // Nothing listens on port 1: had anything been sent, the exit code would say unreachable.
            var (code, output) = await RunAsync(["submit", "--file", file, "--hub", "http://127.0.0.1:1", "--control", "http://127.0.0.1:1"]);

            Assert.True(code == ExitCodes.Usage, output);
            Assert.Contains("feilds", output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Themes_ListsTheFiveSeedThemes_AndThemeShowsItemsFieldsAndMaterials()
    {
        await using var sandbox = await HubSandbox.StartAsync().Within();

        var (code, output) = await RunAsync(["themes", .. Hub(sandbox)]);

        Assert.True(code == ExitCodes.Ok, output);
        foreach (var sample in SampleScenarios.Samples)
        {
            Assert.Contains(SampleScenarios.ThemeOf(sample)["themes/".Length..], output, StringComparison.Ordinal);
        }

        Assert.Contains("个人创业一件事", output, StringComparison.Ordinal);
        Assert.Contains("5 themes", output, StringComparison.Ordinal);

        var (themeCode, theme) = await RunAsync(["theme", "luoyang", .. Hub(sandbox)]);
        Assert.True(themeCode == ExitCodes.Ok, theme);
        Assert.Contains("tax.taxpayer-confirmation", theme, StringComparison.Ordinal);
        Assert.Contains("pension.contribution_base", theme, StringComparison.Ordinal);
        Assert.Contains("Materials", theme, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FaultsSetShowClear_ChangeTheSimulators_AndReceivedShowsKeysAndRepeats()
    {
        await using var sandbox = await HubSandbox.StartAsync().Within();
        var tax = sandbox.Simulators.Tax;

        var (set, setOutput) = await RunAsync(["faults", "set", "--department", "tax", "--error-rate", "0.3", "--latency", "200ms", .. Control(sandbox)]);
        Assert.True(set == ExitCodes.Ok, setOutput);
        Assert.Equal(0.3, tax.Faults.ErrorRate);
        Assert.Equal(TimeSpan.FromMilliseconds(200), tax.Faults.Latency);

        var (outage, outageOutput) = await RunAsync(["faults", "set", "-d", "si", "--outage", "5m", .. Control(sandbox)]);
        Assert.True(outage == ExitCodes.Ok, outageOutput);
        Assert.True(sandbox.Simulators.SocialInsurance.Faults.OutageUntil > TimeProvider.System.GetUtcNow().AddMinutes(4));

        var (show, showOutput) = await RunAsync(["faults", "show", .. Control(sandbox)]);
        Assert.True(show == ExitCodes.Ok, showOutput);
        Assert.Contains("error rate 0.3", showOutput, StringComparison.Ordinal);
        Assert.Contains("outage until", showOutput, StringComparison.Ordinal);

        var (clearOne, clearOneOutput) = await RunAsync(["faults", "clear", "--department", "tax", .. Control(sandbox)]);
        Assert.True(clearOne == ExitCodes.Ok, clearOneOutput);
        Assert.Equal(0, tax.Faults.ErrorRate);
        Assert.NotNull(sandbox.Simulators.SocialInsurance.Faults.OutageUntil);

        var (clearAll, clearAllOutput) = await RunAsync(["faults", "clear", .. Control(sandbox)]);
        Assert.True(clearAll == ExitCodes.Ok, clearAllOutput);
        Assert.Null(sandbox.Simulators.SocialInsurance.Faults.OutageUntil);

        var (unknown, unknownOutput) = await RunAsync(["faults", "set", "--department", "weather", "--error-rate", "0.1", .. Control(sandbox)]);
        Assert.Equal(ExitCodes.Refused, unknown);
        Assert.Contains("unknown_department", unknownOutput, StringComparison.Ordinal);
        Assert.Contains("social-security-card", unknownOutput, StringComparison.Ordinal);

        // A submission the tax department answers; then the same key sent again is a repeat.
        var submitted = await sandbox.SubmitAsync(SampleApplications.Luoyang(sandbox.Simulators.Population.Scenarios.Ready, sandbox.Today));
        await sandbox.WaitForCompletionAsync(submitted.Name);
        var key = tax.Received.First(r => r.IdempotencyKey.Length > 0).IdempotencyKey;

        var (received, receivedOutput) = await RunAsync(["received", "--department", "tax", .. Control(sandbox)]);
        Assert.True(received == ExitCodes.Ok, receivedOutput);
        Assert.Contains(key, receivedOutput, StringComparison.Ordinal);
        Assert.Contains($"{tax.Received.Count} requests", receivedOutput, StringComparison.Ordinal);
        Assert.Contains("No idempotency key was received twice", receivedOutput, StringComparison.Ordinal);

        var (all, allOutput) = await RunAsync(["received", .. Control(sandbox)]);
        Assert.True(all == ExitCodes.Ok, allOutput);
        Assert.Contains("market-regulation", allOutput, StringComparison.Ordinal);
        Assert.Contains("social-security-card", allOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetJsonListAndWatch_ShowTheApplication()
    {
        await using var sandbox = await HubSandbox.StartAsync().Within();
        var submitted = await sandbox.SubmitAsync(SampleApplications.Luoyang(sandbox.Simulators.Population.Scenarios.NoLicence, sandbox.Today));

        var (watch, watchOutput) = await RunAsync(["watch", submitted.Name, "--timeout", "50s", .. Both(sandbox)]);
        Assert.True(watch == ExitCodes.NotAllSucceeded, watchOutput);
        var done = await sandbox.Applications.GetApplicationAsync(new GetApplicationRequest { Name = submitted.Name }, Bounded.Options).Within();
        Assert.Equal(ItemState.Rejected, done.Items.Single(i => i.ItemCode == "market.licence-verification").State);
        Assert.Contains($"{done.Items.Count(i => i.State == ItemState.Succeeded)} of {done.Items.Count} items succeeded", watchOutput, StringComparison.Ordinal);
        Assert.Contains("not started", watchOutput, StringComparison.Ordinal);

        // On an interactive terminal the items are one live table instead of a line per change.
        var terminal = new TestConsole().Width(300).Interactive().SupportsAnsi(true);
        var live = await OnethingCli.InvokeAsync(["watch", submitted.Name, .. Both(sandbox)], terminal, TestContext.Current.CancellationToken).Within();
        Assert.True(live == ExitCodes.NotAllSucceeded, terminal.Output);
        Assert.Contains("Case number", terminal.Output, StringComparison.Ordinal);
        Assert.Contains("items succeeded", terminal.Output, StringComparison.Ordinal);

        var (get, json) = await RunAsync(["get", submitted.Name["applications/".Length..], "--json", .. Both(sandbox)]);
        Assert.True(get == ExitCodes.Ok, json);
        var parsed = JsonParser.Default.Parse<Application>(json);
        Assert.Equal(submitted.Name, parsed.Name);
        Assert.Equal(Application.Types.State.Completed, parsed.State);

        var (list, listOutput) = await RunAsync(["list", .. Both(sandbox)]);
        Assert.True(list == ExitCodes.Ok, listOutput);
        Assert.Contains(submitted.Name, listOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HubNotRunning_SaysWhichAddressAndHowToStartTheSandbox()
    {
        var (code, output) = await RunAsync(["themes", "--hub", "http://127.0.0.1:1"]);

        Assert.True(code == ExitCodes.Unreachable, output);
        Assert.Contains("http://127.0.0.1:1", output, StringComparison.Ordinal);
        Assert.Contains("dotnet run --project src/Sandbox", output, StringComparison.Ordinal);
    }

    [Fact]
    public void SandboxClock_Today_MovesTheDayKeepsTheTimeOfDayAndFlows()
    {
        var system = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 6, 30, 0, TimeSpan.Zero));
        var clock = new SandboxClock(new DateOnly(2026, 9, 10), system);

        Assert.Equal(new DateTimeOffset(2026, 9, 10, 14, 30, 0, TimeSpan.FromHours(8)), clock.GetUtcNow());
        system.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(new DateTimeOffset(2026, 9, 10, 14, 35, 0, TimeSpan.FromHours(8)), clock.GetUtcNow());
        Assert.Equal(new DateOnly(2026, 9, 10), SandboxRunner.ParseToday("2026-09-10"));
        Assert.Null(SandboxRunner.ParseToday(null));
        Assert.Throws<ArgumentException>(() => SandboxRunner.ParseToday("10/09/2026"));
    }

    private static async Task<(int Code, string Output)> RunAsync(string[] args)
    {
        var console = new TestConsole();
        console.Profile.Width = 300;
        var code = await OnethingCli.InvokeAsync(args, console, TestContext.Current.CancellationToken).Within(TimeSpan.FromSeconds(90));
        return (code, console.Output);
    }

    private static string[] Hub(HubSandbox sandbox) => ["--hub", sandbox.HubAddress.ToString()];

    private static string[] Control(HubSandbox sandbox) => ["--control", sandbox.Simulators.ControlUri.ToString()];

    private static string[] Both(HubSandbox sandbox) => [.. Hub(sandbox), .. Control(sandbox)];

    [GeneratedRegex(@"Accepted as (applications/\S+?):")]
    private static partial Regex AcceptedAs();
}
