using System.Net.Http.Json;
using OneThing.Hub.V1;
using OneThing.Sandbox;
using OneThing.Tests.Support;
using OpenQA.Selenium;
using ItemState = OneThing.Hub.V1.ApplicationItem.Types.State;

namespace OneThing.Tests.Browser;

/// <summary>The web console in a real (headless) browser: a clerk files and follows an application; an operator retries.</summary>
public sealed class WebConsoleTests
{
    private const string Luoyang = "themes/luoyang.personal-startup";
    private const string Pension = "si.flexible-pension-registration";

    // Generous: the machine is small and shared, and the browser, the hub and five simulators share it.
    private static readonly TimeSpan PageBound = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan FlowBound = TimeSpan.FromSeconds(180);

    [Fact]
    public async Task Clerk_FilesLuoyangApplicationThroughPages_SeesEveryItemComplete()
    {
        await using var sandbox = await ConsoleSandbox.StartAsync(completionDelay: TimeSpan.FromSeconds(1)).Within();
        var person = sandbox.Hub.Simulators.Population.Scenarios.Ready;
        var browser = sandbox.Browser;

        StartFiling(sandbox, person.Name, person.IdNumber, person.Mobile);
        Assert.All(SampleApplications.LuoyangItems, code => Assert.True(browser.FindElement(By.Id("item-" + Dom(code))).Selected, $"{code} is not chosen"));
        browser.Type("clerk-id", "clerk-007");
        browser.Type("clerk-note", "申请人现场书面授权，已核验身份证原件");
        browser.Type("applicant-ethnicity", person.Ethnicity);
        browser.Type("applicant-residence-division-code", person.ResidenceDivisionCode);
        browser.Type("applicant-residence-detail", person.ResidenceAddress);
        browser.Type("fields-licence-name", person.LicenceName);
        browser.Type("fields-licence-uscc", person.LicenceUscc);
        browser.Choose("fields-subsidy-category", person.SubsidyCategory ?? "recent-graduate");
        browser.Type("fields-pension-contribution-base", "4500.00");
        browser.Type("fields-card-photo-receipt-no", person.PhotoReceiptNo);
        browser.Choose("fields-card-pickup", "post");
        browser.Type("payment-account-bank-name", person.BankName);
        browser.Type("payment-account-account-number", person.AccountNumber);
        browser.FindElement(By.Id("delivery-method-mail")).Click();
        browser.Type("delivery-address-division-code", person.ResidenceDivisionCode);
        browser.Type("delivery-address-detail", person.ResidenceAddress);
        browser.FindElement(By.Id("pledge-accepted")).Click();
        browser.Snapshot("clerk-form-filled");
        browser.FindElement(By.Id("submit-button")).Click();

        var name = browser.Until(d => d.Url.Contains("/applications/", StringComparison.Ordinal) ? d.FindElement(By.Id("application-name")).Text : null, PageBound, "the application page after submitting");
        // A marker on the page survives only if the page refreshes its progress in place instead of reloading.
        ((IJavaScriptExecutor)browser).ExecuteScript("window.onethingMarker = 'kept';");
        browser.Snapshot("clerk-progress");
        browser.Until(d => d.FindElement(By.Id("progress")).GetAttribute("data-settled") == "true", FlowBound, "every item to have a result");
        browser.Snapshot("clerk-settled");

        foreach (var code in SampleApplications.LuoyangItems)
        {
            var row = browser.FindElement(By.Id("item-" + Dom(code)));
            Assert.Equal("SUCCEEDED", row.GetAttribute("data-state"));
            Assert.NotEmpty(browser.FindElement(By.Id($"item-{Dom(code)}-case")).Text);
            Assert.NotEmpty(browser.FindElement(By.Id($"item-{Dom(code)}-department")).Text);
        }

        Assert.Contains(person.LicenceUscc, browser.FindElement(By.Id("item-market-licence-verification-result")).Text, StringComparison.Ordinal);
        Assert.Equal("COMPLETED", browser.FindElement(By.Id("application-state")).GetAttribute("data-state"));
        Assert.Equal("kept", ((IJavaScriptExecutor)browser).ExecuteScript("return window.onethingMarker;"));
        var stored = await sandbox.Hub.Applications.GetApplicationAsync(new GetApplicationRequest { Name = name }, Bounded.Options).Within();
        Assert.Equal((person.IdNumber, Luoyang), (stored.Applicant.IdDocument.Number, stored.Theme));
        Assert.All(stored.Items, i => Assert.Equal(ItemState.Succeeded, i.State));
    }

    [Fact]
    public async Task Clerk_SubmitsIncompleteForm_SeesEveryErrorBesideItsFieldAndNothingIsFiled()
    {
        await using var sandbox = await ConsoleSandbox.StartAsync().Within();
        var person = sandbox.Hub.Simulators.Population.Scenarios.Ready;
        var browser = sandbox.Browser;

        StartFiling(sandbox, person.Name, person.IdNumber, person.Mobile);
        // A USCC with a wrong check character, and nothing else of the form filled in.
        browser.Type("fields-licence-uscc", person.LicenceUscc[..17] + (person.LicenceUscc[17] == '0' ? '1' : '0'));
        browser.FindElement(By.Id("submit-button")).Click();
        browser.Until(d => d.FindElement(By.Id("error-summary")), PageBound, "the error summary");
        browser.Snapshot("clerk-errors");

        var expected = new Dictionary<string, string>
        {
            ["clerk-id"] = "CLERK_REQUIRED",
            ["clerk-note"] = "AUTHORISATION_REQUIRED",
            ["applicant-residence"] = "REQUIRED",
            ["fields-licence-name"] = "REQUIRED",
            ["fields-licence-uscc"] = "INVALID_USCC",
            ["fields-subsidy-category"] = "REQUIRED",
            ["fields-pension-contribution-base"] = "REQUIRED",
            ["fields-card-photo-receipt-no"] = "REQUIRED",
            ["fields-card-pickup"] = "REQUIRED",
            ["payment-account"] = "REQUIRED",
            ["delivery-method"] = "REQUIRED",
            ["pledge-accepted"] = "PLEDGE_NOT_ACCEPTED",
        };
        foreach (var (id, reason) in expected)
        {
            var errors = browser.FindElement(By.Id(id + "-error"));
            Assert.Contains(errors.FindElements(By.CssSelector(".error")), e => e.GetAttribute("data-reason") == reason);
            Assert.All(errors.FindElements(By.CssSelector(".error")), e => Assert.NotEmpty(e.Text));
        }

        // Beside their inputs: each input says it is invalid and points at its own errors.
        foreach (var id in new[] { "clerk-id", "clerk-note", "fields-licence-name", "fields-licence-uscc", "fields-subsidy-category", "fields-card-pickup" })
        {
            var input = browser.FindElement(By.Id(id));
            Assert.Equal("true", input.GetAttribute("aria-invalid"));
            Assert.Contains(id + "-error", input.GetAttribute("aria-describedby") ?? string.Empty, StringComparison.Ordinal);
        }

        var summary = browser.FindElements(By.CssSelector("#error-summary li"));
        Assert.Equal(summary.Count, browser.FindElements(By.CssSelector(".field-errors .error")).Count);
        Assert.True(summary.Count >= expected.Count);
        // What was typed stays; nothing reached the hub's store.
        Assert.Equal(person.IdNumber, browser.FindElement(By.Id("applicant-id-document-number")).GetAttribute("value"));
        var stored = await sandbox.Hub.Applications.ListApplicationsAsync(new ListApplicationsRequest(), Bounded.Options).Within();
        Assert.Empty(stored.Applications);
    }

    [Fact]
    public async Task Operator_RetriesItemExhaustedDuringOutage_ItemCompletes()
    {
        await using var sandbox = await ConsoleSandbox.StartAsync(new() { ["Dispatch:MaxAttempts"] = "2" }).Within();
        using var control = new HttpClient { BaseAddress = sandbox.Hub.Simulators.ControlUri, Timeout = Bounded.Default };
        (await control.PutAsJsonAsync("departments/social-insurance/faults", new { outage = true }, TestContext.Current.CancellationToken).Within()).EnsureSuccessStatusCode();
        var submitted = await sandbox.Hub.SubmitAsync(SampleApplications.Luoyang(sandbox.Hub.Simulators.Population.Scenarios.Ready, sandbox.Hub.Today));
        var item = $"{submitted.Name}/items/{Pension}";
        var row = "work-" + Dom(item);
        var browser = sandbox.Browser;

        // The operator refreshes the exhausted work until the item shows up.
        sandbox.Open("/operator?kind=exhausted");
        browser.Until(d =>
        {
            if (d.FindElements(By.Id(row)).Count > 0)
            {
                return true;
            }

            d.FindElement(By.Id("filter-button")).Click();
            return false;
        }, FlowBound, $"{item} listed as exhausted");
        browser.Snapshot("operator-exhausted");
        Assert.Equal("true", browser.FindElement(By.Id(row)).GetAttribute("data-exhausted"));
        Assert.Contains("社会保险经办机构", browser.FindElement(By.Id(row)).Text, StringComparison.Ordinal);

        (await control.DeleteAsync("departments/social-insurance/faults", TestContext.Current.CancellationToken).Within()).EnsureSuccessStatusCode();
        browser.Type("operator-id", "op-browser");
        browser.Type("reason-" + Dom(item), "社保系统已恢复");
        browser.FindElement(By.Id("retry-" + Dom(item))).Click();

        var notice = browser.Until(d => d.FindElement(By.Id("action-notice")), PageBound, "the outcome of the retry");
        browser.Snapshot("operator-retried");
        Assert.Equal("OK", notice.GetAttribute("data-outcome"));
        var logged = browser.FindElements(By.CssSelector("#action-log tbody tr")).Single(r => r.GetAttribute("data-target") == item);
        Assert.Equal("OK", logged.GetAttribute("data-outcome"));
        Assert.Contains("op-browser", logged.Text, StringComparison.Ordinal);
        Assert.Contains("社保系统已恢复", logged.Text, StringComparison.Ordinal);

        sandbox.Open("/" + submitted.Name);
        browser.Until(d => d.FindElement(By.Id("progress")).GetAttribute("data-settled") == "true", FlowBound, "the retried item to finish");
        Assert.Equal("SUCCEEDED", browser.FindElement(By.Id("item-" + Dom(Pension))).GetAttribute("data-state"));
        Assert.Equal(1, sandbox.Hub.Simulators.SocialInsurance.CaseCount);
        Assert.Equal((0, 0), (sandbox.Hub.Simulators.SocialInsurance.ReplayCount, sandbox.Hub.Simulators.SocialInsurance.DuplicateCount));
    }

    /// <summary>Finds the applicant at the clerk's start page, chooses Luoyang and opens its form.</summary>
    private static void StartFiling(ConsoleSandbox sandbox, string name, string idNumber, string mobile)
    {
        sandbox.Open("/clerk");
        var browser = sandbox.Browser;
        browser.Until(d => d.FindElement(By.Id("start-form")), PageBound, "the clerk's start page");
        browser.Type("applicant-name", name);
        browser.Type("applicant-id-document-number", idNumber);
        browser.Type("applicant-mobile", mobile);
        browser.Choose("theme", Luoyang);
        browser.FindElement(By.Id("start-button")).Click();
        browser.Until(d => d.FindElement(By.Id("application-form")), PageBound, "the application form");
        Assert.Contains("个人创业一件事", browser.FindElement(By.Id("theme-title")).Text, StringComparison.Ordinal);
        Assert.NotEmpty(browser.FindElement(By.Id("identity-summary")).Text);
    }

    private static string Dom(string path) => OneThing.WebConsole.Internal.DomIds.For(path);
}
