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
