using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OneThing.Hub.Catalog;
using OneThing.Hub.Persistence;
using OneThing.Hub.V1;
using OneThing.Sandbox;
using OneThing.Tests.Support;
using ActionKind = OneThing.Hub.V1.OperatorAction.Types.Kind;
using ItemState = OneThing.Hub.V1.ApplicationItem.Types.State;

namespace OneThing.Tests.Integration;

/// <summary>The operators' service: stuck, overdue and exhausted work; retry; cancel; the action log.</summary>
public sealed class OperatorTests
{
    private const string Licence = "market.licence-verification";
    private const string Pension = "si.flexible-pension-registration";

    private static DateOnly Today => DateOnly.FromDateTime(DateTime.Now);

    [Fact]
    public async Task RetryItem_ExhaustedDuringOutage_ListedWithLastErrorThenCompletesAfterRetry()
    {
        await using var sandbox = await HubSandbox.StartAsync(new() { ["Dispatch:MaxAttempts"] = "2" }).Within();
        sandbox.Simulators.SocialInsurance.Faults.Outage = true;
        var submitted = await sandbox.SubmitAsync(SampleApplications.Luoyang(sandbox.Simulators.Population.Scenarios.Ready, Today));
        var name = ItemName(submitted, Pension);

        var entry = await WaitForWorkAsync(sandbox, new ListWorkRequest { Kind = WorkKind.Exhausted }, name);

        Assert.Equal(ItemState.Pending, entry.State);
        Assert.True(entry.Exhausted);
        Assert.Equal(2, entry.Attempts);
        Assert.NotEmpty(entry.LastError);
        Assert.Equal("social-insurance", entry.Department);
        Assert.Equal("themes/luoyang.personal-startup", entry.Theme);
        Assert.Null(entry.NextAttemptTime);
        Assert.Empty((await ListWorkAsync(sandbox, new ListWorkRequest { Kind = WorkKind.Exhausted, Department = "tax" })).Items);

        sandbox.Simulators.SocialInsurance.Faults.Outage = false;
        var retried = await sandbox.Operators.RetryItemAsync(new RetryItemRequest { Name = name, Reason = "社保系统已恢复", OperatorId = "op-1" }, Bounded.Options).Within();

        Assert.Equal(0, retried.Attempts);
        Assert.False(retried.Exhausted);
        var done = await sandbox.WaitForCompletionAsync(submitted.Name);
        Assert.Equal(ItemState.Succeeded, done.Items.Single(i => i.ItemCode == Pension).State);
        Assert.Equal(1, sandbox.Simulators.SocialInsurance.CaseCount);
        Assert.Empty((await ListWorkAsync(sandbox, new ListWorkRequest { Kind = WorkKind.Exhausted })).Items);
        var action = Assert.Single((await sandbox.Operators.ListOperatorActionsAsync(new ListOperatorActionsRequest { Target = name }, Bounded.Options).Within()).Actions);
        Assert.Equal((ActionKind.Retry, "op-1", "社保系统已恢复", "OK"), (action.Kind, action.OperatorId, action.Reason, action.Outcome));
    }

    [Fact]
    public async Task ListWork_Stuck_ListsItemWaitingLongerThanThreshold()
    {
        await using var sandbox = await HubSandbox.StartAsync().Within();
        sandbox.Simulators.SocialInsurance.Faults.Outage = true;
        var submitted = await sandbox.SubmitAsync(SampleApplications.Luoyang(sandbox.Simulators.Population.Scenarios.Ready, Today));
        var name = ItemName(submitted, Pension);
        await sandbox.WaitUntilAsync(submitted.Name, a => a.Items.Single(i => i.ItemCode == Pension).Attempts >= 1);

        var stuck = await WaitForWorkAsync(sandbox, new ListWorkRequest { Kind = WorkKind.Stuck, StuckAfter = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(TimeSpan.FromSeconds(1)) }, name);
        var notYet = await ListWorkAsync(sandbox, new ListWorkRequest { Kind = WorkKind.Stuck, StuckAfter = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(TimeSpan.FromHours(1)) });

        Assert.Equal(ItemState.Pending, stuck.State);
        Assert.True(stuck.Attempts >= 1);
        Assert.NotEmpty(stuck.LastError);
        Assert.NotNull(stuck.NextAttemptTime);
        Assert.DoesNotContain(notYet.Items, i => i.Name == name);
    }

    [Fact]
    public async Task ListWork_Overdue_AfterClockPassesDueDate_CountsWorkingDays()
    {
        await using var sandbox = await HubSandbox.StartAsync().Within();
        sandbox.Simulators.SocialInsurance.Faults.Outage = true;
        var submitted = await sandbox.SubmitAsync(SampleApplications.Luoyang(sandbox.Simulators.Population.Scenarios.Ready, Today));
        var name = ItemName(submitted, Pension);
        var due = DateOnly.ParseExact(submitted.Items.Single(i => i.ItemCode == Pension).DueDate, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        Assert.DoesNotContain((await ListWorkAsync(sandbox, new ListWorkRequest { Kind = WorkKind.Overdue })).Items, i => i.Name == name);

        // Five days past the deadline, by the hub's clock.
        await sandbox.StopHubAsync().Within();
        var later = new DateTimeOffset(due.AddDays(5).ToDateTime(new TimeOnly(10, 0)), TimeSpan.FromHours(8));
        await sandbox.StartHubAsync(new ShiftedTimeProvider(later)).Within();
        var calendar = sandbox.HubServices.GetRequiredService<CatalogSnapshot>().Calendar;

        var overdue = await ListWorkAsync(sandbox, new ListWorkRequest { Kind = WorkKind.Overdue, Department = "social-insurance" });
        var beforeDue = await ListWorkAsync(sandbox, new ListWorkRequest { Kind = WorkKind.Overdue, DueBefore = due.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) });
        var otherTheme = await ListWorkAsync(sandbox, new ListWorkRequest { Kind = WorkKind.Overdue, Theme = "themes/jiangsu.job-seeking-subsidy" });

        var entry = Assert.Single(overdue.Items, i => i.Name == name);
        Assert.Equal(calendar.WorkingDaysBetween(due, due.AddDays(5)), entry.WorkingDaysOverdue);
        Assert.True(entry.WorkingDaysOverdue > 0);
        Assert.Equal(due.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), entry.DueDate);
        Assert.DoesNotContain(beforeDue.Items, i => i.Name == name);
        Assert.Empty(otherTheme.Items);
    }

    [Fact]
    public async Task CancelItem_WithDependants_DependantsNotStartedTasksEndedAndRepeatRefused()
    {
        await using var sandbox = await HubSandbox.StartAsync().Within();
        sandbox.Simulators.MarketRegulation.Faults.Outage = true;
        var submitted = await sandbox.SubmitAsync(SampleApplications.Luoyang(sandbox.Simulators.Population.Scenarios.Ready, Today));
        var name = ItemName(submitted, Licence);
        await sandbox.WaitUntilAsync(submitted.Name, a => a.Items.Single(i => i.ItemCode == Licence).Attempts >= 1);

        var cancelled = await sandbox.Operators.CancelItemAsync(new CancelItemRequest { Name = name, Reason = "申请人撤回营业执照核验", OperatorId = "op-2" }, Bounded.Options).Within();

        Assert.Equal(ItemState.Cancelled, cancelled.State);
        var done = await sandbox.WaitForCompletionAsync(submitted.Name);
        var items = done.Items.ToDictionary(i => i.ItemCode);
        Assert.Equal(ItemState.Cancelled, items[Licence].State);
        Assert.Equal("已撤销", items[Licence].StatusText);
        Assert.Equal("OPERATOR_CANCELLED", Assert.Single(items[Licence].Reasons).Code);
        foreach (var dependant in new[] { "tax.taxpayer-confirmation", "hr.employment-certificate", "hr.startup-subsidy" })
        {
            Assert.Equal(ItemState.NotStarted, items[dependant].State);
            Assert.Contains("申请人撤回营业执照核验", Assert.Single(items[dependant].Reasons).Message, StringComparison.Ordinal);
        }

        Assert.Equal(ItemState.Succeeded, items[Pension].State);
        Assert.Equal(ItemState.Succeeded, items["sscard.card-application"].State);
        var open = await CallbackTests.QueryAsync(sandbox, db => db.DispatchTasks.CountAsync(t => t.ApplicationId == submitted.Name.Substring("applications/".Length) && t.State != DispatchTaskState.Done));
        Assert.Equal(0, open);

        var again = await RichErrors.FailureOf(() => sandbox.Operators.CancelItemAsync(new CancelItemRequest { Name = name, Reason = "重复撤销", OperatorId = "op-2" }, Bounded.Options).ResponseAsync);
        var retry = await RichErrors.FailureOf(() => sandbox.Operators.RetryItemAsync(new RetryItemRequest { Name = name, Reason = "误操作重试", OperatorId = "op-2" }, Bounded.Options).ResponseAsync);
        Assert.Equal((StatusCode.FailedPrecondition, "ITEM_ALREADY_FINAL"), (again.Code, again.Info.Reason));
        Assert.Equal((StatusCode.FailedPrecondition, "ITEM_ALREADY_FINAL"), (retry.Code, retry.Info.Reason));

        var actions = (await sandbox.Operators.ListOperatorActionsAsync(new ListOperatorActionsRequest { OperatorId = "op-2" }, Bounded.Options).Within()).Actions;
        Assert.Equal(
            [(ActionKind.Retry, "ITEM_ALREADY_FINAL"), (ActionKind.Cancel, "ITEM_ALREADY_FINAL"), (ActionKind.Cancel, "OK")],
            actions.Select(a => (a.Kind, a.Outcome)).ToArray());
        Assert.All(actions, a => Assert.Equal(name, a.Target));
        var firstPage = await sandbox.Operators.ListOperatorActionsAsync(new ListOperatorActionsRequest { OperatorId = "op-2", PageSize = 2 }, Bounded.Options).Within();
        var secondPage = await sandbox.Operators.ListOperatorActionsAsync(new ListOperatorActionsRequest { OperatorId = "op-2", PageSize = 2, PageToken = firstPage.NextPageToken }, Bounded.Options).Within();
        Assert.Equal(actions.Select(a => a.Id), firstPage.Actions.Concat(secondPage.Actions).Select(a => a.Id));
        Assert.Equal(string.Empty, secondPage.NextPageToken);
        Assert.Equal(0, sandbox.Simulators.MarketRegulation.CaseCount);
    }

    [Fact]
    public async Task OperatorActions_MalformedOrUnknown_RefusedWithReasons()
    {
        await using var sandbox = await HubSandbox.StartAsync().Within();

        var invalid = await RichErrors.FailureOf(() => sandbox.Operators.RetryItemAsync(new RetryItemRequest { Name = "items/x" }, Bounded.Options).ResponseAsync);
        var unknown = await RichErrors.FailureOf(() => sandbox.Operators.CancelItemAsync(
            new CancelItemRequest { Name = $"applications/{Guid.NewGuid():N}/items/{Licence}", Reason = "测试", OperatorId = "op-3" }, Bounded.Options).ResponseAsync);
        var noKind = await RichErrors.FailureOf(() => sandbox.Operators.ListWorkAsync(new ListWorkRequest(), Bounded.Options).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, invalid.Code);
        // The operator is the caller (the token's subject); only the name and the reason are the request's to get wrong.
        Assert.Equal(["name", "reason"], invalid.Violations.Select(v => v.Field).Order(StringComparer.Ordinal).ToArray());
        Assert.Equal((StatusCode.NotFound, "ITEM_NOT_FOUND"), (unknown.Code, unknown.Info.Reason));
        Assert.Equal(StatusCode.InvalidArgument, noKind.Code);
        var recorded = Assert.Single((await sandbox.Operators.ListOperatorActionsAsync(new ListOperatorActionsRequest { OperatorId = "op-3" }, Bounded.Options).Within()).Actions);
        Assert.Equal("ITEM_NOT_FOUND", recorded.Outcome);
    }

    private static string ItemName(Application application, string itemCode) => $"{application.Name}/items/{itemCode}";

    private static Task<ListWorkResponse> ListWorkAsync(HubSandbox sandbox, ListWorkRequest request) =>
        sandbox.Operators.ListWorkAsync(request, Bounded.Options).Within();

    private static async Task<WorkItem> WaitForWorkAsync(HubSandbox sandbox, ListWorkRequest request, string name)
    {
        var until = DateTime.UtcNow + Bounded.Default;
        while (true)
        {
            if ((await ListWorkAsync(sandbox, request)).Items.FirstOrDefault(i => i.Name == name) is { } found)
            {
                return found;
            }

            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException($"{name} was not listed as {request.Kind} work");
            }

            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }
}
