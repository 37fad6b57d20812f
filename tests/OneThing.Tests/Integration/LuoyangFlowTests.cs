using OneThing.Hub.V1;
using OneThing.Sandbox;
using OneThing.Tests.Support;
using ItemState = OneThing.Hub.V1.ApplicationItem.Types.State;

namespace OneThing.Tests.Integration;

/// <summary>The Luoyang 个人创业一件事 flow through real gRPC, the hub on SQLite and the five simulators.</summary>
public sealed class LuoyangFlowTests
{
    private static DateOnly Today => DateOnly.FromDateTime(DateTime.Now);

    [Fact]
    public async Task Submit_EligiblePerson_EveryItemSucceedsWithCaseNumbersAndResults()
    {
        await using var sandbox = await HubSandbox.StartAsync().Within();
        var person = sandbox.Simulators.Population.Scenarios.Ready;

        var submitted = await sandbox.SubmitAsync(SampleApplications.Luoyang(person, Today));
        Assert.Equal(Application.Types.State.InProgress, submitted.State);
        Assert.Equal(6, submitted.Items.Count);
        Assert.Equal("market.licence-verification", submitted.Items[0].ItemCode);

        var done = await sandbox.WaitForCompletionAsync(submitted.Name);

        Assert.All(done.Items, item =>
        {
            Assert.Equal(ItemState.Succeeded, item.State);
            Assert.False(string.IsNullOrEmpty(item.CaseNumber), $"{item.ItemCode} has no case number");
            Assert.Equal("已完结", item.StatusText);
        });
        var items = done.Items.ToDictionary(i => i.ItemCode);
        Assert.Equal(person.LicenceUscc, items["market.licence-verification"].Result["uscc"]);
        Assert.False(string.IsNullOrEmpty(items["hr.employment-certificate"].Result["certificate_number"]));
        Assert.Equal(person.LicenceUscc, items["tax.taxpayer-confirmation"].Result["taxpayer_id"]);
        Assert.Equal("5000.00", items["hr.startup-subsidy"].Result["amount"]);
        Assert.Equal("900.00", items["si.flexible-pension-registration"].Result["monthly_contribution"]); // 4500 × 20%
        Assert.Equal("360.00", items["si.flexible-pension-registration"].Result["personal_account_part"]); // 4500 × 8%
        Assert.False(string.IsNullOrEmpty(items["sscard.card-application"].Result["card_number"]));

        // The licence was verified before anything that depends on it was sent.
        var verifiedAt = items["market.licence-verification"].History.Last().Time.ToDateTimeOffset();
        var taxSentAt = items["tax.taxpayer-confirmation"].History.Last().Time.ToDateTimeOffset();
        Assert.True(verifiedAt <= taxSentAt);

        // Each department received each item once, and the accepted items were followed up by polling.
        Assert.Equal(1, sandbox.Simulators.MarketRegulation.CaseCount);
        Assert.Equal(1, sandbox.Simulators.Tax.CaseCount);
        Assert.Equal(2, sandbox.Simulators.HumanResources.CaseCount);
        Assert.Equal(1, sandbox.Simulators.SocialInsurance.CaseCount);
        Assert.Equal(1, sandbox.Simulators.SocialSecurityCard.CaseCount);
        Assert.All(sandbox.Simulators.All, d => Assert.Equal((0, 0), (d.ReplayCount, d.DuplicateCount)));
        Assert.False(string.IsNullOrEmpty(done.DueDate));
    }

    [Fact]
    public async Task Submit_NoLicenceRecord_LicenceRejectedAndDependantsNotStarted()
    {
        await using var sandbox = await HubSandbox.StartAsync().Within();
        var person = sandbox.Simulators.Population.Scenarios.NoLicence;

        var submitted = await sandbox.SubmitAsync(SampleApplications.Luoyang(person, Today));
        var done = await sandbox.WaitForCompletionAsync(submitted.Name);

        var items = done.Items.ToDictionary(i => i.ItemCode);
        var licence = items["market.licence-verification"];
        Assert.Equal(ItemState.Rejected, licence.State);
        Assert.Equal("LICENCE_NOT_FOUND", Assert.Single(licence.Reasons).Code);
        foreach (var dependant in new[] { "tax.taxpayer-confirmation", "hr.employment-certificate", "hr.startup-subsidy" })
        {
            Assert.Equal(ItemState.NotStarted, items[dependant].State);
            var reason = Assert.Single(items[dependant].Reasons);
            Assert.Equal("PREREQUISITE_FAILED", reason.Code);
            Assert.Contains("经营主体营业执照信息核验", reason.Message, StringComparison.Ordinal);
        }

        // The items that do not need the licence still complete.
        Assert.Equal(ItemState.Succeeded, items["si.flexible-pension-registration"].State);
        Assert.Equal(ItemState.Succeeded, items["sscard.card-application"].State);

        // Nothing that depended on the licence reached its department.
        Assert.Empty(sandbox.Simulators.Tax.Received);
        Assert.Empty(sandbox.Simulators.HumanResources.Received);
    }

    [Fact]
    public async Task Submit_LicenceRegisteredUnderOneYear_SubsidyDeferredWithReminderOthersSucceed()
    {
        await using var sandbox = await HubSandbox.StartAsync().Within();
        var person = sandbox.Simulators.Population.Scenarios.RecentLicence;

        var submitted = await sandbox.SubmitAsync(SampleApplications.Luoyang(person, Today));
        var done = await sandbox.WaitForCompletionAsync(submitted.Name);

        var items = done.Items.ToDictionary(i => i.ItemCode);
        var subsidy = items["hr.startup-subsidy"];
        Assert.Equal(ItemState.Deferred, subsidy.State);
        Assert.Equal("BUSINESS_UNDER_ONE_YEAR", Assert.Single(subsidy.Reasons).Code);
        Assert.Equal(person.Licence!.RegistrationDate.AddYears(1).ToString("yyyy-MM-dd"), subsidy.EligibleDate);
        Assert.Contains("提醒", subsidy.History.Last().Description, StringComparison.Ordinal);
        Assert.All(done.Items.Where(i => i.ItemCode != "hr.startup-subsidy"), i => Assert.Equal(ItemState.Succeeded, i.State));
    }

    [Fact]
    public async Task Submit_PersonAlreadyHoldingCard_CardRejectedOthersSucceed()
    {
        await using var sandbox = await HubSandbox.StartAsync().Within();
        var person = sandbox.Simulators.Population.Scenarios.ExistingCard;

        var done = await sandbox.WaitForCompletionAsync((await sandbox.SubmitAsync(SampleApplications.Luoyang(person, Today))).Name);

        var card = done.Items.Single(i => i.ItemCode == "sscard.card-application");
        Assert.Equal(ItemState.Rejected, card.State);
        Assert.Equal("CARD_ALREADY_HELD", Assert.Single(card.Reasons).Code);
        Assert.All(done.Items.Where(i => i != card), i => Assert.Equal(ItemState.Succeeded, i.State));
    }

    [Fact]
    public async Task Submit_SameRequestIdTwice_SameApplicationAndEveryDepartmentReceivesEachItemOnce()
    {
        await using var sandbox = await HubSandbox.StartAsync().Within();
        var application = SampleApplications.Luoyang(sandbox.Simulators.Population.Scenarios.Ready, Today);
        var requestId = Guid.NewGuid().ToString();

        // Twice at once, then once more after the first answer: one application, one dispatch.
        var concurrent = await Task.WhenAll(sandbox.SubmitAsync(application, requestId), sandbox.SubmitAsync(application, requestId)).Within();
        var again = await sandbox.SubmitAsync(application, requestId);
        Assert.Equal(concurrent[0].Name, concurrent[1].Name);
        Assert.Equal(concurrent[0].Name, again.Name);

        var done = await sandbox.WaitForCompletionAsync(again.Name);
        var list = await sandbox.Applications.ListApplicationsAsync(new ListApplicationsRequest(), Bounded.Options).Within();
        Assert.Single(list.Applications);

        Assert.All(done.Items, i => Assert.Equal(ItemState.Succeeded, i.State));
        Assert.All(sandbox.Simulators.All, d => Assert.Equal((0, 0), (d.ReplayCount, d.DuplicateCount)));
        Assert.Equal(1, sandbox.Simulators.MarketRegulation.CaseCount);
        Assert.Equal(1, sandbox.Simulators.Tax.CaseCount);
        Assert.Equal(2, sandbox.Simulators.HumanResources.CaseCount);
        Assert.Equal(1, sandbox.Simulators.SocialInsurance.CaseCount);
        Assert.Equal(1, sandbox.Simulators.SocialSecurityCard.CaseCount);
    }
}
