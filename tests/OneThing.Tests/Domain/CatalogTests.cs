using OneThing.Hub.Catalog;

namespace OneThing.Tests.Domain;

/// <summary>The catalog files: loaded and checked at start; a bad file names its place.</summary>
public sealed class CatalogTests
{
    [Fact]
    public void Load_ShippedCatalog_LuoyangThemeMatchesSeed004()
    {
        var catalog = CatalogFiles.Load(Path.Combine(AppContext.BaseDirectory, "catalog"));
        var luoyang = catalog.Latest("luoyang.personal-startup")!;

        // Seed 004: five items (plus Shaoguan's card item), the whole within 10 working days,
        // licence verification before the others, tax and certificate at once, pension within 10 days.
        Assert.Equal(10, luoyang.TimeLimitWorkingDays);
        Assert.Empty(luoyang.FindItem("market.licence-verification")!.Prerequisites);
        Assert.Equal(["market.licence-verification"], luoyang.FindItem("tax.taxpayer-confirmation")!.Prerequisites);
        Assert.True(luoyang.FindItem("tax.taxpayer-confirmation")!.CompletesImmediately);
        Assert.True(luoyang.FindItem("hr.employment-certificate")!.CompletesImmediately);
        Assert.Equal(10, luoyang.FindItem("si.flexible-pension-registration")!.TimeLimitWorkingDays);
        Assert.Equal(4, luoyang.FindField("subsidy.category")!.Options.Count);
        Assert.Equal([2025, 2026], catalog.Calendar.CoveredYears);
    }

    [Fact]
    public void LoadTheme_PrerequisiteCycle_ErrorNamesFileAndPlace()
    {
        var file = WriteTheme("""
            {"code":"t.cycle","version":1,"title":"t","region":{"code":"1","name":"n"},"source":"s","timeLimitWorkingDays":0,
             "materials":[],"fields":[],
             "items":[{"code":"a","title":"A","department":"tax","departmentTitle":"税务","prerequisites":["b"],"timeLimitWorkingDays":0,"completesImmediately":true},
                      {"code":"b","title":"B","department":"tax","departmentTitle":"税务","prerequisites":["a"],"timeLimitWorkingDays":0,"completesImmediately":true}]}
            """);

        var e = Assert.Throws<CatalogException>(() => CatalogFiles.LoadTheme(file));
        Assert.Equal(file, e.File);
        Assert.Contains("cycle", e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadTheme_UnknownPrerequisiteAndMisspelledProperty_ErrorsSayWhere()
    {
        var unknown = WriteTheme("""
            {"code":"t.x","version":1,"title":"t","region":{"code":"1","name":"n"},"source":"s","timeLimitWorkingDays":0,"materials":[],"fields":[],
             "items":[{"code":"a","title":"A","department":"tax","departmentTitle":"税务","prerequisites":["zzz"],"timeLimitWorkingDays":0,"completesImmediately":true}]}
            """);
        var e1 = Assert.Throws<CatalogException>(() => CatalogFiles.LoadTheme(unknown));
        Assert.Equal("$.items[0].prerequisites[0]", e1.Place);

        var typo = WriteTheme("""{"code":"t.y","versoin":1}""");
        var e2 = Assert.Throws<CatalogException>(() => CatalogFiles.LoadTheme(typo));
        Assert.Contains("versoin", e2.Message, StringComparison.Ordinal);
    }

    private static string WriteTheme(string json)
    {
        var file = Path.Combine(Path.GetTempPath(), $"onething-theme-{Guid.NewGuid():N}.json");
        File.WriteAllText(file, json);
        return file;
    }
}
