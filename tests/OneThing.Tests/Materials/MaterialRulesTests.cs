using OneThing.Hub.Catalog;
using OneThing.Hub.Domain.Applications;
using OneThing.Hub.Domain.Catalog;
using OneThing.Hub.Domain.Validation;

namespace OneThing.Tests.Materials;

/// <summary>One set of materials for the whole application (一套材料), checked without I/O.</summary>
public sealed class MaterialRulesTests
{
    private static readonly CatalogSnapshot Catalog = CatalogFiles.Load(Path.Combine(AppContext.BaseDirectory, "catalog"));
    private static readonly Dictionary<string, UploadedMaterialFacts> NoUploads = [];

    private static ThemeDefinition Theme(string code) => Catalog.Latest(code)!;

    private static ApplicationContent Content(IReadOnlyList<string> items, IReadOnlyList<AttachedMaterial>? materials = null, Dictionary<string, string>? fields = null) =>
        new(new ApplicantInfo("张三", Sex.Male, "汉族", IdDocumentKind.ResidentId, "11010519491231002X", "13800000000", null),
            items, fields ?? [], null, null, null, null, materials);

    [Fact]
    public void Check_MaterialSharedByFourItems_RequiredOnceNamingEveryItem_SharedDataNotAsked()
    {
        var theme = Theme("luoyang.personal-startup");
        var violations = MaterialRules.Check(theme, Content(theme.Items.Select(i => i.Code).ToList()), NoUploads, requireUploads: true);

        var missing = Assert.Single(violations);
        Assert.Equal("materials[joint-application-form]", missing.Field);
        Assert.Equal(MaterialReasons.Required, missing.Reason);
        Assert.Contains("洛阳市个人创业“一件事”联办申请表", missing.Description, StringComparison.Ordinal);
        Assert.Contains("纳税人信息确认", missing.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_EveryMissingMaterialOfEveryItem_ReportedAtOnce()
    {
        var theme = Theme("baotou.startup");
        var violations = MaterialRules.Check(theme, Content(["hr.guaranteed-loan", "hr.one-time-startup-subsidy"]), NoUploads, requireUploads: true);

        Assert.Equal(["materials[bank-loan-documents]", "materials[startup-evidence]"], violations.Select(v => v.Field));
        Assert.All(violations, v => Assert.Equal(MaterialReasons.Required, v.Reason));
        Assert.Empty(MaterialRules.Check(theme, Content(["hr.guaranteed-loan", "hr.one-time-startup-subsidy"]), NoUploads, requireUploads: false));
    }

    [Fact]
    public void Check_MaterialRequiredOnlyForSomeCategory_AskedOnlyForIt()
    {
        var theme = Theme("jieyang.unemployment");
        var ill = MaterialRules.Check(theme, Content(["hr.employment-difficulty-recognition"], fields: new() { ["difficulty.category"] = "serious-illness" }), NoUploads, true);
        var veteran = MaterialRules.Check(theme, Content(["hr.employment-difficulty-recognition"], fields: new() { ["difficulty.category"] = "veteran" }), NoUploads, true);

        Assert.Contains(ill, v => v.Field == "materials[medical-certificate]");
        Assert.DoesNotContain(veteran, v => v.Field == "materials[medical-certificate]");
        Assert.Contains(veteran, v => v.Field == "materials[discharge-certificate]");
    }

    [Fact]
    public void Check_AttachmentsWrongInEveryWay_EachReported()
    {
        var theme = Theme("baotou.startup");
        var uploads = new Dictionary<string, UploadedMaterialFacts>
        {
            ["a1"] = new("a1", "baotou.startup", "startup-evidence"),
            ["a2"] = new("a2", "baotou.startup", "bank-loan-documents"),
        };
        var attached = new List<AttachedMaterial>
        {
            new("bank-loan-documents", "a1"), // uploaded as another material
            new("startup-evidence", "nope"), // never uploaded
            new("startup-evidence", "a1"), // twice
            new("no-such-material", "a2"),
        };

        var violations = MaterialRules.Check(theme, Content(["hr.guaranteed-loan", "hr.one-time-startup-subsidy"], attached), uploads, requireUploads: true);

        Assert.Equal(
            [
                ("materials[bank-loan-documents]", MaterialReasons.CodeMismatch),
                ("materials[startup-evidence]", MaterialReasons.NotFound),
                ("materials[startup-evidence]", MaterialReasons.Duplicate),
                ("materials[no-such-material]", MaterialReasons.Unknown),
            ],
            violations.Select(v => (v.Field, v.Reason)));
    }

    [Fact]
    public void ForItem_SharedMaterial_ReachesEveryItemThatListsIt()
    {
        var theme = Theme("luoyang.personal-startup");
        var form = new AttachedMaterial("joint-application-form", "f1", new string('a', 64), "application/pdf", 100);
        var content = Content(theme.Items.Select(i => i.Code).ToList(), [form]);

        Assert.Equal([form], MaterialRules.ForItem(theme, content, "market.licence-verification"));
        Assert.Equal([form], MaterialRules.ForItem(theme, content, "tax.taxpayer-confirmation"));
        Assert.Empty(MaterialRules.ForItem(theme, content, "sscard.card-application"));
    }
}
