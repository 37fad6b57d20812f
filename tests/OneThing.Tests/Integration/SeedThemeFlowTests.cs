using Grpc.Core;
using OneThing.Hub.V1;
using OneThing.Sandbox;
using OneThing.Tests.Support;
using ItemState = OneThing.Hub.V1.ApplicationItem.Types.State;

namespace OneThing.Tests.Integration;

/// <summary>Every seed theme end to end against the simulators: its happy path and its refusals.</summary>
public sealed class SeedThemeFlowTests
{
    private static Dictionary<string, ApplicationItem> ByCode(Application a) => a.Items.ToDictionary(i => i.ItemCode);

    // Seed 000 (Shaoguan).
    [Fact]
    public async Task Shaoguan_UnitWithEmployees_EveryItemSucceedsAndSubsidiesGoToTheCard()
    {
        await using var sandbox = await HubSandbox.StartAsync().Within();
        var person = sandbox.Simulators.Population.Scenarios.ShaoguanReady;

        var done = await sandbox.WaitForCompletionAsync((await sandbox.SubmitAsync(SampleApplications.Shaoguan(person, sandbox.Today))).Name);

        var items = ByCode(done);
        Assert.Equal(["hr.employment-registration", "hr.employment-certificate", "hr.startup-grant", "hr.rent-subsidy"], done.Items.Select(i => i.ItemCode));
        Assert.All(done.Items, i => Assert.Equal(ItemState.Succeeded, i.State));
        Assert.False(string.IsNullOrEmpty(items["hr.employment-certificate"].Result["certificate_number"]));
        Assert.Equal("3600.00", items["hr.rent-subsidy"].Result["amount"]);
        Assert.Equal((0, 0), (sandbox.Simulators.HumanResources.ReplayCount, sandbox.Simulators.HumanResources.DuplicateCount));
    }

    [Fact]
    public async Task Shaoguan_PersonWithoutCard_CardAppliedAndSubsidyPaidToAnotherBankCard()
    {
        await using var sandbox = await HubSandbox.StartAsync().Within();
        var person = sandbox.Simulators.Population.Scenarios.ShaoguanNoCard;

        var done = await sandbox.WaitForCompletionAsync((await sandbox.SubmitAsync(SampleApplications.Shaoguan(person, sandbox.Today))).Name);

        Assert.All(done.Items, i => Assert.Equal(ItemState.Succeeded, i.State));
        Assert.Contains(done.Items, i => i.ItemCode == "sscard.card-application");
    }

    [Fact]
    public async Task Shaoguan_RefusalsToldAtOnceOrByTheDepartment()
    {
        await using var sandbox = await HubSandbox.StartAsync().Within();
        var scenarios = sandbox.Simulators.Population.Scenarios;

        // The guided answers exclude the grant and rent subsidy for a unit without employees: told at once.
        var noEmployees = SampleApplications.Shaoguan(scenarios.ShaoguanNoEmployeeUnit, sandbox.Today);
        var refused = await RichErrors.FailureOf(() => sandbox.SubmitAsync(noEmployees));
        Assert.Equal(StatusCode.InvalidArgument, refused.Code);
        Assert.Equal(2, refused.Violations.Count(v => v.Reason == "ITEM_NOT_APPLICABLE" && v.Description.Contains("无雇工", StringComparison.Ordinal)));

        // Answers that hide it do not get past the department: the form's unit type is checked there too.
        noEmployees.GuideAnswers["unit_type"] = "individual-with-employees";
        var rejected = await sandbox.WaitForCompletionAsync((await sandbox.SubmitAsync(noEmployees)).Name);
        Assert.Equal(ItemState.Rejected, ByCode(rejected)["hr.startup-grant"].State);
        Assert.Equal("UNIT_TYPE_NOT_ELIGIBLE", ByCode(rejected)["hr.startup-grant"].Reasons.Single().Code);

        // A cardholder must be paid into the card's financial account: the department returns the item.
        var wrongAccount = SampleApplications.Shaoguan(scenarios.ShaoguanReady, sandbox.Today);
        wrongAccount.PaymentAccount.AccountNumber = "6222000011112222333";
        var returned = await sandbox.WaitUntilAsync((await sandbox.SubmitAsync(wrongAccount)).Name,
            a => a.Items.Single(i => i.ItemCode == "hr.startup-grant").State == ItemState.Returned);
        var grant = ByCode(returned)["hr.startup-grant"];
        Assert.Equal("PAYMENT_ACCOUNT_NOT_CARD", grant.Reasons.Single().Code);
        Assert.Equal("payment_account.account_number", grant.Reasons.Single().Field);
        Assert.Equal(Application.Types.State.ActionRequired, returned.State);

        // The rent subsidy's yearly cap is a catalog rule: told at once, nothing sent.
        var overCap = SampleApplications.Shaoguan(scenarios.ShaoguanReady, sandbox.Today);
        overCap.Fields["rent.amount"] = "4800.00";
        var capped = await RichErrors.FailureOf(() => sandbox.SubmitAsync(overCap));
        Assert.Equal("RENT_AMOUNT_OVER_CAP", Assert.Single(capped.Violations).Reason);
    }

    // Seed 001 (Baotou).
    [Fact]
    public async Task Baotou_AllFourItems_SucceedAndRefusalsComeBackFromTheDepartment()
    {
        await using var sandbox = await HubSandbox.StartAsync().Within();
        var scenarios = sandbox.Simulators.Population.Scenarios;

        var done = await sandbox.WaitForCompletionAsync((await sandbox.SubmitAsync(SampleApplications.Baotou(scenarios.BaotouReady, sandbox.Today))).Name);
        Assert.All(done.Items, i => Assert.Equal(ItemState.Succeeded, i.State));
        Assert.Equal("200000.00", ByCode(done)["hr.guaranteed-loan"].Result["approved_amount"]);

        var noCertificate = await sandbox.WaitForCompletionAsync((await sandbox.SubmitAsync(SampleApplications.Baotou(scenarios.BaotouNoCertificate, sandbox.Today))).Name);
        Assert.Equal("NO_EMPLOYMENT_CERTIFICATE", ByCode(noCertificate)["hr.guaranteed-loan"].Reasons.Single().Code);
        Assert.Equal(ItemState.Rejected, ByCode(noCertificate)["hr.guaranteed-loan"].State);

        var tooMuch = SampleApplications.Baotou(scenarios.BaotouReady, sandbox.Today);
        tooMuch.Fields["loan.amount"] = "350000.00";
        var returned = await sandbox.WaitUntilAsync((await sandbox.SubmitAsync(tooMuch)).Name,
            a => a.Items.Single(i => i.ItemCode == "hr.guaranteed-loan").State == ItemState.Returned);
        Assert.Equal("fields[loan.amount]", ByCode(returned)["hr.guaranteed-loan"].Reasons.Single().Field);
    }

    [Fact]
    public async Task Baotou_MaterialsOfEveryChosenItemToldAtOnce()
    {
        await using var sandbox = await HubSandbox.StartAsync().Within();

        var guide = await sandbox.Catalog.EvaluateGuideAsync(new EvaluateGuideRequest
        {
            Theme = SampleApplications.BaotouTheme,
            SelectedItems = { "hr.startup-training", "hr.guaranteed-loan", "hr.one-time-startup-subsidy", "hr.opening-guidance" },
        }, Bounded.Options).Within();

        Assert.Equal(["id-document", "bank-loan-documents", "startup-evidence"], guide.Materials.Select(m => m.Material.Code));
        Assert.Equal(4, guide.Materials[0].ForItems.Count);
        Assert.True(guide.Complete);
    }

    // Seed 002 (Jieyang).
    [Fact]
    public async Task Jieyang_AllEightItems_SucceedWithTheThemesStatusWordsAndDeadlines()
    {
        await using var sandbox = await HubSandbox.StartAsync().Within();
        var person = sandbox.Simulators.Population.Scenarios.JieyangUnemployed;

        var submitted = await sandbox.SubmitAsync(SampleApplications.Jieyang(person, sandbox.Today));
        Assert.All(submitted.Items, i => Assert.Equal("待办", i.StatusText));
        var done = await sandbox.WaitForCompletionAsync(submitted.Name);

        Assert.Equal(8, done.Items.Count);
        Assert.All(done.Items, i => Assert.Equal(ItemState.Succeeded, i.State));
        Assert.All(done.Items, i => Assert.Equal("已完结", i.StatusText));
        var items = ByCode(done);
        Assert.Empty(items["hr.career-guidance"].DueDate); // no limit in the seed
        Assert.NotEmpty(items["hr.employment-difficulty-recognition"].DueDate); // 21 working days
        Assert.True(string.CompareOrdinal(items["hr.unemployment-registration"].DueDate, items["hr.employment-difficulty-recognition"].DueDate) < 0);
        // 价格临时补贴 runs after 失业保险金 is granted.
        Assert.True(items["si.unemployment-benefit"].History.Last().Time.ToDateTimeOffset() <= items["si.price-subsidy"].History.Last().Time.ToDateTimeOffset());
    }

    [Fact]
    public async Task Jieyang_StillEmployedOrShortContribution_RefusedByTheDepartments()
    {
        await using var sandbox = await HubSandbox.StartAsync().Within();
        var scenarios = sandbox.Simulators.Population.Scenarios;

        var employed = ByCode(await sandbox.WaitForCompletionAsync((await sandbox.SubmitAsync(SampleApplications.Jieyang(scenarios.JieyangEmployed, sandbox.Today))).Name));
        Assert.Equal("STILL_EMPLOYED", employed["hr.unemployment-registration"].Reasons.Single().Code);
        Assert.Equal("STILL_EMPLOYED", employed["si.unemployment-benefit"].Reasons.Single().Code);
        Assert.Equal(ItemState.NotStarted, employed["si.price-subsidy"].State);
        Assert.Equal("已完结", employed["si.price-subsidy"].StatusText);

        var shortContribution = ByCode(await sandbox.WaitForCompletionAsync((await sandbox.SubmitAsync(SampleApplications.Jieyang(scenarios.JieyangShortContribution, sandbox.Today))).Name));
        Assert.Equal("INSUFFICIENT_CONTRIBUTION", shortContribution["si.unemployment-benefit"].Reasons.Single().Code);
        Assert.Equal(ItemState.Succeeded, shortContribution["hr.unemployment-registration"].State);
    }

    // Seed 003 (Jiangsu).
    [Fact]
    public async Task Jiangsu_OutsideTheWindow_FailedPreconditionWithTheNextWindowsDates()
    {
        await using var sandbox = await HubSandbox.StartAsync(time: new ShiftedTimeProvider(new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.FromHours(8)))).Within();
        var application = SampleApplications.Jiangsu(sandbox.Simulators.Population.Scenarios.JiangsuStudent, 2027, sandbox.Today);

        var closed = await RichErrors.FailureOf(() => sandbox.SubmitAsync(application));

        Assert.Equal(StatusCode.FailedPrecondition, closed.Code);
        Assert.Equal("OUTSIDE_APPLICATION_WINDOW", closed.Info.Reason);
        Assert.Equal("2027-05-01", closed.Info.Metadata["next_window_start"]);
        Assert.Equal("2027-05-31", closed.Info.Metadata["next_window_end"]);
        Assert.Equal("补发申报期", closed.Info.Metadata["next_window_label"]);
        Assert.Empty(sandbox.Simulators.HumanResources.Received);
    }

    [Fact]
    public async Task Jiangsu_InsideTheWindow_SchoolReviewThenHrReviewsAppearInTheItemsHistory()
    {
        // Each review stage lasts 1 s, well above the 200 ms reconciliation polls, so every stage is seen.
        await using var sandbox = await HubSandbox.StartAsync(
            completionDelay: TimeSpan.FromSeconds(1),
            time: new ShiftedTimeProvider(new DateTimeOffset(2026, 9, 10, 10, 0, 0, TimeSpan.FromHours(8)))).Within();
        var application = SampleApplications.Jiangsu(sandbox.Simulators.Population.Scenarios.JiangsuStudent, 2027, sandbox.Today);

        var done = await sandbox.WaitForCompletionAsync((await sandbox.SubmitAsync(application)).Name);

        var item = done.Items.Single();
        Assert.Equal(ItemState.Succeeded, item.State);
        Assert.Equal("审核通过", item.StatusText);
        Assert.Equal("1500.00", item.Result["amount"]);
        var history = string.Join(" | ", item.History.Select(h => h.Description));
        var school = history.IndexOf("学校审核", StringComparison.Ordinal);
        var first = history.IndexOf("人社初审", StringComparison.Ordinal);
        var second = history.IndexOf("人社复审", StringComparison.Ordinal);
        Assert.True(school >= 0 && first > school && second > first, history);
    }

    [Fact]
    public async Task Jiangsu_StudentWithoutJiangsuCard_RefusedAtOnceByTheGuideAndByHrIfHidden()
    {
        await using var sandbox = await HubSandbox.StartAsync(time: new ShiftedTimeProvider(new DateTimeOffset(2026, 9, 10, 10, 0, 0, TimeSpan.FromHours(8)))).Within();
        var application = SampleApplications.Jiangsu(sandbox.Simulators.Population.Scenarios.JiangsuStudentNoCard, 2027, sandbox.Today);

        var refused = await RichErrors.FailureOf(() => sandbox.SubmitAsync(application));
        Assert.Contains(refused.Violations, v => v.Reason == "ITEM_NOT_APPLICABLE" && v.Description.Contains("社会保障卡", StringComparison.Ordinal));

        application.GuideAnswers["has_jiangsu_card"] = "yes";
        var done = await sandbox.WaitForCompletionAsync((await sandbox.SubmitAsync(application)).Name);
        Assert.Equal("NO_JIANGSU_CARD", done.Items.Single().Reasons.Single().Code);
    }
}
