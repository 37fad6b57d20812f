using System.Globalization;

namespace OneThing.Hub.Domain.Validation;

/// <summary>Checks resident identity numbers (GB 11643-1999).</summary>
public static class ResidentIdNumber
{
    private static readonly int[] Weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    private const string CheckCharacters = "10X98765432";

    /// <summary>Computes the check character for the first 17 digits.</summary>
    public static char CheckCharacter(ReadOnlySpan<char> first17)
    {
        if (first17.Length != 17)
        {
            throw new ArgumentException("a resident ID number has 17 digits before its check character", nameof(first17));
        }

        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            var c = first17[i];
            if (c is < '0' or > '9')
            {
                throw new ArgumentException("the first 17 characters must be digits", nameof(first17));
            }

            sum += (c - '0') * Weights[i];
        }

        return CheckCharacters[sum % 11];
    }

    /// <summary>
    /// Checks a resident ID number: 18 characters, 17 digits then a digit or X, a plausible region,
    /// a real birth date not after <paramref name="today"/>, and the check character.
    /// </summary>
    public static IdNumberCheck Check(string? value, DateOnly today)
    {
        if (string.IsNullOrEmpty(value))
        {
            return IdNumberCheck.Missing;
        }

        if (value.Length != 18)
        {
            return IdNumberCheck.WrongLength;
        }

        for (var i = 0; i < 17; i++)
        {
            if (!char.IsAsciiDigit(value[i]))
            {
                return IdNumberCheck.BadCharacters;
            }
        }

        var last = char.ToUpperInvariant(value[17]);
        if (!char.IsAsciiDigit(last) && last != 'X')
        {
            return IdNumberCheck.BadCharacters;
        }

        var province = int.Parse(value.AsSpan(0, 2), CultureInfo.InvariantCulture);
        if (province is < 11 or > 91)
        {
            return IdNumberCheck.UnknownRegion;
        }

        if (BirthDate(value) is not { } birth || birth > today || birth.Year < 1900)
        {
            return IdNumberCheck.BadBirthDate;
        }

        return CheckCharacter(value.AsSpan(0, 17)) == last ? IdNumberCheck.Valid : IdNumberCheck.WrongCheckCharacter;
    }

    /// <summary>Reads the birth date from characters 7–14, or null if they are not a date.</summary>
    public static DateOnly? BirthDate(string value) =>
        value.Length >= 14 && DateOnly.TryParseExact(value.AsSpan(6, 8), "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? d
            : null;

    /// <summary>Whether the sequence digit (17th character) says male (odd) or female (even).</summary>
    public static bool IsMale(string value) => (value[16] - '0') % 2 == 1;
}

/// <summary>The result of checking an identity number.</summary>
public enum IdNumberCheck
{
    /// <summary>The number is valid.</summary>
    Valid,

    /// <summary>No number was given.</summary>
    Missing,

    /// <summary>Not 18 characters.</summary>
    WrongLength,

    /// <summary>Characters other than digits (and a final X).</summary>
    BadCharacters,

    /// <summary>The province part is not a Chinese province.</summary>
    UnknownRegion,

    /// <summary>The birth date part is not a real past date.</summary>
    BadBirthDate,

    /// <summary>The check character does not match.</summary>
    WrongCheckCharacter,
}

/// <summary>Checks unified social credit codes (GB 32100-2015).</summary>
public static class UnifiedSocialCreditCode
{
    /// <summary>The 31 characters a USCC may use (no I, O, S, V, Z).</summary>
    public const string Alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";

    private static readonly int[] Weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

    /// <summary>Computes the check character for the first 17 characters.</summary>
    public static char CheckCharacter(ReadOnlySpan<char> first17)
    {
        if (first17.Length != 17)
        {
            throw new ArgumentException("a USCC has 17 characters before its check character", nameof(first17));
        }

        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            var value = Alphabet.IndexOf(first17[i], StringComparison.Ordinal);
            if (value < 0)
            {
                throw new ArgumentException($"'{first17[i]}' is not a USCC character", nameof(first17));
            }

            sum += value * Weights[i];
        }

        var check = 31 - (sum % 31);
        return Alphabet[check == 31 ? 0 : check];
    }

    /// <summary>Whether the value is an 18-character USCC with a correct check character.</summary>
    public static bool IsValid(string? value)
    {
        if (value is null || value.Length != 18)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!Alphabet.Contains(c, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return CheckCharacter(value.AsSpan(0, 17)) == value[17];
    }
}
