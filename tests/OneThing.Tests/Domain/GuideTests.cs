using OneThing.Hub.Catalog;
using OneThing.Hub.Domain.Catalog;

namespace OneThing.Tests.Domain;

/// <summary>The guided questions (主题导办) of Shaoguan (seed 000) and Jiangsu (seed 003), over the answers that change the outcome.</summary>
public sealed class GuideTests
{
    private static readonly CatalogSnapshot Catalog = CatalogFiles.Load(Path.Combine(AppContext.BaseDirectory, "catalog"));
    private static readonly ThemeDefinition Shaoguan = Catalog.Latest("shaoguan.personal-startup")!;
    private static readonly ThemeDefinition Jiangsu = Catalog.Latest("jiangsu.job-seeking-subsidy")!;

    private static GuideResult Evaluate(ThemeDefinition theme, params (string Question, string Answer)[] answers) =>
        GuideEvaluator.Evaluate(theme, answers.ToDictionary(a => a.Question, a => a.Answer));

    [Fact]
    public void Shaoguan_NoAnswers_AsksTheUnconditionalQuestionsAndDecidesNothingThatDependsOnThem()
    {
        var guide = Evaluate(Shaoguan);

        Assert.Equal(["has_business", "has_card"], guide.NextQuestions.Select(q => q.Code));
        Assert.False(guide.Complete);
        Assert.True(guide.For("hr.employment-registration").Available);
        Assert.Equal(["has_business"], guide.For("hr.startup-grant").PendingQuestions);
        Assert.Equal(["has_card"], guide.For("sscard.card-application").PendingQuestions);
    }

    [Fact]
    public void Shaoguan_HasBusiness_AsksUnitTypeAndPremisesNext()
    {
        var guide = Evaluate(Shaoguan, ("has_business", "yes"), ("has_card", "no"));

        Assert.Equal(["unit_type", "rents_premises"], guide.NextQuestions.Select(q => q.Code));
        Assert.Equal(["unit_type"], guide.For("hr.startup-grant").PendingQuestions);
        Assert.True(guide.For("sscard.card-application").Available);
    }

    // Seed 000: 如办理一次性创业资助、创业租金补贴，单位类型不能选择“个体工商户(无雇工的)”.
    [Fact]
    public void Shaoguan_UnitTypeWithoutEmployees_GrantAndRentSubsidyRefusedWithTheSeedReason()
    {
        var guide = Evaluate(Shaoguan, ("has_business", "yes"), ("unit_type", "individual-no-employees"), ("rents_premises", "yes"), ("has_card", "no"));

        Assert.True(guide.Complete);
        foreach (var item in new[] { "hr.startup-grant", "hr.rent-subsidy" })
        {
            var availability = guide.For(item);
            Assert.False(availability.Available);
            Assert.Equal("UNIT_TYPE_NOT_ELIGIBLE", Assert.Single(availability.Reasons).Code);
            Assert.Contains("个体工商户(无雇工的)", availability.Reasons[0].Message, StringComparison.Ordinal);
        }

        Assert.True(guide.For("hr.employment-registration").Available);
        Assert.True(guide.For("hr.employment-certificate").Available);
    }

    [Fact]
    public void Shaoguan_UnitWithEmployeesRentingPremises_EveryItemAvailable()
    {
        var guide = Evaluate(Shaoguan, ("has_business", "yes"), ("unit_type", "enterprise"), ("rents_premises", "yes"), ("has_card", "no"));

        Assert.True(guide.Complete);
        Assert.All(guide.Items, i => Assert.True(i.Available, i.Item.Code));
    }

    [Fact]
    public void Shaoguan_OwnPremisesAndCardHeld_RentSubsidyAndCardRefused()
    {
        var guide = Evaluate(Shaoguan, ("has_business", "yes"), ("unit_type", "enterprise"), ("rents_premises", "no"), ("has_card", "yes"));

        Assert.Equal("NO_RENTED_PREMISES", Assert.Single(guide.For("hr.rent-subsidy").Reasons).Code);
        Assert.Equal("CARD_ALREADY_HELD", Assert.Single(guide.For("sscard.card-application").Reasons).Code);
        Assert.True(guide.For("hr.startup-grant").Available);
    }

    [Fact]
    public void Shaoguan_NoBusiness_SubsidiesRefusedAndFollowUpQuestionsNotAsked()
    {
        var guide = Evaluate(Shaoguan, ("has_business", "no"), ("has_card", "no"));

        Assert.True(guide.Complete);
        Assert.Empty(guide.NextQuestions);
        Assert.Equal("NO_BUSINESS", Assert.Single(guide.For("hr.startup-grant").Reasons).Code);
        Assert.Equal("NO_BUSINESS", Assert.Single(guide.For("hr.rent-subsidy").Reasons).Code);
    }

    [Fact]
    public void Guide_UnknownQuestionOrAnswer_ReportedAsProblems()
    {
        var guide = Evaluate(Shaoguan, ("has_business", "maybe"), ("favourite_colour", "blue"));

        Assert.Contains(guide.Problems, p => p.Field == "guide_answers[has_business]" && p.Reason == "INVALID_ANSWER");
        Assert.Contains(guide.Problems, p => p.Field == "guide_answers[favourite_colour]" && p.Reason == "UNKNOWN_QUESTION");
    }

    // Seed 003: 可申请学生类型满足以下一种即可：残疾、低保家庭、特困人员、建档立卡低收入农户家庭、建档立卡贫困家庭、获取国家助学贷款.
    [Theory]
    [InlineData("disabled")]
    [InlineData("dibao-family")]
    [InlineData("extreme-poverty")]
    [InlineData("low-income-farmer")]
    [InlineData("poverty-registered")]
    [InlineData("student-loan")]
    public void Jiangsu_EligibleCategoryWithCard_SubsidyAvailable(string category)
    {
        var guide = Evaluate(Jiangsu, ("is_graduating", "yes"), ("student_category", category), ("has_jiangsu_card", "yes"));

        Assert.True(guide.Complete);
        Assert.True(guide.For("hr.job-seeking-subsidy").Available);
    }

    [Fact]
    public void Jiangsu_NoCategory_Refused()
    {
        var guide = Evaluate(Jiangsu, ("is_graduating", "yes"), ("student_category", "none"), ("has_jiangsu_card", "yes"));
        Assert.Equal("STUDENT_CATEGORY_NOT_ELIGIBLE", Assert.Single(guide.For("hr.job-seeking-subsidy").Reasons).Code);
    }

    // Seed 003: 学生申领时，请确保已办理江苏省社保卡…补贴发放将直接发放到学生社保卡中.
    [Fact]
    public void Jiangsu_NoJiangsuCard_RefusedWithWhereToGetOne()
    {
        var guide = Evaluate(Jiangsu, ("is_graduating", "yes"), ("student_category", "disabled"), ("has_jiangsu_card", "no"));
        var reason = Assert.Single(guide.For("hr.job-seeking-subsidy").Reasons);
        Assert.Equal("NO_JIANGSU_CARD", reason.Code);
        Assert.Contains("社会保障卡", reason.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Jiangsu_NotGraduating_RefusedWithoutFurtherQuestions()
    {
        var guide = Evaluate(Jiangsu, ("is_graduating", "no"));

        Assert.True(guide.Complete);
        Assert.Empty(guide.NextQuestions);
        Assert.Equal("NOT_GRADUATING", Assert.Single(guide.For("hr.job-seeking-subsidy").Reasons).Code);
    }

    [Fact]
    public void Materials_JieyangItems_SharedMaterialOnceAndCategoryMaterialOnlyForItsCategory()
    {
        var jieyang = Catalog.Latest("jieyang.unemployment")!;
        var items = new[] { "hr.unemployment-registration", "hr.employment-certificate", "hr.employment-difficulty-recognition" };

        var dibao = GuideEvaluator.Materials(jieyang, items, new Dictionary<string, string> { ["difficulty.category"] = "dibao-family" });
        var disabled = GuideEvaluator.Materials(jieyang, items, new Dictionary<string, string> { ["difficulty.category"] = "disabled" });

        // Seed 002: 不同事项的共性材料只需提供1份.
        Assert.Single(dibao, m => m.Material.Code == "id-document");
        Assert.Equal(3, dibao.Single(m => m.Material.Code == "id-document").ForItems.Count);
        Assert.Contains(dibao, m => m.Material.Code == "dibao-certificate");
        Assert.DoesNotContain(dibao, m => m.Material.Code == "disability-certificate");
        Assert.Contains(disabled, m => m.Material.Code == "disability-certificate");
        Assert.Contains(dibao, m => m.Material.Code == "pledge-letter");
        Assert.Contains(dibao, m => m.Material.Code == "photo-2inch");
    }
}
