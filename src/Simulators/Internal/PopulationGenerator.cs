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
        Established,
        Recent,
        NoEmployees,
        Unregistered,
    }

    public ScenarioPeople CreateScenarioPeople()
    {
        // A stream of its own (a fixed odd offset from the seed) keeps scenario people independent of the bulk size.
        var random = new Random(unchecked((seed * 31) + 0x5CE7));
        return new ScenarioPeople(
            Ready: NextPerson(random, LicenceShape.Established, hasCard: false, insuredByEmployer: false),
            NoLicence: NextPerson(random, LicenceShape.Unregistered, hasCard: false, insuredByEmployer: false),
            RecentLicence: NextPerson(random, LicenceShape.Recent, hasCard: false, insuredByEmployer: false),
            NoEmployeeUnit: NextPerson(random, LicenceShape.NoEmployees, hasCard: false, insuredByEmployer: false),
            ExistingCard: NextPerson(random, LicenceShape.Established, hasCard: true, insuredByEmployer: false),
            InsuredByEmployer: NextPerson(random, LicenceShape.Established, hasCard: false, insuredByEmployer: true));
    }

    public SimulatedPerson[] CreateBulkPeople(int size)
    {
        var random = new Random(seed);
        var people = new SimulatedPerson[size];
        for (var i = 0; i < size; i++)
        {
            people[i] = NextPerson(random, LicenceShape.Established, hasCard: false, insuredByEmployer: false);
        }

        return people;
    }

    private SimulatedPerson NextPerson(Random random, LicenceShape shape, bool hasCard, bool insuredByEmployer)
    {
        var male = random.Next(2) == 0;
        var name = Pick(random, LuoyangData.Surnames) + GivenName(random, male);
        var residence = Pick(random, LuoyangData.Districts);

        var age = random.Next(22, 51);
        // Between 0 and 364 days before the last birthday keeps the age exactly `age` at `today`.
        var birthDate = today.AddYears(-age).AddDays(-random.Next(0, 365));
        var idNumber = Unique(idNumbers, () =>
        {
            var sequence = male ? (2 * random.Next(0, 500)) + 1 : (2 * random.Next(0, 499)) + 2;
            return ResidentIdNumber.Create(residence.Code, birthDate, sequence);
        });

        var ethnicity = Ethnicity(random);
        var mobile = Pick(random, LuoyangData.MobilePrefixes) + Digits(random, 8);
        var residenceAddress = string.Create(
            CultureInfo.InvariantCulture,
            $"河南省洛阳市{residence.Name}{Pick(random, residence.Roads)}{random.Next(1, 300)}号院{random.Next(1, 20)}号楼{random.Next(1, 6)}单元{random.Next(1, 25)}0{random.Next(1, 5)}室");

        var business = Pick(random, LuoyangData.Districts);
        var uscc = Unique(usccs, () => UnifiedSocialCreditCode.Create(
            UnifiedSocialCreditCode.IndividualBusinessAuthority, business.Code, OrganisationCode(random)));
        var entityName = EntityName(random, business);
        var businessAddress = string.Create(
            CultureInfo.InvariantCulture, $"河南省洛阳市{business.Name}{Pick(random, business.Roads)}{random.Next(1, 500)}号");

        var registrationDate = shape switch
        {
            LicenceShape.Recent => today.AddDays(-60),
            _ => RegistrationDate(random, birthDate),
        };
        SimulatedLicence? licence = shape == LicenceShape.Unregistered
            ? null
            : new SimulatedLicence(
                uscc,
                entityName,
                shape == LicenceShape.NoEmployees ? LuoyangData.EntityTypeNoEmployees : LuoyangData.EntityTypeIndividual,
                name,
                idNumber,
                registrationDate,
                businessAddress,
                LuoyangData.StatusOperating);

        var subsidyCategory = Pick(random, LuoyangData.SubsidyCategories);
        string? cardNumber = hasCard ? Unique(cardNumbers, () => "HA" + Digits(random, 7)) : null;
        var photoReceiptNo = Unique(photoReceipts, () => "4103" + Digits(random, 12));
        var bank = Pick(random, LuoyangData.Banks);
        var accountNumber = Unique(accounts, () => WithLuhnDigit(bank.Bin + Digits(random, 12)));

        return new SimulatedPerson(
            name,
            idNumber,
            male ? "1" : "2",
            ethnicity,
            birthDate,
            mobile,
            residence.Code,
            residenceAddress,
            uscc,
            entityName,
            licence,
            subsidyCategory,
            hasCard,
            cardNumber,
            photoReceiptNo,
            insuredByEmployer,
            bank.Name,
            accountNumber);
    }

    private DateOnly RegistrationDate(Random random, DateOnly birthDate)
    {
        // 2..6 years before today, and never before the operator turned 18 (ages are 22 or more, so the range is never empty).
        var earliest = Max(today.AddYears(-6), birthDate.AddYears(18));
        var latest = today.AddYears(-2);
        return DateOnly.FromDayNumber(random.Next(earliest.DayNumber, latest.DayNumber + 1));
    }

    private string EntityName(Random random, LuoyangData.District district)
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var brand = random.Next(3) == 0
                ? Pick(random, LuoyangData.Surnames) + "记" + Pick(random, LuoyangData.BrandNames)
                : Pick(random, LuoyangData.BrandNames);
            var candidate = $"洛阳市{district.Name}{brand}{Pick(random, LuoyangData.Trades)}";
            if (entityNames.Add(candidate))
            {
                return candidate;
            }
        }

        // Very large populations run out of combinations; a branch number keeps names unique.
        var fallback = string.Create(
            CultureInfo.InvariantCulture,
            $"洛阳市{district.Name}{Pick(random, LuoyangData.BrandNames)}{Pick(random, LuoyangData.Trades)}（{entityNames.Count + 1}号店）");
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
}
