using OneThing.Hub.Catalog;
using OneThing.Hub.Domain.Applications;
using OneThing.Hub.Domain.Catalog;
using OneThing.Hub.Domain.Validation;

namespace OneThing.Tests.Domain;

/// <summary>The catalog's data rules: rent subsidy periods and caps, locked fields, pledges, windows, photos.</summary>
public sealed class ThemeRulesTests
{
    private static readonly CatalogSnapshot Catalog = CatalogFiles.Load(Path.Combine(AppContext.BaseDirectory, "catalog"));
    private static readonly ThemeDefinition Shaoguan = Catalog.Latest("shaoguan.personal-startup")!;
    private static readonly ThemeDefinition Jiangsu = Catalog.Latest("jiangsu.job-seeking-subsidy")!;

    private static ApplicationContent Content(IEnumerable<string> items, Dictionary<string, string> fields, PledgeInfo? pledge = null, Dictionary<string, string>? answers = null) =>
        new(new ApplicantInfo("张三", Sex.Male, "汉族", IdDocumentKind.ResidentId, "11010519491231002X", "13800000000", null),
            items.ToList(), fields, null, null, pledge, answers);

    private static Dictionary<string, string> Rent(string start, string end, string amount) => new()
    {
        ["unit.registration_date"] = "2025-03-01",
        ["rent.period_start"] = start,
        ["rent.period_end"] = end,
        ["rent.amount"] = amount,
    };

    // Seed 000: 补贴期必须选择从登记注册日期起的三年；首次申请必须从登记注册日期起的第一段开始；年补贴标准4000元.
    [Theory]
    [InlineData("2025-03-01", "2026-02-28", "4000.00", null)]
    [InlineData("2025-03-01", "2027-02-28", "8000.00", null)]
    [InlineData("2025-03-01", "2028-03-01", "12000.00", null)]
    [InlineData("2025-03-01", "2026-02-28", "4000.01", "RENT_AMOUNT_OVER_CAP")]
    [InlineData("2025-03-01", "2027-02-28", "9000.00", "RENT_AMOUNT_OVER_CAP")]
    [InlineData("2025-04-01", "2026-03-31", "3000.00", "RENT_PERIOD_START")]
    [InlineData("2025-03-01", "2028-03-02", "12000.00", "RENT_PERIOD_BEYOND_THREE_YEARS")]
    [InlineData("2025-03-01", "2025-02-01", "100.00", "RENT_PERIOD_REVERSED")]
    public void Check_ShaoguanRentSubsidy_PeriodAndYearlyCap(string start, string end, string amount, string? expected)
    {
        var violations = ThemeRules.Check(Shaoguan, Content(["hr.rent-subsidy"], Rent(start, end, amount), answers: new() { ["has_business"] = "yes", ["unit_type"] = "enterprise", ["rents_premises"] = "yes", ["has_card"] = "no" }));

        if (expected is null)
        {
            Assert.Empty(violations);
        }
        else
        {
            Assert.Contains(violations, v => v.Reason == expected);
        }
    }

    [Fact]
    public void Check_RentRulesWhenRentSubsidyNotChosen_NotApplied()
    {
        var violations = ThemeRules.Check(Shaoguan, Content(["hr.employment-registration"], Rent("2025-09-01", "2030-01-01", "99999.00")));
        Assert.DoesNotContain(violations, v => v.Reason.StartsWith("RENT_", StringComparison.Ordinal));
    }

    // Seed 000: 该地点填写并保存后，不支持修改.
    [Fact]
    public void CheckImmutable_SubsidyPlaceChangedAfterSaving_Locked()
    {
        var saved = Content([], new() { ["subsidy.place"] = "武江区人社局" });
        Assert.Empty(ThemeRules.CheckImmutable(Shaoguan, Content([], []), saved));
        Assert.Empty(ThemeRules.CheckImmutable(Shaoguan, saved, saved));

        var locked = ThemeRules.CheckImmutable(Shaoguan, saved, Content([], new() { ["subsidy.place"] = "浈江区人社局" }));

        Assert.Equal("FIELD_LOCKED", Assert.Single(locked).Reason);
        Assert.Equal("fields[subsidy.place]", locked[0].Field);
    }

    // Seed 003: four pledges must be accepted.
    [Fact]
    public void Check_JiangsuPledges_EveryUnacceptedPledgeListed()
    {
        var answers = new Dictionary<string, string> { ["is_graduating"] = "yes", ["student_category"] = "disabled", ["has_jiangsu_card"] = "yes" };
        var two = ThemeRules.Check(Jiangsu, Content(["hr.job-seeking-subsidy"], [], new PledgeInfo(false, "2026-09-10", ["seeking-work", "materials-true"]), answers));
        Assert.Equal(2, two.Count(v => v.Reason == "PLEDGE_NOT_ACCEPTED"));

        var all = ThemeRules.Check(Jiangsu, Content(["hr.job-seeking-subsidy"], [], new PledgeInfo(false, "2026-09-10", Jiangsu.Pledges.Select(p => p.Code).ToList()), answers));
        Assert.DoesNotContain(all, v => v.Reason == "PLEDGE_NOT_ACCEPTED");
    }

    // Seed 003: 申报期：毕业学年的9月1日-9月30日（补发申报期：毕业学年的5月1日—5月31日）.
    [Theory]
    [InlineData("2026-09-01", null, null)]
    [InlineData("2026-09-30", null, null)]
    [InlineData("2027-05-15", null, null)]
    [InlineData("2026-08-31", "2026-09-01", "2026-09-30")]
    [InlineData("2026-10-01", "2027-05-01", "2027-05-31")]
    [InlineData("2026-11-23", "2027-05-01", "2027-05-31")]
    public void CheckWindows_GraduationYear2027_OpenOrNextWindow(string today, string? nextStart, string? nextEnd)
    {
        var content = Content(["hr.job-seeking-subsidy"], new() { ["student.graduation_year"] = "2027" });

        var check = ThemeRules.CheckWindows(Jiangsu, content, DateOnly.Parse(today));

        if (nextStart is null)
        {
            Assert.Null(check);
        }
        else
        {
            Assert.NotNull(check);
            Assert.Equal(DateOnly.Parse(nextStart), check.NextStart);
            Assert.Equal(DateOnly.Parse(nextEnd!), check.NextEnd);
        }
    }

    [Fact]
    public void CheckWindows_AllWindowsPassed_ClosedWithoutNext()
    {
        var check = ThemeRules.CheckWindows(Jiangsu, Content([], new() { ["student.graduation_year"] = "2026" }), new DateOnly(2026, 11, 23));

        Assert.NotNull(check);
        Assert.Null(check.NextStart);
        Assert.Equal(2, check.Windows.Count);
    }

    // Seed 003: 照片要求，像素358*441左右，大小要求在15k-100k之间.
    [Theory]
    [InlineData(358, 441, 40 * 1024, true)]
    [InlineData(370, 430, 15 * 1024, true)]
    [InlineData(358, 441, 100 * 1024, true)]
    [InlineData(640, 480, 40 * 1024, false)]
    [InlineData(358, 441, 14 * 1024, false)]
    [InlineData(358, 441, 101 * 1024, false)]
    public void PhotoRule_JiangsuStudentPhoto_DimensionsAndSize(int width, int height, long bytes, bool ok)
    {
        var rule = Jiangsu.Materials.Single(m => m.Code == "student-photo").Photo!;
        Assert.Equal(ok, rule.Check(width, height, bytes) is null);
    }

    [Fact]
    public void StartedYears_CountsEveryStartedYear()
    {
        Assert.Equal(1, ThemeRules.StartedYears(new DateOnly(2025, 3, 1), new DateOnly(2026, 2, 28)));
        Assert.Equal(2, ThemeRules.StartedYears(new DateOnly(2025, 3, 1), new DateOnly(2026, 3, 1)));
    }
}
