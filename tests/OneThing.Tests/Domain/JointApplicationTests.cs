using OneThing.Hub.Catalog;
using OneThing.Hub.Domain.Applications;
using OneThing.Hub.Domain.Catalog;

namespace OneThing.Tests.Domain;

/// <summary>The application aggregate: dispatch order, prerequisites, derived state. No I/O.</summary>
public sealed class JointApplicationTests
{
    private static readonly CatalogSnapshot Catalog = CatalogFiles.Load(Path.Combine(AppContext.BaseDirectory, "catalog"));
    private static readonly ThemeDefinition Luoyang = Catalog.Latest("luoyang.personal-startup")!;
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 9, 0, 0, TimeSpan.FromHours(8));
    private static readonly string[] AllItems = Luoyang.Items.Select(i => i.Code).ToArray();

    private static JointApplication Submitted(out IReadOnlyList<ApplicationItem> ready, params string[] items)
    {
        var content = new ApplicationContent(
            new ApplicantInfo("张三", Sex.Male, "汉族", IdDocumentKind.ResidentId, "11010519491231002X", "13800000000", null),
            items.Length == 0 ? AllItems : items,
            new Dictionary<string, string>(),
            null,
            null,
            null);
        var application = JointApplication.CreateDraft("a1", null, Luoyang, content, Now);
        var n = 0;
        ready = application.Submit(Luoyang, "r1", Catalog.Calendar, () => $"s{n++}", Now);
        return application;
    }

    [Fact]
    public void Submit_AllItems_OnlyItemsWithoutPrerequisitesAreReadyAndDeadlinesCountWorkingDays()
    {
        var application = Submitted(out var ready);

        Assert.Equal(["market.licence-verification", "si.flexible-pension-registration", "sscard.card-application"], ready.Select(i => i.ItemCode).Order());
        Assert.Equal(ApplicationState.InProgress, application.State);
        Assert.Equal(new DateOnly(2026, 12, 7), application.DueDate); // 10 working days from Monday 2026-11-23
        Assert.Equal(new DateOnly(2026, 11, 23), application.Item("tax.taxpayer-confirmation").DueDate); // 即时办结
        Assert.All(application.Items, i => Assert.Equal(ItemState.Pending, i.State));
        Assert.Equal(application.Items.Count, application.Items.Select(i => i.SubmissionId).Distinct().Count());
    }

    [Fact]
    public void RecordDecision_LicenceVerified_DependantsBecomeReady()
    {
        var application = Submitted(out _);

        var ready = application.RecordDecision("market.licence-verification",
            new ItemDecision.Completed("V1", new Dictionary<string, string> { ["registration_date"] = "2022-01-01" }, null), Now);

        Assert.Equal(["hr.employment-certificate", "hr.startup-subsidy", "tax.taxpayer-confirmation"], ready.Select(i => i.ItemCode).Order());
        Assert.Equal("V1", application.Item("market.licence-verification").CaseNumber);
    }

    [Fact]
    public void RecordDecision_LicenceRejected_DependantsNotStartedWithReasonAndOthersUntouched()
    {
        var application = Submitted(out _);

        var ready = application.RecordDecision("market.licence-verification",
            new ItemDecision.Rejected(null, [new ItemReason("LICENCE_NOT_FOUND", "未查询到营业执照")]), Now);

        Assert.Empty(ready);
        foreach (var code in new[] { "tax.taxpayer-confirmation", "hr.employment-certificate", "hr.startup-subsidy" })
        {
            var item = application.Item(code);
            Assert.Equal(ItemState.NotStarted, item.State);
            Assert.Contains("未查询到营业执照", item.Reasons.Single().Message, StringComparison.Ordinal);
        }

        Assert.Equal(ItemState.Pending, application.Item("si.flexible-pension-registration").State);
        Assert.Equal(ApplicationState.InProgress, application.State);
    }

    [Fact]
    public void RecordDecision_EveryItemFinal_ApplicationCompleted_ReturnedItemNeedsTheApplicant()
    {
        var application = Submitted(out _, "si.flexible-pension-registration", "sscard.card-application");

        application.RecordDecision("si.flexible-pension-registration", new ItemDecision.Accepted("B1"), Now);
        Assert.Equal(ItemState.InProgress, application.Item("si.flexible-pension-registration").State);
        application.RecordDecision("sscard.card-application", new ItemDecision.Returned(null, [new ItemReason("PHOTO_RECEIPT_INVALID", "相片回执号有误", "card.photo_receipt_no")]), Now);
        Assert.Equal(ApplicationState.ActionRequired, application.State);

        var fresh = Submitted(out _, "si.flexible-pension-registration", "sscard.card-application");
        fresh.RecordDecision("si.flexible-pension-registration", new ItemDecision.Completed("B1", new Dictionary<string, string>(), null), Now);
        fresh.RecordDecision("sscard.card-application", new ItemDecision.Rejected(null, [new ItemReason("CARD_ALREADY_HELD", "已持卡")]), Now);
        Assert.Equal(ApplicationState.Completed, fresh.State);
    }

    [Fact]
    public void RecordDecision_AfterFinal_IllegalTransitionThrows()
    {
        var application = Submitted(out _, "si.flexible-pension-registration");
        application.RecordDecision("si.flexible-pension-registration", new ItemDecision.Completed("B1", new Dictionary<string, string>(), null), Now);

        Assert.Throws<InvalidItemTransitionException>(() =>
            application.RecordDecision("si.flexible-pension-registration", new ItemDecision.Rejected("B1", []), Now));
    }

    [Fact]
    public void ItemStateMachine_TableAllowsOnlyForwardMoves()
    {
        Assert.Equal(ItemState.InProgress, ItemStateMachine.Next(ItemState.Pending, ItemTrigger.Accept));
        Assert.Equal(ItemState.Deferred, ItemStateMachine.Next(ItemState.InProgress, ItemTrigger.Defer));
        Assert.Null(ItemStateMachine.Next(ItemState.InProgress, ItemTrigger.SkipForPrerequisite));
        Assert.Null(ItemStateMachine.Next(ItemState.Succeeded, ItemTrigger.Complete));
        Assert.Null(ItemStateMachine.Next(ItemState.NotStarted, ItemTrigger.Accept));
    }

    [Fact]
    public void CancelItem_Licence_CancelledDependantsNotStartedAndFinalItemsRefuse()
    {
        var application = Submitted(out _);
        application.RecordDecision("si.flexible-pension-registration", new ItemDecision.Completed("B1", new Dictionary<string, string>(), null), Now);

        application.CancelItem("market.licence-verification", new ItemReason("OPERATOR_CANCELLED", "申请人撤回"), Now);

        var licence = application.Item("market.licence-verification");
        Assert.Equal(ItemState.Cancelled, licence.State);
        Assert.True(licence.State.IsFinal());
        Assert.Equal("OPERATOR_CANCELLED", licence.Reasons.Single().Code);
        foreach (var code in new[] { "tax.taxpayer-confirmation", "hr.employment-certificate", "hr.startup-subsidy" })
        {
            Assert.Equal(ItemState.NotStarted, application.Item(code).State);
            Assert.Contains("申请人撤回", application.Item(code).Reasons.Single().Message, StringComparison.Ordinal);
        }

        Assert.Throws<InvalidItemTransitionException>(() => application.CancelItem("si.flexible-pension-registration", new ItemReason("OPERATOR_CANCELLED", "x"), Now));
        Assert.Throws<InvalidItemTransitionException>(() => application.RecordDecision("market.licence-verification", new ItemDecision.Accepted("C1"), Now));
        Assert.Equal(ItemState.Cancelled, ItemStateMachine.Next(ItemState.Returned, ItemTrigger.Cancel));
        Assert.Null(ItemStateMachine.Next(ItemState.Cancelled, ItemTrigger.Complete));
    }

    [Fact]
    public void UpdateDraft_AfterSubmit_Throws()
    {
        var application = Submitted(out _);
        Assert.Throws<ApplicationNotDraftException>(() => application.UpdateDraft(application.Content, Now));
    }

    [Fact]
    public void ResubmitItem_ReturnedLicence_NewSubmissionAloneThenDependantsFollowItsSuccess()
    {
        var application = Submitted(out _);
        var licence = application.Item("market.licence-verification");
        var firstKey = licence.SubmissionId;
        application.RecordDecision(licence.ItemCode, new ItemDecision.Returned(null, [new ItemReason("LICENCE_NAME_MISMATCH", "名称不一致", "fields[licence.name]")]), Now);
        Assert.Equal(ApplicationState.ActionRequired, application.State);
        Assert.All(application.Items.Where(i => i.Prerequisites.Contains(licence.ItemCode)), i => Assert.Equal(ItemState.Pending, i.State));
        var correctable = JointApplication.CorrectablePaths(Luoyang, licence);
        Assert.Contains("fields[licence.name]", correctable);
        Assert.Contains("fields[licence.uscc]", correctable);
        Assert.DoesNotContain("fields[pension.contribution_base]", correctable);
        var others = application.Items.Where(i => i.ItemCode != licence.ItemCode).ToDictionary(i => i.ItemCode, i => (i.SubmissionId, i.History.Count));

        var corrected = application.Content with { Fields = new Dictionary<string, string> { ["licence.name"] = "洛阳市老城区张三小吃店" } };
        var readyNow = application.ResubmitItem(licence.ItemCode, corrected, "s-new", "fix-1", Now.AddHours(1));

        Assert.True(readyNow);
        Assert.Equal(ItemState.Pending, licence.State);
        Assert.Equal("s-new", licence.SubmissionId);
        Assert.NotEqual(firstKey, licence.SubmissionId);
        Assert.Empty(licence.Reasons);
        Assert.Equal(1, licence.Corrections);
        Assert.True(licence.HasCorrection("fix-1"));
        Assert.Equal(ApplicationState.InProgress, application.State);
        Assert.Equal("洛阳市老城区张三小吃店", application.Content.Fields["licence.name"]);
        Assert.All(application.Items.Where(i => i.ItemCode != licence.ItemCode), i => Assert.Equal(others[i.ItemCode], (i.SubmissionId, i.History.Count)));

        // A second correction round is allowed only after another return.
        Assert.Throws<InvalidItemTransitionException>(() => application.ResubmitItem(licence.ItemCode, corrected, "s-3", "fix-2", Now));
        var ready = application.RecordDecision(licence.ItemCode, new ItemDecision.Completed("V2", new Dictionary<string, string>(), null), Now.AddHours(2));
        Assert.Equal(["hr.employment-certificate", "hr.startup-subsidy", "tax.taxpayer-confirmation"], ready.Select(i => i.ItemCode).Order());
    }
}
