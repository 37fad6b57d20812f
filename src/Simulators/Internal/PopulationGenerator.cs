using System.Globalization;
using System.Text;

namespace OneThing.Simulators.Internal;

/// <summary>
/// Draws synthetic people and their businesses. Scenario people come from a random stream of their own,
/// so they stay the same whatever the bulk size; uniqueness of identifiers is enforced across both.
/// </summary>
internal sealed class PopulationGenerator(int seed, DateOnly today)
{
    private readonly HashSet<string> idNumbers = new(StringComparer.Ordinal);
    private readonly HashSet<string> usccs = new(StringComparer.Ordinal);
    private readonly HashSet<string> entityNames = new(StringComparer.Ordinal);
    private readonly HashSet<string> photoReceipts = new(StringComparer.Ordinal);
    private readonly HashSet<string> accounts = new(StringComparer.Ordinal);
    private readonly HashSet<string> cardNumbers = new(StringComparer.Ordinal);

    private enum LicenceShape
    {
        /// <summary>Registered 2–6 years ago.</summary>
        Established,

        /// <summary>Registered 60 days ago.</summary>
        Recent,

        /// <summary>Registered 1–2 years ago.</summary>
        OneToTwoYears,

        /// <summary>No registry knows the USCC (or the person runs no business).</summary>
        Unregistered,
    }

    public ScenarioPeople CreateScenarioPeople()
    {
        // A stream of its own (a fixed odd offset from the seed) keeps scenario people independent of the bulk size.
        var random = new Random(unchecked((seed * 31) + 0x5CE7));
        var ready = NextPerson(random, Luoyang(LicenceShape.Established));
        var noLicence = NextPerson(random, Luoyang(LicenceShape.Unregistered));
        var recentLicence = NextPerson(random, Luoyang(LicenceShape.Recent));
        var noEmployeeUnit = NextPerson(random, Luoyang(LicenceShape.Established) with { EntityType = LuoyangData.EntityTypeNoEmployees });
        var existingCard = NextPerson(random, Luoyang(LicenceShape.Established) with { HasCard = true });
        var insuredByEmployer = NextPerson(random, Luoyang(LicenceShape.Established) with { InsuredByEmployer = true });

        // The other regions' people come from another stream, so they never change the Luoyang people above.
        var other = new Random(unchecked((seed * 37) + 0x4E57));
        var shaoguan = new Profile(Regions.Shaoguan, LicenceShape.OneToTwoYears, LuoyangData.EntityTypeWithEmployeesGuangdong);
        var baotou = new Profile(Regions.Baotou, LicenceShape.Established, LuoyangData.EntityTypeIndividual);
        var jieyang = new Profile(Regions.Jieyang, LicenceShape.Unregistered, EntityType: string.Empty);
        var student = new Profile(Regions.Nanjing, LicenceShape.Unregistered, EntityType: string.Empty, Age: 22);
        return new ScenarioPeople(
            ready,
            noLicence,
            recentLicence,
            noEmployeeUnit,
            existingCard,
            insuredByEmployer,
            ShaoguanReady: NextPerson(other, shaoguan with { HasCard = true }),
            ShaoguanNoEmployeeUnit: NextPerson(other, shaoguan with { EntityType = LuoyangData.EntityTypeNoEmployeesGuangdong }),
            ShaoguanNoCard: NextPerson(other, shaoguan),
            BaotouReady: NextPerson(other, baotou) with
            {
                HasEmploymentCertificate = true,
                StartupCategoryBaotou = "employment-difficulty",
            },
            BaotouNoCertificate: NextPerson(other, baotou) with { StartupCategoryBaotou = "graduate-within-2-years" },
            BaotouOverAge: NextPerson(other, baotou with { Age = 62 }) with
            {
                HasEmploymentCertificate = true,
                StartupCategoryBaotou = "employment-difficulty",
            },
            JieyangUnemployed: NextPerson(other, jieyang) with
            {
                UnemploymentInsuranceMonths = 24,
                DifficultyCategory = "低保家庭",
            },
            JieyangEmployed: NextPerson(other, jieyang with { InsuredByEmployer = true }),
            JieyangShortContribution: NextPerson(other, jieyang) with { UnemploymentInsuranceMonths = 6 },
            JiangsuStudent: NextPerson(other, student with { HasCard = true }) with
            {
                StudentCategory = "dibao-family",
                HasJiangsuCard = true,
            },
            JiangsuStudentNoCard: NextPerson(other, student) with { StudentCategory = "dibao-family" });
    }

    public SimulatedPerson[] CreateBulkPeople(int size)
    {
        var random = new Random(seed);
        var people = new SimulatedPerson[size];
        for (var i = 0; i < size; i++)
        {
            people[i] = NextPerson(random, Luoyang(LicenceShape.Established));
        }

        return people;
    }

    private static Profile Luoyang(LicenceShape licence) => new(Regions.Luoyang, licence, LuoyangData.EntityTypeIndividual);

    // The order of the draws below is part of the population: changing it changes every person.
    private SimulatedPerson NextPerson(Random random, Profile profile)
    {
        var region = profile.Region;
        var male = random.Next(2) == 0;
        var name = Pick(random, LuoyangData.Surnames) + GivenName(random, male);
        var residence = Pick(random, region.Districts);

        var age = profile.Age ?? random.Next(22, 51);
        // Between 0 and 364 days before the last birthday keeps the age exactly `age` at `today`.
        var birthDate = today.AddYears(-age).AddDays(-random.Next(0, 365));
        var idNumber = Unique(idNumbers, () =>
        {
            var sequence = male ? (2 * random.Next(0, 500)) + 1 : (2 * random.Next(0, 499)) + 2;
            return ResidentIdNumber.Create(residence.Code, birthDate, sequence);
        });

        var ethnicity = Ethnicity(random);
        var mobile = Pick(random, LuoyangData.MobilePrefixes) + Digits(random, 8);
        var home = Pick(random, residence.Places);
        var residenceAddress = string.Create(
            CultureInfo.InvariantCulture,
            $"{home.Street.FullName}{home.Road}{random.Next(1, 300)}号院{random.Next(1, 20)}号楼{random.Next(1, 6)}单元{random.Next(1, 25)}0{random.Next(1, 5)}室");

        var business = Pick(random, region.Districts);
        var uscc = Unique(usccs, () => UnifiedSocialCreditCode.Create(
            UnifiedSocialCreditCode.IndividualBusinessAuthority, business.Code, OrganisationCode(random)));
        var entityName = EntityName(random, region, business);
        var businessAddress = string.Create(
            CultureInfo.InvariantCulture, $"{business.Province}{business.City}{business.Name}{Pick(random, business.Places).Road}{random.Next(1, 500)}号");

        var registrationDate = profile.Licence switch
        {
            LicenceShape.Recent => today.AddDays(-60),
            LicenceShape.OneToTwoYears => DateOnly.FromDayNumber(random.Next(today.AddYears(-2).DayNumber, today.AddYears(-1).DayNumber)),
            _ => RegistrationDate(random, birthDate),
        };
        SimulatedLicence? licence = profile.Licence == LicenceShape.Unregistered
            ? null
            : new SimulatedLicence(
                uscc,
                entityName,
                profile.EntityType,
                name,
                idNumber,
                registrationDate,
                businessAddress,
                LuoyangData.StatusOperating);

        var subsidyCategory = Pick(random, LuoyangData.SubsidyCategories);
        string? cardNumber = profile.HasCard ? Unique(cardNumbers, () => region.CardPrefix + Digits(random, 7)) : null;
        var photoReceiptNo = Unique(photoReceipts, () => region.CityCode + Digits(random, 12));
        var bank = Pick(random, region.Banks);
        var accountNumber = Unique(accounts, () => WithLuhnDigit(bank.Bin + Digits(random, 12)));

        return new SimulatedPerson(
            name,
            idNumber,
            male ? "1" : "2",
            ethnicity,
            birthDate,
            mobile,
            home.Street.Code,
            residenceAddress,
            uscc,
            entityName,
            licence,
            subsidyCategory,
            profile.HasCard,
            cardNumber,
            photoReceiptNo,
            profile.InsuredByEmployer,
            bank.Name,
            accountNumber,
            UnitType: profile.EntityType,
            HasEmploymentCertificate: false,
            StartupCategoryBaotou: null,
            DifficultyCategory: null,
            // Three years with an employer; the scenarios that need another figure set it.
            UnemploymentInsuranceMonths: profile.InsuredByEmployer ? 36 : 0,
            StudentCategory: null,
            HasJiangsuCard: false,
            // Cards are issued with the person's bank account as their financial account.
            CardAccount: profile.HasCard ? accountNumber : null);
    }

    private DateOnly RegistrationDate(Random random, DateOnly birthDate)
    {
        // 2..6 years before today, and never before the operator turned 18 (ages are 22 or more, so the range is never empty).
        var earliest = Max(today.AddYears(-6), birthDate.AddYears(18));
        var latest = today.AddYears(-2);
        return DateOnly.FromDayNumber(random.Next(earliest.DayNumber, latest.DayNumber + 1));
    }

    private string EntityName(Random random, Region region, District district)
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var brand = random.Next(3) == 0
                ? Pick(random, LuoyangData.Surnames) + "记" + Pick(random, region.BrandNames)
                : Pick(random, region.BrandNames);
            var candidate = $"{district.City}{district.Name}{brand}{Pick(random, LuoyangData.Trades)}";
            if (entityNames.Add(candidate))
            {
                return candidate;
            }
        }

        // Very large populations run out of combinations; a branch number keeps names unique.
        var fallback = string.Create(
            CultureInfo.InvariantCulture,
            $"{district.City}{district.Name}{Pick(random, region.BrandNames)}{Pick(random, LuoyangData.Trades)}（{entityNames.Count + 1}号店）");
        entityNames.Add(fallback);
        return fallback;
    }

    private static string OrganisationCode(Random random)
    {
        // Individual businesses' organisation codes here start with a digit or letter of the USCC alphabet;
        // the 9th character is the code's own GB 11714 check character.
        var body = new StringBuilder(8);
        for (var i = 0; i < 8; i++)
        {
            body.Append(random.Next(4) == 0
                ? UnifiedSocialCreditCode.Alphabet[random.Next(10, UnifiedSocialCreditCode.Alphabet.Length)]
                : (char)('0' + random.Next(10)));
        }

        var first8 = body.ToString();
        return first8 + UnifiedSocialCreditCode.OrganisationCodeCheckCharacter(first8);
    }

    private static string GivenName(Random random, bool male)
    {
        var pool = male ? LuoyangData.MaleGivenCharacters : LuoyangData.FemaleGivenCharacters;
        return random.Next(3) == 0 ? Pick(random, pool) : Pick(random, pool) + Pick(random, pool);
    }

    private static string Ethnicity(Random random) => random.Next(100) switch
    {
        < 90 => "汉族",
        < 96 => "回族",
        < 98 => "满族",
        < 99 => "蒙古族",
        _ => "壮族",
    };

    private static T Pick<T>(Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];

    private static string Digits(Random random, int count)
    {
        var chars = new char[count];
        for (var i = 0; i < count; i++)
        {
            chars[i] = (char)('0' + random.Next(10));
        }

        return new string(chars);
    }

    private static string WithLuhnDigit(string payload)
    {
        var sum = 0;
        for (var i = 0; i < payload.Length; i++)
        {
            var digit = payload[payload.Length - 1 - i] - '0';
            if (i % 2 == 0)
            {
                digit *= 2;
                if (digit > 9)
                {
                    digit -= 9;
                }
            }

            sum += digit;
        }

        return payload + (char)('0' + ((10 - (sum % 10)) % 10));
    }

    private static string Unique(HashSet<string> taken, Func<string> draw)
    {
        while (true)
        {
            var candidate = draw();
            if (taken.Add(candidate))
            {
                return candidate;
            }
        }
    }

    private static DateOnly Max(DateOnly a, DateOnly b) => a > b ? a : b;

    /// <summary>How a person is drawn: where they live, their business, card, insurance and (when fixed) age.</summary>
    /// <param name="EntityType">The type of their business (and of its licence when registered); empty for none.</param>
    /// <param name="Age">A fixed age; null draws 22..50.</param>
    private sealed record Profile(
        Region Region,
        LicenceShape Licence,
        string EntityType,
        bool HasCard = false,
        bool InsuredByEmployer = false,
        int? Age = null);
}
