using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OneThing.Hub.Persistence;
using OneThing.Hub.V1;
using OneThing.Sandbox;
using OneThing.Tests.Support;
using Disposition = OneThing.Hub.V1.ReportItemResultResponse.Types.Disposition;
using ItemState = OneThing.Hub.V1.ApplicationItem.Types.State;
using Kind = OneThing.Hub.V1.DepartmentOutcome.Types.Kind;
using static OneThing.Tests.Support.CallbackReports;

namespace OneThing.Tests.Integration;

/// <summary>
/// Department callbacks: deduplicated by (department, case, sequence), taken out of order and before
/// the hub recorded the department's answer, and recorded exactly as a reconciliation poll's result.
/// The tests act as the department, calling the hub's published callback contract.
/// </summary>
public sealed class CallbackTests
{
    private const string Pension = "si.flexible-pension-registration";

    // Polls are pushed far out, so only a callback can decide the accepted items.
    private static readonly Dictionary<string, string?> NoPolling = new() { ["Dispatch:ReconciliationInterval"] = "01:00:00" };

    private static DateOnly Today => DateOnly.FromDateTime(DateTime.Now);

    [Fact]
    public async Task ReportItemResult_SameReportTwice_SecondIsDuplicateAndChangesNothing()
    {
        await using var sandbox = await HubSandbox.StartAsync(NoPolling).Within();
        var submitted = await sandbox.SubmitAsync(SampleApplications.Luoyang(sandbox.Simulators.Population.Scenarios.Ready, Today));
        var accepted = await InProgressAsync(sandbox, submitted.Name, Pension);
        var key = await SubmissionIdAsync(sandbox, submitted.Name, Pension);

        var first = await sandbox.Callbacks.ReportItemResultAsync(Report(key, accepted.CaseNumber, 2, Completed()), Bounded.Options).Within();
        var afterFirst = Item(await GetAsync(sandbox, submitted.Name), Pension);
        var second = await sandbox.Callbacks.ReportItemResultAsync(Report(key, accepted.CaseNumber, 2, Completed()), Bounded.Options).Within();
        var afterSecond = Item(await GetAsync(sandbox, submitted.Name), Pension);

        Assert.Equal(Disposition.Applied, first.Disposition);
        Assert.Equal($"{submitted.Name}/items/{Pension}", first.Item);
        Assert.Equal(Disposition.Duplicate, second.Disposition);
        Assert.Equal(ItemState.Succeeded, afterFirst.State);
        Assert.Equal("SI-CB-0001", afterFirst.Result["insurance_number"]);
        Assert.Equal(afterFirst, afterSecond);
        var rows = await CallbacksAsync(sandbox, accepted.CaseNumber);
        var row = Assert.Single(rows);
        Assert.Equal(CallbackDisposition.Applied, row.Disposition);
        Assert.Equal(1, row.DuplicateCount);
        Assert.Contains("SI-CB-0001", row.OutcomeJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReportItemResult_OutOfOrder_LowerSequenceIgnoredAndFinalNeverOverwrittenByProgress()
    {
        await using var sandbox = await HubSandbox.StartAsync(NoPolling).Within();
        var submitted = await sandbox.SubmitAsync(SampleApplications.Luoyang(sandbox.Simulators.Population.Scenarios.Ready, Today));
        var accepted = await InProgressAsync(sandbox, submitted.Name, Pension);
        var key = await SubmissionIdAsync(sandbox, submitted.Name, Pension);

        var final = await sandbox.Callbacks.ReportItemResultAsync(Report(key, accepted.CaseNumber, 3, Completed()), Bounded.Options).Within();
        var decided = Item(await GetAsync(sandbox, submitted.Name), Pension);
        var earlier = await sandbox.Callbacks.ReportItemResultAsync(Report(key, accepted.CaseNumber, 2, InProgress("复核中")), Bounded.Options).Within();
        var later = await sandbox.Callbacks.ReportItemResultAsync(Report(key, accepted.CaseNumber, 4, InProgress("归档中")), Bounded.Options).Within();

        Assert.Equal(Disposition.Applied, final.Disposition);
        Assert.Equal(Disposition.OutOfOrder, earlier.Disposition);
        Assert.Equal(Disposition.AlreadyDecided, later.Disposition);
        var after = Item(await GetAsync(sandbox, submitted.Name), Pension);
        Assert.Equal(ItemState.Succeeded, after.State);
        Assert.Equal(decided, after);
        Assert.DoesNotContain(after.History, e => e.Description.Contains("复核中", StringComparison.Ordinal) || e.Description.Contains("归档中", StringComparison.Ordinal));
        var rows = await CallbacksAsync(sandbox, accepted.CaseNumber);
        Assert.Equal(
            [(3L, CallbackDisposition.Applied), (2L, CallbackDisposition.OutOfOrder), (4L, CallbackDisposition.AlreadyDecided)],
            rows.Select(r => (r.Sequence, r.Disposition)).ToArray());
    }

    [Fact]
    public async Task ReportItemResult_ProgressWithNewStage_RecordedInHistoryThenFinalApplied()
    {
        await using var sandbox = await HubSandbox.StartAsync(NoPolling).Within();
        var submitted = await sandbox.SubmitAsync(SampleApplications.Luoyang(sandbox.Simulators.Population.Scenarios.Ready, Today));
        var accepted = await InProgressAsync(sandbox, submitted.Name, Pension);
        var key = await SubmissionIdAsync(sandbox, submitted.Name, Pension);

        var stage = await sandbox.Callbacks.ReportItemResultAsync(Report(key, accepted.CaseNumber, 1, InProgress("参保信息审核中")), Bounded.Options).Within();
        var same = await sandbox.Callbacks.ReportItemResultAsync(Report(key, accepted.CaseNumber, 2, InProgress("参保信息审核中")), Bounded.Options).Within();
        var final = await sandbox.Callbacks.ReportItemResultAsync(Report(key, accepted.CaseNumber, 3, Completed()), Bounded.Options).Within();

        Assert.Equal(Disposition.Applied, stage.Disposition);
        Assert.Equal(Disposition.NoChange, same.Disposition);
        Assert.Equal(Disposition.Applied, final.Disposition);
        var item = Item(await GetAsync(sandbox, submitted.Name), Pension);
        Assert.Equal([ItemState.Pending, ItemState.InProgress, ItemState.InProgress, ItemState.Succeeded], item.History.Select(e => e.State).ToArray());
        Assert.Contains("参保信息审核中", item.History[2].Description, StringComparison.Ordinal);

        // The callback finished the item's reconciliation poll: nothing is left to run for it.
        Assert.Empty(await OpenTasksAsync(sandbox, submitted.Name, Pension));
    }

    [Fact]
    public async Task ReportItemResult_BeforeSubmitAnswered_FinalAppliedAtOnceAndSubmitEndsStale()
    {
        await using var sandbox = await HubSandbox.StartAsync(NoPolling).Within();
        // The department holds every call until released: the submission is certainly in flight and
        // unanswered when the callback arrives (a latency would race a slow machine).
        sandbox.Simulators.SocialInsurance.Faults.HoldCalls();
        var submitted = await sandbox.SubmitAsync(SampleApplications.Luoyang(sandbox.Simulators.Population.Scenarios.Ready, Today));
        var key = await SubmissionIdAsync(sandbox, submitted.Name, Pension);

        // The submission is on its way to the department (a worker holds its task) and unanswered.
        await WaitForAsync(sandbox, async db => await db.DispatchTasks.AnyAsync(t =>
            t.ApplicationId == Id(submitted.Name) && t.ItemCode == Pension && t.Kind == DispatchTaskKind.Submit && t.LeaseOwner != null));
        var early = await sandbox.Callbacks.ReportItemResultAsync(Report(key, "SBYL-EARLY-1", 1, Completed()), Bounded.Options).Within();
        var decided = Item(await GetAsync(sandbox, submitted.Name), Pension);
        sandbox.Simulators.SocialInsurance.Faults.ReleaseCalls();

        Assert.Equal(Disposition.Applied, early.Disposition);
        Assert.Equal(ItemState.Succeeded, decided.State);
        Assert.Equal([ItemState.Pending, ItemState.Succeeded], decided.History.Select(e => e.State).ToArray());

        // The department's answer (an acceptance) arrives after the result: it changes nothing, and
        // no reconciliation poll is scheduled for an item that is already decided.
        await WaitForAsync(sandbox, async db => !await db.DispatchTasks.AnyAsync(t =>
            t.ApplicationId == Id(submitted.Name) && t.ItemCode == Pension && t.State != DispatchTaskState.Done));
        var after = Item(await GetAsync(sandbox, submitted.Name), Pension);
        Assert.Equal(1, sandbox.Simulators.SocialInsurance.CaseCount);
        Assert.Equal(decided.History, after.History);
        Assert.Equal("SBYL-EARLY-1", after.CaseNumber);
        Assert.DoesNotContain(await AllTasksAsync(sandbox, submitted.Name, Pension), t => t.Kind == DispatchTaskKind.Poll);
    }

    [Fact]
    public async Task ReportItemResult_ProgressBeforeSubmitAnswered_RecordedAsAcceptanceWithPoll()
    {
        await using var sandbox = await HubSandbox.StartAsync(NoPolling).Within();
        sandbox.Simulators.SocialInsurance.Faults.HoldCalls();
        var submitted = await sandbox.SubmitAsync(SampleApplications.Luoyang(sandbox.Simulators.Population.Scenarios.Ready, Today));
        var key = await SubmissionIdAsync(sandbox, submitted.Name, Pension);
        await WaitForAsync(sandbox, async db => await db.DispatchTasks.AnyAsync(t =>
            t.ApplicationId == Id(submitted.Name) && t.ItemCode == Pension && t.Kind == DispatchTaskKind.Submit && t.LeaseOwner != null));

        var early = await sandbox.Callbacks.ReportItemResultAsync(Report(key, "SBYL-EARLY-2", 1, InProgress("受理审核中")), Bounded.Options).Within();

        Assert.Equal(Disposition.Applied, early.Disposition);
        var item = Item(await GetAsync(sandbox, submitted.Name), Pension);
        sandbox.Simulators.SocialInsurance.Faults.ReleaseCalls();
        Assert.Equal(ItemState.InProgress, item.State);
        Assert.Equal("SBYL-EARLY-2", item.CaseNumber);
        await WaitForAsync(sandbox, async db => await db.DispatchTasks.AnyAsync(t =>
            t.ApplicationId == Id(submitted.Name) && t.ItemCode == Pension && t.Kind == DispatchTaskKind.Submit && t.State == DispatchTaskState.Done));
        var tasks = await AllTasksAsync(sandbox, submitted.Name, Pension);
        Assert.Single(tasks, t => t.Kind == DispatchTaskKind.Poll && t.State == DispatchTaskState.Scheduled);
        Assert.Equal(item.History, Item(await GetAsync(sandbox, submitted.Name), Pension).History);
    }

    [Fact]
    public async Task ReportItemResult_AfterPollFoundResult_ChangesNothing()
    {
        await using var sandbox = await HubSandbox.StartAsync().Within();
        var submitted = await sandbox.SubmitAsync(SampleApplications.Luoyang(sandbox.Simulators.Population.Scenarios.Ready, Today));
        var done = await sandbox.WaitForCompletionAsync(submitted.Name);
        var polled = Item(done, Pension);
        var key = await SubmissionIdAsync(sandbox, submitted.Name, Pension);

        var late = new DepartmentOutcome { Kind = Kind.Completed };
        late.Result.Add(polled.Result);
        var response = await sandbox.Callbacks.ReportItemResultAsync(Report(key, polled.CaseNumber, 5, late), Bounded.Options).Within();

        Assert.Equal(Disposition.AlreadyDecided, response.Disposition);
        Assert.Equal(polled, Item(await GetAsync(sandbox, submitted.Name), Pension));
        Assert.Equal(CallbackDisposition.AlreadyDecided, Assert.Single(await CallbacksAsync(sandbox, polled.CaseNumber)).Disposition);
    }

    [Fact]
    public async Task ReportItemResult_CallbackAndPoll_SameStateAndHistoryShape()
    {
        // One application completes by reconciliation polls, the other only by callbacks.
        await using var polling = await HubSandbox.StartAsync().Within();
        await using var callbacks = await HubSandbox.StartAsync(NoPolling).Within();
        var byPoll = await polling.SubmitAsync(SampleApplications.Luoyang(polling.Simulators.Population.Scenarios.Ready, Today));
        var byCallback = await callbacks.SubmitAsync(SampleApplications.Luoyang(callbacks.Simulators.Population.Scenarios.Ready, Today));
        var polled = Item(await polling.WaitForCompletionAsync(byPoll.Name), Pension);
        var accepted = await InProgressAsync(callbacks, byCallback.Name, Pension);
        var outcome = new DepartmentOutcome { Kind = Kind.Completed };
        outcome.Result.Add(polled.Result);
        var key = await SubmissionIdAsync(callbacks, byCallback.Name, Pension);

        await callbacks.Callbacks.ReportItemResultAsync(Report(key, accepted.CaseNumber, 1, outcome), Bounded.Options).Within();
        var reported = Item(await GetAsync(callbacks, byCallback.Name), Pension);

        Assert.Equal(polled.State, reported.State);
        Assert.Equal(polled.Result, reported.Result);
        Assert.Equal(polled.History.Select(e => (e.State, e.Description.Replace(polled.CaseNumber, "#", StringComparison.Ordinal))),
            reported.History.Select(e => (e.State, e.Description.Replace(reported.CaseNumber, "#", StringComparison.Ordinal))));
    }

    [Fact]
    public async Task ReportItemResult_UnknownKey_NotFoundAndRecorded()
    {
        await using var sandbox = await HubSandbox.StartAsync().Within();
        var key = Guid.NewGuid().ToString("N");

        var (code, info, _) = await RichErrors.FailureOf(() => sandbox.Callbacks.ReportItemResultAsync(Report(key, "SBYL-UNKNOWN", 1, Completed()), Bounded.Options).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, code);
        Assert.Equal("ITEM_NOT_FOUND", info.Reason);
        var row = Assert.Single(await CallbacksAsync(sandbox, "SBYL-UNKNOWN"));
        Assert.Equal(CallbackDisposition.UnknownItem, row.Disposition);
        Assert.Equal(key, row.IdempotencyKey);
    }

    [Fact]
    public async Task ReportItemResult_AnotherDepartmentsItem_PermissionDenied()
    {
        await using var sandbox = await HubSandbox.StartAsync(NoPolling).Within();
        var submitted = await sandbox.SubmitAsync(SampleApplications.Luoyang(sandbox.Simulators.Population.Scenarios.Ready, Today));
        var accepted = await InProgressAsync(sandbox, submitted.Name, Pension);
        var key = await SubmissionIdAsync(sandbox, submitted.Name, Pension);
        var request = Report(key, accepted.CaseNumber, 1, Completed());
        request.Department = "tax";

        var (code, info, _) = await RichErrors.FailureOf(() => sandbox.Callbacks.ReportItemResultAsync(request, Bounded.Options).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, code);
        Assert.Equal("DEPARTMENT_MISMATCH", info.Reason);
        Assert.Equal(ItemState.InProgress, Item(await GetAsync(sandbox, submitted.Name), Pension).State);
    }

    [Fact]
    public async Task ReportItemResult_MalformedReport_InvalidArgumentWithEveryViolation()
    {
        await using var sandbox = await HubSandbox.StartAsync().Within();
        var request = new ReportItemResultRequest { Department = SocialInsurance, Outcome = new DepartmentOutcome { Kind = Kind.Deferred } };

        var (code, info, violations) = await RichErrors.FailureOf(() => sandbox.Callbacks.ReportItemResultAsync(request, Bounded.Options).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, code);
        Assert.Equal("REQUEST_INVALID", info.Reason);
        Assert.Equal(
            ["case_number", "idempotency_key", "outcome.eligible_date", "outcome.reasons", "sequence"],
            violations.Select(v => v.Field).Order(StringComparer.Ordinal).ToArray());
    }

    [Fact]
    public async Task Flow_DepartmentsCompleteOnlyByCallback_Finishes()
    {
        await using var sandbox = await HubSandbox.StartAsync(NoPolling, callbacks: true).Within();
        var submitted = await sandbox.SubmitAsync(SampleApplications.Luoyang(sandbox.Simulators.Population.Scenarios.Ready, Today));

        var done = await sandbox.WaitForCompletionAsync(submitted.Name);

        Assert.All(done.Items, i => Assert.Equal(ItemState.Succeeded, i.State));
        Assert.Equal("900.00", Item(done, Pension).Result["monthly_contribution"]);
        Assert.False(string.IsNullOrEmpty(Item(done, "sscard.card-application").Result["card_number"]));
        Assert.Equal("5000.00", Item(done, "hr.startup-subsidy").Result["amount"]);
        // A department counts a callback once the hub's answer is back, which may follow the completion.
        var pushing = new[] { sandbox.Simulators.SocialInsurance, sandbox.Simulators.SocialSecurityCard, sandbox.Simulators.HumanResources };
        await WaitUntilAsync(() => pushing.All(d => d.CallbacksSent >= 1));
        Assert.All(pushing, d => Assert.Equal(1, d.CallbacksSent));

        // Nobody asked: the results came only by callback.
        Assert.DoesNotContain(sandbox.Simulators.SocialInsurance.Received, r => r.Operation == "QueryRegistration");
        var rows = await QueryAsync(sandbox, db => db.DepartmentCallbacks.ToListAsync());
        Assert.Equal(3, rows.Count);
        Assert.All(rows, r => Assert.Equal(CallbackDisposition.Applied, r.Disposition));
    }

    [Fact]
    public async Task Flow_CallbacksOff_ReconciliationAloneFinishes()
    {
        await using var sandbox = await HubSandbox.StartAsync(callbacks: true).Within();
        foreach (var department in sandbox.Simulators.All)
        {
            department.Faults.CallbacksOff = true;
        }

        var submitted = await sandbox.SubmitAsync(SampleApplications.Luoyang(sandbox.Simulators.Population.Scenarios.Ready, Today));
        var done = await sandbox.WaitForCompletionAsync(submitted.Name);

        Assert.All(done.Items, i => Assert.Equal(ItemState.Succeeded, i.State));
        Assert.All(sandbox.Simulators.All, d => Assert.Equal(0, d.CallbacksSent));
        Assert.Contains(sandbox.Simulators.SocialInsurance.Received, r => r.Operation == "QueryRegistration");
        Assert.Empty(await QueryAsync(sandbox, db => db.DepartmentCallbacks.ToListAsync()));
    }

    [Fact]
    public async Task Flow_DuplicateAndOutOfOrderCallbacks_AppliedOnceRestRecordedAndIgnored()
    {
        await using var sandbox = await HubSandbox.StartAsync(NoPolling, callbacks: true).Within();
        sandbox.Simulators.SocialInsurance.Faults.DuplicateCallbacks = true;
        sandbox.Simulators.SocialInsurance.Faults.OutOfOrderCallbacks = true;
        var submitted = await sandbox.SubmitAsync(SampleApplications.Luoyang(sandbox.Simulators.Population.Scenarios.Ready, Today));

        var done = await sandbox.WaitForCompletionAsync(submitted.Name);
        await WaitUntilAsync(() => sandbox.Simulators.SocialInsurance.CallbacksSent == 4);

        var pension = Item(done, Pension);

        // The submission's own answer (accepted) shows as IN_PROGRESS when it is recorded before the
        // result's callback; on a slow machine the callback can come first and the answer is then stale.
        // Either way the result is applied once and nothing after it changes the item.
        var states = pension.History.Select(e => e.State).ToArray();
        Assert.True(
            states.SequenceEqual([ItemState.Pending, ItemState.InProgress, ItemState.Succeeded]) || states.SequenceEqual([ItemState.Pending, ItemState.Succeeded]),
            "history: " + string.Join(", ", states));
        var rows = await CallbacksAsync(sandbox, pension.CaseNumber);
        Assert.Equal(
            [(2L, CallbackDisposition.Applied, 1), (1L, CallbackDisposition.OutOfOrder, 1)],
            rows.Select(r => (r.Sequence, r.Disposition, r.DuplicateCount)).ToArray());
        Assert.Equal(pension, Item(await GetAsync(sandbox, submitted.Name), Pension));
    }

    [Fact]
    public async Task Flow_EarlyCallback_BeforeSubmitAnswer_ItemAcceptedOnceThenCompleted()
    {
        await using var sandbox = await HubSandbox.StartAsync(NoPolling, callbacks: true).Within();
        sandbox.Simulators.SocialInsurance.Faults.EarlyCallbacks = true;
        var submitted = await sandbox.SubmitAsync(SampleApplications.Luoyang(sandbox.Simulators.Population.Scenarios.Ready, Today));

        var done = await sandbox.WaitForCompletionAsync(submitted.Name);

        var pension = Item(done, Pension);
        Assert.Equal(ItemState.Succeeded, pension.State);
        Assert.Equal([ItemState.Pending, ItemState.InProgress, ItemState.Succeeded], pension.History.Select(e => e.State).ToArray());
        var rows = await CallbacksAsync(sandbox, pension.CaseNumber);
        Assert.Equal([(1L, CallbackDisposition.Applied), (2L, CallbackDisposition.Applied)], rows.Select(r => (r.Sequence, r.Disposition)).ToArray());
        Assert.Equal(1, sandbox.Simulators.SocialInsurance.CaseCount);
        Assert.Empty(await OpenTasksAsync(sandbox, submitted.Name, Pension));
    }

    [Fact]
    public async Task Flow_LateCallback_AfterPollFoundResult_RecordedAndChangesNothing()
    {
        await using var sandbox = await HubSandbox.StartAsync(callbacks: true).Within();
        sandbox.Simulators.SocialInsurance.Faults.CallbackDelay = TimeSpan.FromSeconds(2);
        var submitted = await sandbox.SubmitAsync(SampleApplications.Luoyang(sandbox.Simulators.Population.Scenarios.Ready, Today));

        var done = await sandbox.WaitForCompletionAsync(submitted.Name);
        await WaitUntilAsync(() => sandbox.Simulators.SocialInsurance.CallbacksSent == 1);

        var pension = Item(done, Pension);
        Assert.Contains(sandbox.Simulators.SocialInsurance.Received, r => r.Operation == "QueryRegistration");
        Assert.Equal(CallbackDisposition.AlreadyDecided, Assert.Single(await CallbacksAsync(sandbox, pension.CaseNumber)).Disposition);
        Assert.Equal(pension, Item(await GetAsync(sandbox, submitted.Name), Pension));
    }

    [Fact]
    public async Task ControlApi_CallbackFaults_SetThroughPutAndValidated()
    {
        await using var simulators = await OneThing.Simulators.SimulatorCluster.StartAsync(new OneThing.Simulators.SimulatorOptions { PopulationSize = 10 }, TestContext.Current.CancellationToken).Within();
        using var http = new HttpClient { BaseAddress = simulators.ControlUri };
        var body = """{"callbackDelayMs":1500,"duplicateCallbacks":true,"outOfOrderCallbacks":true,"earlyCallbacks":true,"callbacksOff":false}""";

        using var ok = await http.PutAsync("departments/social-insurance/faults", new StringContent(body, System.Text.Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken).Within();
        using var bad = await http.PutAsync("departments/social-insurance/faults", new StringContent("""{"callbackDelayMs":-1}""", System.Text.Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken).Within();

        Assert.Equal(System.Net.HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, bad.StatusCode);
        var faults = simulators.SocialInsurance.Faults;
        Assert.Equal((TimeSpan.FromMilliseconds(1500), true, true, true, false), (faults.CallbackDelay, faults.DuplicateCallbacks, faults.OutOfOrderCallbacks, faults.EarlyCallbacks, faults.CallbacksOff));
        Assert.Contains("\"duplicateCallbacks\":true", await ok.Content.ReadAsStringAsync(TestContext.Current.CancellationToken).Within(), StringComparison.Ordinal);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var until = DateTime.UtcNow + Bounded.Default;
        while (!condition())
        {
            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException("the simulators did not reach the expected state");
            }

            await Task.Delay(25, TestContext.Current.CancellationToken);
        }
    }


    private static DepartmentOutcome InProgress(string stage) => new() { Kind = Kind.InProgress, Stage = stage };

    private static string Id(string name) => name["applications/".Length..];

    private static ApplicationItem Item(Application application, string itemCode) => application.Items.Single(i => i.ItemCode == itemCode);

    private static Task<Application> GetAsync(HubSandbox sandbox, string name) =>
        sandbox.Applications.GetApplicationAsync(new GetApplicationRequest { Name = name }, Bounded.Options).Within();

    private static async Task<ApplicationItem> InProgressAsync(HubSandbox sandbox, string name, string itemCode) =>
        Item(await sandbox.WaitUntilAsync(name, a => Item(a, itemCode).State == ItemState.InProgress), itemCode);

    private static Task<string> SubmissionIdAsync(HubSandbox sandbox, string name, string itemCode) =>
        QueryAsync(sandbox, db => db.Items.Where(i => i.ApplicationId == Id(name) && i.ItemCode == itemCode).Select(i => i.SubmissionId).SingleAsync());

    private static Task<List<DepartmentCallback>> CallbacksAsync(HubSandbox sandbox, string caseNumber) =>
        QueryAsync(sandbox, db => db.DepartmentCallbacks.Where(c => c.CaseNumber == caseNumber).OrderBy(c => c.Id).ToListAsync());

    private static Task<List<DispatchTask>> OpenTasksAsync(HubSandbox sandbox, string name, string itemCode) =>
        QueryAsync(sandbox, db => db.DispatchTasks.Where(t => t.ApplicationId == Id(name) && t.ItemCode == itemCode && t.State != DispatchTaskState.Done).ToListAsync());

    private static Task<List<DispatchTask>> AllTasksAsync(HubSandbox sandbox, string name, string itemCode) =>
        QueryAsync(sandbox, db => db.DispatchTasks.Where(t => t.ApplicationId == Id(name) && t.ItemCode == itemCode).ToListAsync());

    internal static async Task<T> QueryAsync<T>(HubSandbox sandbox, Func<HubDbContext, Task<T>> query)
    {
        await using var scope = sandbox.HubServices.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        return await query(db).Within();
    }

    internal static async Task WaitForAsync(HubSandbox sandbox, Func<HubDbContext, Task<bool>> condition)
    {
        var until = DateTime.UtcNow + Bounded.Default;
        while (!await QueryAsync(sandbox, condition))
        {
            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException("the hub's database did not reach the expected state");
            }

            await Task.Delay(25, TestContext.Current.CancellationToken);
        }
    }
}
