using OneThing.Hub.Catalog;
using OneThing.Hub.Domain.Calendar;
using OneThing.Hub.Domain.Catalog;

namespace OneThing.Tests.Domain;

/// <summary>Each theme's items, limits and materials against the seed rule they come from.</summary>
public sealed class SeedCatalogTests
{
    private static readonly CatalogSnapshot Catalog = CatalogFiles.Load(Path.Combine(AppContext.BaseDirectory, "catalog"));

    private static ThemeDefinition Theme(string code) => Catalog.Latest(code) ?? throw new InvalidOperationException(code);

    [Fact]
    public void Catalog_HasAllFiveSeedThemesWithTheirRegions()
    {
        Assert.Equal(
            new[] { ("baotou.startup", "150200"), ("jiangsu.job-seeking-subsidy", "320000"), ("jieyang.unemployment", "445200"), ("luoyang.personal-startup", "410300"), ("shaoguan.personal-startup", "440200") },
            Catalog.LatestThemes.Select(t => (t.Code, t.Region.Code)));
    }

    // Seed 000: 个人就业登记、《就业创业证》申领、一次性创业资助申领、创业租金补贴申领、社会保障卡申领; 就业创业证必须和个人就业登记一起办理.
    [Fact]
    public void Shaoguan_FiveItems_CertificateOnlyWithEmploymentRegistration()
    {
        var theme = Theme("shaoguan.personal-startup");
        Assert.Equal(["hr.employment-registration", "hr.employment-certificate", "hr.startup-grant", "hr.rent-subsidy", "sscard.card-application"], theme.Items.Select(i => i.Code));
        Assert.Equal(["hr.employment-registration"], theme.FindItem("hr.employment-certificate")!.Prerequisites);
        Assert.True(theme.FindField("subsidy.place")!.ImmutableOnceSaved);
        Assert.True(theme.FindField("employment.division_code")!.StreetLevel);
        Assert.Equal(["hr.startup-grant", "hr.rent-subsidy"], theme.Requirements.PaymentAccountForItems);
    }

    // Seed 001: 创业培训、创业担保贷款、一次性创业补贴、创业开业指导; 贷款需提供银行贷款所需资料.
    [Fact]
    public void Baotou_FourItems_LoanNeedsBankDocumentsSubsidyNeedsEvidence()
    {
        var theme = Theme("baotou.startup");
        Assert.Equal(["hr.startup-training", "hr.guaranteed-loan", "hr.one-time-startup-subsidy", "hr.opening-guidance"], theme.Items.Select(i => i.Code));
        Assert.Contains("bank-loan-documents", theme.FindItem("hr.guaranteed-loan")!.Materials);
        Assert.Contains("startup-evidence", theme.FindItem("hr.one-time-startup-subsidy")!.Materials);
        Assert.True(theme.Requirements.DeliveryRequired); // 电话通知或免费快递送达
    }

    // Seed 002: the eight items with their limits: 5 working days, 即办, none, none, none, 21, 5, 即办.
    [Theory]
    [InlineData("hr.unemployment-registration", 5, false)]
    [InlineData("hr.employment-certificate", 0, true)]
    [InlineData("hr.career-guidance", 0, false)]
    [InlineData("hr.policy-consultation", 0, false)]
    [InlineData("hr.job-referral", 0, false)]
    [InlineData("hr.employment-difficulty-recognition", 21, false)]
    [InlineData("si.unemployment-benefit", 5, false)]
    [InlineData("si.price-subsidy", 0, true)]
    public void Jieyang_EightItemsWithSeedLimits(string item, int workingDays, bool immediate)
    {
        var definition = Theme("jieyang.unemployment").FindItem(item)!;
        Assert.Equal(workingDays, definition.TimeLimitWorkingDays);
        Assert.Equal(immediate, definition.CompletesImmediately);
    }

    // Seed 002: 待办、办理中、已完结和已退回.
    [Fact]
    public void Jieyang_ShowsItsOwnStatusWords()
    {
        var words = Theme("jieyang.unemployment").StatusTexts;
        Assert.Equal("待办", words["Pending"]);
        Assert.Equal("办理中", words["InProgress"]);
        Assert.Equal("已完结", words["Succeeded"]);
        Assert.Equal("已退回", words["Returned"]);
        Assert.Equal(8, Theme("jieyang.unemployment").Items.Count);
    }

    // Seed 003: one item; four pledges; windows 9/1–9/30 and 5/1–5/31; photo 358×441, 15–100 KB.
    [Fact]
    public void Jiangsu_OneItemFourPledgesTwoWindowsAndThePhotoRule()
    {
        var theme = Theme("jiangsu.job-seeking-subsidy");
        Assert.Equal("hr.job-seeking-subsidy", Assert.Single(theme.Items).Code);
        Assert.Equal(4, theme.Pledges.Count);
        Assert.Equal([(9, 1, 9, 30), (5, 1, 5, 31)], theme.Windows.Select(w => (w.StartMonth, w.StartDay, w.EndMonth, w.EndDay)));
        var photo = theme.Materials.Single(m => m.Photo is not null).Photo!;
        Assert.Equal((358, 441, 15, 100), (photo.WidthPx, photo.HeightPx, photo.MinKb, photo.MaxKb));
        Assert.Equal(6, theme.FindField("student.category")!.Options.Count);
    }

    // Each item shows its deadline: working days from the submission day under the official calendar.
    [Theory]
    [InlineData("jieyang.unemployment", "hr.unemployment-registration", "2026-09-30", "2026-10-13")] // 5 days over 国庆 (Oct 1–7) and the make-up Saturday Oct 10
    [InlineData("jieyang.unemployment", "hr.employment-difficulty-recognition", "2026-02-10", "2026-03-17")] // 21 days over 春节 with make-up Feb 14 and Feb 28
    [InlineData("luoyang.personal-startup", "si.flexible-pension-registration", "2025-04-30", "2025-05-19")] // 10 days over 劳动节
    public void ItemDeadline_CountsWorkingDaysUnderTheCalendar(string theme, string item, string submitted, string due)
    {
        var definition = Theme(theme).FindItem(item)!;
        Assert.Equal(DateOnly.Parse(due), Catalog.Calendar.AddWorkingDays(DateOnly.Parse(submitted), definition.TimeLimitWorkingDays));
    }
}
