using System.Globalization;
using OneThing.Hub.V1;

namespace OneThing.WebConsole.Internal;

/// <summary>
/// What a resident ID number (GB 11643) itself says: whether its check character is right, the holder's sex
/// and birth date. The console uses it to find the applicant at the window before the hub validates everything.
/// </summary>
public static class ResidentIdentity
{
    private static readonly int[] Weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    private const string CheckCharacters = "10X98765432";

    /// <summary>Whether the number has 17 digits and the right check character.</summary>
    public static bool IsWellFormed(string number)
    {
        if (number.Length != 18 || !number[..17].All(char.IsAsciiDigit))
        {
            return false;
        }

        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            sum += (number[i] - '0') * Weights[i];
        }

        return char.ToUpperInvariant(number[17]) == CheckCharacters[sum % 11];
    }

    /// <summary>The sex the number encodes (odd 17th digit: male); unspecified when the number is malformed.</summary>
    public static Sex SexOf(string number) =>
        IsWellFormed(number) ? ((number[16] - '0') % 2 == 1 ? Sex.Male : Sex.Female) : Sex.Unspecified;

    /// <summary>The birth date the number encodes; null when it is malformed or no real date.</summary>
    public static DateOnly? BirthDateOf(string number) =>
        IsWellFormed(number) && DateOnly.TryParseExact(number.AsSpan(6, 8), "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : null;
}
