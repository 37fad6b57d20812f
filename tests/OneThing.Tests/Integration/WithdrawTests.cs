using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using OneThing.Hub.Persistence;
using OneThing.Hub.V1;
using OneThing.Sandbox;
using OneThing.Tests.Support;
using ItemState = OneThing.Hub.V1.ApplicationItem.Types.State;

namespace OneThing.Tests.Integration;

/// <summary>Withdrawing (撤回) an application or an item its department has not accepted yet.</summary>
public sealed class WithdrawTests
{
    private const string Licence = "market.licence-verification";
    private const string Tax = "tax.taxpayer-confirmation";

    private static DateOnly Today => DateOnly.FromDateTime(DateTime.Now);

    [Fact]
    public async Task WithdrawItem_WaitingOnItsPrerequisite_NeverSentWhileTheOthersComplete()
    {
        await using var sandbox = await HubSandbox.StartAsync().Within();
        sandbox.Simulators.MarketRegulation.Faults.HoldCalls();
        var submitted = await sandbox.SubmitAsync(SampleApplications.Luoyang(sandbox.Simulators.Population.Scenarios.Ready, Today));
        var tax = submitted.Items.Single(i => i.ItemCode == Tax);

        var withdrawn = await sandbox.Applications.WithdrawItemAsync(new WithdrawItemRequest { Name = tax.Name, Reason = "已自行到办税厅办理" }, Bounded.Options).Within();
        var again = await sandbox.Applications.WithdrawItemAsync(new WithdrawItemRequest { Name = tax.Name }, Bounded.Options).Within();
        sandbox.Simulators.MarketRegulation.Faults.ReleaseCalls();
        var done = await sandbox.WaitForCompletionAsync(submitted.Name);

        var item = withdrawn.Items.Single(i => i.ItemCode == Tax);
        Assert.Equal(ItemState.Withdrawn, item.State);
        Assert.Equal("APPLICANT_WITHDRAWN", Assert.Single(item.Reasons).Code);
        Assert.Equal("已自行到办税厅办理", item.Reasons[0].Message);
        Assert.Equal(item.History, again.Items.Single(i => i.ItemCode == Tax).History);
        Assert.Equal(ItemState.Withdrawn, done.Items.Single(i => i.ItemCode == Tax).State);
        Assert.All(done.Items.Where(i => i.ItemCode != Tax), i => Assert.Equal(ItemState.Succeeded, i.State));
        Assert.Equal(0, sandbox.Simulators.Tax.CaseCount);
        Assert.Empty(sandbox.Simulators.Tax.Received);
    }

    [Fact]
    public async Task WithdrawApplication_ItemInFlight_BusyThenEveryUnacceptedItemWithdrawnAndItsWorkEnded()
    {
        // The held call must stay in flight however slow the machine: long timeouts for the registry.
        await using var sandbox = await HubSandbox.StartAsync(new()
        {
            ["Dispatch:MaxAttempts"] = "1",
            ["Dispatch:LeaseDuration"] = "00:03:00",
            ["Dispatch:AdapterCallTimeout"] = "00:02:30",
            ["Departments:market-regulation:AttemptTimeout"] = "00:01:00",
            ["Departments:market-regulation:TotalTimeout"] = "00:02:00",
        }).Within();
        var market = sandbox.Simulators.MarketRegulation;
        market.Faults.HoldCalls();
        var submitted = await sandbox.SubmitAsync(SampleApplications.Luoyang(sandbox.Simulators.Population.Scenarios.Ready, Today));
        await CallbackTests.WaitForAsync(sandbox, db => db.DispatchTasks.AnyAsync(t => t.ItemCode == Licence && t.LeaseOwner != null));

        // The licence is on its way to the registry: not now.
        var busy = await RichErrors.FailureOf(() => sandbox.Applications.WithdrawApplicationAsync(new WithdrawApplicationRequest { Name = submitted.Name }, Bounded.Options).ResponseAsync);
        Assert.Equal((StatusCode.FailedPrecondition, "ITEM_BUSY"), (busy.Code, busy.Info.Reason));

        // The registry goes down; the hub gives up on the licence for now (it waits for an operator).
        market.Faults.Outage = true;
        market.Faults.ReleaseCalls();
        await sandbox.WaitUntilAsync(submitted.Name, a =>
            a.Items.Single(i => i.ItemCode == "si.flexible-pension-registration").State == ItemState.Succeeded &&
            a.Items.Single(i => i.ItemCode == "sscard.card-application").State == ItemState.Succeeded);
        await CallbackTests.WaitForAsync(sandbox, db => db.DispatchTasks.AnyAsync(t => t.ItemCode == Licence && t.State == DispatchTaskState.Exhausted));

        var withdrawn = await sandbox.Applications.WithdrawApplicationAsync(new WithdrawApplicationRequest { Name = submitted.Name, Reason = "不再办理" }, Bounded.Options).Within();
        var again = await sandbox.Applications.WithdrawApplicationAsync(new WithdrawApplicationRequest { Name = submitted.Name }, Bounded.Options).Within();

        Assert.Equal(Application.Types.State.Completed, withdrawn.State);
        var items = withdrawn.Items.ToDictionary(i => i.ItemCode);
        foreach (var code in new[] { Licence, Tax, "hr.employment-certificate", "hr.startup-subsidy" })
        {
            Assert.Equal(ItemState.Withdrawn, items[code].State);
        }

        Assert.Contains("未获部门答复", items[Licence].History.Last().Description, StringComparison.Ordinal);
        Assert.Equal(ItemState.Succeeded, items["si.flexible-pension-registration"].State);
        Assert.Equal(ItemState.Succeeded, items["sscard.card-application"].State);
        Assert.Equal(withdrawn.Items.Select(i => (i.ItemCode, i.State, i.History.Count)), again.Items.Select(i => (i.ItemCode, i.State, i.History.Count)));
        var open = await CallbackTests.QueryAsync(sandbox, db => db.DispatchTasks.CountAsync(t => t.ApplicationId == submitted.Name.Substring("applications/".Length) && t.State != DispatchTaskState.Done));
        Assert.Equal(0, open);
        Assert.Equal(0, market.CaseCount);

        // A succeeded item cannot be withdrawn; a draft is deleted, not withdrawn.
        var final = await RichErrors.FailureOf(() => sandbox.Applications.WithdrawItemAsync(new WithdrawItemRequest { Name = items["sscard.card-application"].Name }, Bounded.Options).ResponseAsync);
        Assert.Equal("ITEM_ALREADY_FINAL", final.Info.Reason);
        var draft = await sandbox.Applications.CreateApplicationAsync(new CreateApplicationRequest { Application = SampleApplications.Luoyang(sandbox.Simulators.Population.Scenarios.Ready, Today) }, Bounded.Options).Within();
        var notSubmitted = await RichErrors.FailureOf(() => sandbox.Applications.WithdrawApplicationAsync(new WithdrawApplicationRequest { Name = draft.Name }, Bounded.Options).ResponseAsync);
        Assert.Equal("NOT_SUBMITTED", notSubmitted.Info.Reason);
    }
}
