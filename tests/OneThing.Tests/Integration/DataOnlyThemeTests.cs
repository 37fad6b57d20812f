using OneThing.Hub.V1;
using OneThing.Tests.Support;
using ItemState = OneThing.Hub.V1.ApplicationItem.Types.State;

namespace OneThing.Tests.Integration;

/// <summary>A new region's theme needs a catalog file, not code.</summary>
public sealed class DataOnlyThemeTests
{
    private const string ThemeJson = """
        {
          "code": "test.licensed-taxpayer",
          "version": 1,
          "title": "测试：开业核验一件事",
          "region": { "code": "990000", "name": "测试地区" },
          "source": "defined only in this test's data file",
          "timeLimitWorkingDays": 3,
          "statusTexts": { "Succeeded": "办好了" },
          "questions": [
            { "code": "licensed", "text": "是否已领取营业执照？", "options": [ { "value": "yes", "label": "是" }, { "value": "no", "label": "否" } ] }
          ],
          "materials": [ { "code": "id", "title": "身份证", "sharedData": true } ],
          "items": [
            { "code": "market.licence-verification", "title": "执照核验", "department": "market-regulation", "departmentTitle": "市场监管", "prerequisites": [], "timeLimitWorkingDays": 0, "completesImmediately": true, "materials": [ "id" ],
              "eligibility": [ { "question": "licensed", "allowedValues": [ "yes" ], "reasonCode": "NOT_LICENSED", "reasonMessage": "未领取营业执照" } ] },
            { "code": "tax.taxpayer-confirmation", "title": "税务确认", "department": "tax", "departmentTitle": "税务", "prerequisites": [ "market.licence-verification" ], "timeLimitWorkingDays": 2, "completesImmediately": false, "materials": [ "id" ] }
          ],
          "fields": [
            { "key": "licence.name", "label": "执照名称", "kind": "Text", "requiredForItems": [ "market.licence-verification" ], "maxLength": 100 },
            { "key": "licence.uscc", "label": "统一社会信用代码", "kind": "Uscc", "requiredForItems": [ "market.licence-verification" ], "maxLength": 18 }
          ]
        }
        """;

    [Fact]
    public async Task Submit_ThemeFromATestDataFile_RunsEndToEndWithItsOwnRules()
    {
        var catalog = Path.Combine(Path.GetTempPath(), "onething-test-catalog", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(catalog, "themes"));
        Directory.CreateDirectory(Path.Combine(catalog, "calendar"));
        foreach (var file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "catalog", "calendar")))
        {
            File.Copy(file, Path.Combine(catalog, "calendar", Path.GetFileName(file)));
        }

        if (Directory.Exists(Path.Combine(AppContext.BaseDirectory, "catalog", "divisions")))
        {
            Directory.CreateDirectory(Path.Combine(catalog, "divisions"));
            foreach (var file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "catalog", "divisions")))
            {
                File.Copy(file, Path.Combine(catalog, "divisions", Path.GetFileName(file)));
            }
        }

        await File.WriteAllTextAsync(Path.Combine(catalog, "themes", "test.json"), ThemeJson, TestContext.Current.CancellationToken).Within();
        await using var sandbox = await HubSandbox.StartAsync(new() { ["Catalog:Directory"] = catalog }).Within();
        var person = sandbox.Simulators.Population.Scenarios.Ready;

        var themes = await sandbox.Catalog.ListThemesAsync(new ListThemesRequest(), Bounded.Options).Within();
        Assert.Equal("themes/test.licensed-taxpayer", Assert.Single(themes.Themes).Name);

        var application = new Application
        {
            Theme = "themes/test.licensed-taxpayer",
            Applicant = new Applicant
            {
                Name = person.Name,
                Sex = person.Sex == "1" ? Sex.Male : Sex.Female,
                IdDocument = new IdDocument { Type = IdDocumentType.ResidentId, Number = person.IdNumber },
                Mobile = person.Mobile,
            },
            SelectedItems = { "market.licence-verification", "tax.taxpayer-confirmation" },
            Fields = { ["licence.name"] = person.LicenceName, ["licence.uscc"] = person.LicenceUscc },
        };

        // Its own guided question decides, from data alone.
        application.GuideAnswers["licensed"] = "no";
        var refused = await RichErrors.FailureOf(() => sandbox.SubmitAsync(application));
        Assert.Contains(refused.Violations, v => v.Reason == "ITEM_NOT_APPLICABLE" && v.Description.Contains("未领取营业执照", StringComparison.Ordinal));

        application.GuideAnswers["licensed"] = "yes";
        var submitted = await sandbox.SubmitAsync(application);
        var done = await sandbox.WaitForCompletionAsync(submitted.Name);

        Assert.All(done.Items, i => Assert.Equal(ItemState.Succeeded, i.State));
        Assert.All(done.Items, i => Assert.Equal("办好了", i.StatusText));
        Assert.False(string.IsNullOrEmpty(done.Items.Single(i => i.ItemCode == "tax.taxpayer-confirmation").DueDate));
        Assert.Equal(1, sandbox.Simulators.Tax.CaseCount);
    }
}
