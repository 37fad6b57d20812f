using System.Globalization;

namespace OneThing.Simulators;

/// <summary>
/// Builds and checks 18-character resident ID numbers (公民身份号码) under GB 11643: a 6-digit
/// administrative division code, the birth date (yyyyMMdd), a 3-digit sequence whose parity gives
/// the sex (odd male, even female) and an ISO 7064 MOD 11-2 check character.
/// </summary>
public static class ResidentIdNumber
{
    private static readonly int[] Weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    private const string CheckCharacters = "10X98765432";

    /// <summary>Creates a valid ID number for a 6-digit division code, a birth date and a sequence 0..999 (odd = male).</summary>
    /// <exception cref="ArgumentException">The division code is not 6 digits.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The sequence is outside 0..999 or the birth year has not 4 digits.</exception>
    public static string Create(string divisionCode6, DateOnly birthDate, int sequence3)
    {
        ArgumentNullException.ThrowIfNull(divisionCode6);
        if (divisionCode6.Length != 6 || !divisionCode6.All(char.IsAsciiDigit))
        {
            throw new ArgumentException("The division code must be 6 digits.", nameof(divisionCode6));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(sequence3);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(sequence3, 999);
        if (birthDate.Year < 1000)
        {
            throw new ArgumentOutOfRangeException(nameof(birthDate), birthDate, "The birth year must have 4 digits.");
        }

        var first17 = string.Concat(
            divisionCode6,
            birthDate.ToString("yyyyMMdd", CultureInfo.InvariantCulture),
            sequence3.ToString("D3", CultureInfo.InvariantCulture));
        return first17 + CheckDigit(first17);
    }

    /// <summary>Computes the check character ('0'..'9' or 'X') of the first 17 digits.</summary>
    /// <exception cref="ArgumentException">The input is not exactly 17 ASCII digits.</exception>
    public static char CheckDigit(string first17)
    {
        ArgumentNullException.ThrowIfNull(first17);
        if (first17.Length != 17)
        {
            throw new ArgumentException("Exactly 17 digits are needed.", nameof(first17));
        }

        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            var c = first17[i];
            if (!char.IsAsciiDigit(c))
            {
                throw new ArgumentException($"Character {i + 1} is not a digit.", nameof(first17));
            }

            sum += (c - '0') * Weights[i];
        }

        return CheckCharacters[sum % 11];
    }

    /// <summary>Tells whether a string is a well-formed ID number with a correct check character and a real birth date.</summary>
    public static bool IsValid(string? idNumber)
    {
        if (idNumber is null || idNumber.Length != 18 || idNumber.AsSpan(0, 17).ContainsAnyExceptInRange('0', '9'))
        {
            return false;
        }

        if (!DateOnly.TryParseExact(idNumber.AsSpan(6, 8), "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            return false;
        }

        return CheckDigit(idNumber[..17]) == idNumber[17];
    }

    /// <summary>Reads the sex code ("1" male, "2" female) from the sequence digit of a valid ID number.</summary>
    /// <exception cref="ArgumentException">The ID number is not valid.</exception>
    public static string SexCode(string idNumber)
    {
        if (!IsValid(idNumber))
        {
            throw new ArgumentException("Not a valid resident ID number.", nameof(idNumber));
        }

        return (idNumber[16] - '0') % 2 == 1 ? "1" : "2";
    }

    /// <summary>Reads the birth date of a valid ID number.</summary>
    /// <exception cref="ArgumentException">The ID number is not valid.</exception>
    public static DateOnly BirthDate(string idNumber)
    {
        if (!IsValid(idNumber))
        {
            throw new ArgumentException("Not a valid resident ID number.", nameof(idNumber));
        }

        return DateOnly.ParseExact(idNumber.AsSpan(6, 8), "yyyyMMdd", CultureInfo.InvariantCulture);
    }
}
