using Microsoft.Extensions.Configuration;
using Grpc.Core;
using OneThing.Hub.Catalog;
using OneThing.Hub.Hosting;
using OneThing.Hub.V1;
using OneThing.Sandbox;
using OneThing.Tests.Support;

namespace OneThing.Tests.Integration;

/// <summary>The catalog over gRPC: all five themes, the guided-question RPC, addresses, a bad catalog file.</summary>
public sealed class GuideAndCatalogTests
{
    [Fact]
    public async Task ListThemes_AllFiveSeedServicesWithTheirRegions()
    {
        await using var sandbox = await HubSandbox.StartAsync().Within();

        var themes = await sandbox.Catalog.ListThemesAsync(new ListThemesRequest(), Bounded.Options).Within();

        Assert.Equal(
            [("themes/baotou.startup", "150200"), ("themes/jiangsu.job-seeking-subsidy", "320000"), ("themes/jieyang.unemployment", "445200"), ("themes/luoyang.personal-startup", "410300"), ("themes/shaoguan.personal-startup", "440200")],
            themes.Themes.Select(t => (t.Name, t.Region.Code)));
        var guangdong = await sandbox.Catalog.ListThemesAsync(new ListThemesRequest { RegionCode = "44" }, Bounded.Options).Within();
        Assert.Equal(2, guangdong.Themes.Count);
        var jiangsu = await sandbox.Catalog.GetThemeAsync(new GetThemeRequest { Name = SampleApplications.JiangsuTheme }, Bounded.Options).Within();
        Assert.Equal(4, jiangsu.Pledges.Count);
        Assert.Equal(2, jiangsu.Windows.Count);
        Assert.Equal(358, jiangsu.Materials.Single(m => m.Photo is not null).Photo.WidthPx);
    }

    [Theory]
    [InlineData("yes", "enterprise", "yes", "no", new[] { "hr.employment-registration", "hr.employment-certificate", "hr.startup-grant", "hr.rent-subsidy", "sscard.card-application" }, new string[0])]
    [InlineData("yes", "individual-no-employees", "yes", "no", new[] { "hr.employment-registration", "hr.employment-certificate", "sscard.card-application" }, new[] { "UNIT_TYPE_NOT_ELIGIBLE" })]
    [InlineData("yes", "enterprise", "no", "yes", new[] { "hr.employment-registration", "hr.employment-certificate", "hr.startup-grant" }, new[] { "NO_RENTED_PREMISES", "CARD_ALREADY_HELD" })]
    [InlineData("no", null, null, "no", new[] { "hr.employment-registration", "hr.employment-certificate", "sscard.card-application" }, new[] { "NO_BUSINESS" })]
    public async Task EvaluateGuide_ShaoguanAnswers_DecideTheItemsAndSayWhy(string business, string? unitType, string? rents, string card, string[] available, string[] refusals)
    {
        await using var sandbox = await HubSandbox.StartAsync().Within();
        var request = new EvaluateGuideRequest { Theme = SampleApplications.ShaoguanTheme, Answers = { ["has_business"] = business, ["has_card"] = card } };
        if (unitType is not null)
        {
            request.Answers["unit_type"] = unitType;
            request.Answers["rents_premises"] = rents!;
        }

        var guide = await sandbox.Catalog.EvaluateGuideAsync(request, Bounded.Options).Within();

        Assert.True(guide.Complete);
        Assert.Empty(guide.NextQuestions);
        Assert.Equal(available, guide.Items.Where(i => i.Available).Select(i => i.ItemCode));
        Assert.Equal(refusals.Order(), guide.Items.SelectMany(i => i.Reasons).Select(r => r.Code).Distinct().Order());
        Assert.All(guide.Items.Where(i => !i.Available).SelectMany(i => i.Reasons), r => Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", r.Message));
        Assert.Contains(guide.Materials, m => m.Material.Code == "id-document");
    }

    [Fact]
    public async Task EvaluateGuide_JiangsuStepByStep_AsksNextQuestionsThenRefusesOrAllows()
    {
        await using var sandbox = await HubSandbox.StartAsync().Within();
        async Task<EvaluateGuideResponse> Evaluate(params (string, string)[] answers)
        {
            var request = new EvaluateGuideRequest { Theme = SampleApplications.JiangsuTheme };
            foreach (var (q, a) in answers)
            {
                request.Answers[q] = a;
            }

            return await sandbox.Catalog.EvaluateGuideAsync(request, Bounded.Options).Within();
        }

        var start = await Evaluate();
        Assert.Equal(["is_graduating"], start.NextQuestions.Select(q => q.Code));
        var graduating = await Evaluate(("is_graduating", "yes"));
        Assert.Equal(["student_category", "has_jiangsu_card"], graduating.NextQuestions.Select(q => q.Code));
        Assert.False(graduating.Items.Single().Available);

        var noCategory = await Evaluate(("is_graduating", "yes"), ("student_category", "none"), ("has_jiangsu_card", "yes"));
        Assert.Equal("STUDENT_CATEGORY_NOT_ELIGIBLE", noCategory.Items.Single().Reasons.Single().Code);
        var noCard = await Evaluate(("is_graduating", "yes"), ("student_category", "student-loan"), ("has_jiangsu_card", "no"));
        Assert.Equal("NO_JIANGSU_CARD", noCard.Items.Single().Reasons.Single().Code);
        var eligible = await Evaluate(("is_graduating", "yes"), ("student_category", "student-loan"), ("has_jiangsu_card", "yes"));
        Assert.True(eligible.Items.Single().Available);
        Assert.Contains(eligible.Materials, m => m.Material.Photo is not null);
    }

    [Fact]
    public async Task EvaluateGuide_BadAnswersOrTheme_ClearErrors()
    {
        await using var sandbox = await HubSandbox.StartAsync().Within();

        var bad = await RichErrors.FailureOf(() => sandbox.Catalog.EvaluateGuideAsync(new EvaluateGuideRequest
        {
            Theme = SampleApplications.JiangsuTheme,
            Answers = { ["is_graduating"] = "perhaps", ["shoe_size"] = "42" },
        }, Bounded.Options).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, bad.Code);
        Assert.Equal(["INVALID_ANSWER", "UNKNOWN_QUESTION"], bad.Violations.Select(v => v.Reason).Order());

        var missing = await RichErrors.FailureOf(() => sandbox.Catalog.EvaluateGuideAsync(new EvaluateGuideRequest { Theme = "themes/atlantis" }, Bounded.Options).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, missing.Code);
    }

    [Fact]
    public async Task Submit_AddressCodes_CheckedAgainstTheDivisionDatasetAtTheThemesLevel()
    {
        await using var sandbox = await HubSandbox.StartAsync().Within();
        var shaoguan = SampleApplications.Shaoguan(sandbox.Simulators.Population.Scenarios.ShaoguanNoCard, sandbox.Today);
        shaoguan.Applicant.Residence.DivisionCode = "440203"; // a county: Shaoguan asks for the street (街道/镇)
        shaoguan.Fields["employment.division_code"] = "440203999"; // no such street
        shaoguan.Fields["unit.registered_division"] = "440203001"; // 武江区新华街道: fine

        var refused = await RichErrors.FailureOf(() => sandbox.SubmitAsync(shaoguan));

        var byField = refused.Violations.ToDictionary(v => v.Field);
        Assert.Equal("DIVISION_NOT_STREET_LEVEL", byField["applicant.residence.division_code"].Reason);
        Assert.Equal("UNKNOWN_DIVISION_CODE", byField["fields[employment.division_code]"].Reason);
        Assert.DoesNotContain("fields[unit.registered_division]", byField.Keys);
        Assert.Equal(2, refused.Violations.Count);
    }

    [Fact]
    public async Task HubStart_BadCatalogFile_StopsWithAnErrorNamingFileAndPlace()
    {
        var catalog = Path.Combine(Path.GetTempPath(), "onething-bad-catalog", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(catalog, "themes"));
        var file = Path.Combine(catalog, "themes", "broken.json");
        await File.WriteAllTextAsync(file, """{ "code": "x", "version": 1, "title": "t", "region": { "code": "1", "name": "n" }, "source": "s", "timeLimitWorkingDays": 0, "materials": [], "fields": [], "items": [ { "code": "a", "title": "A", "department": "tax", "departmentTitle": "税务", "prerequisites": [ "nope" ], "timeLimitWorkingDays": 0, "completesImmediately": true } ] }""", TestContext.Current.CancellationToken).Within();

        var hub = HubHost.Build([], b => b.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Catalog:Directory"] = catalog,
            ["Kestrel:Endpoints:Grpc:Url"] = "http://127.0.0.1:0",
            ["Kestrel:EndpointDefaults:Protocols"] = "Http2",
            ["Database:ConnectionString"] = $"Data Source={Path.Combine(catalog, "hub.db")}",
            ["Departments:market-regulation:Endpoint"] = "http://127.0.0.1:1",
            ["Departments:tax:Endpoint"] = "http://127.0.0.1:1",
            ["Departments:human-resources:Endpoint"] = "http://127.0.0.1:1",
            ["Departments:social-insurance:Endpoint"] = "http://127.0.0.1:1",
            ["Departments:social-security-card:Endpoint"] = "http://127.0.0.1:1",
            ["Logging:LogLevel:Default"] = "None",
        }).AddInMemoryCollection(OneThing.Tests.Security.PersonalDataTestKeys.Settings).AddInMemoryCollection(TestIssuer.Settings));
        await using (hub)
        {
            var e = await Assert.ThrowsAsync<CatalogException>(() => hub.StartAsync(TestContext.Current.CancellationToken).Within());
            Assert.Equal(file, e.File);
            Assert.Equal("$.items[0].prerequisites[0]", e.Place);
            Assert.Contains("nope", e.Message, StringComparison.Ordinal);
        }
    }
}
