using System.Text.RegularExpressions;

namespace OneThing.Adapters.Internal;

/// <summary>
/// Masks personal data (ID numbers, phones, accounts) before it reaches a log line, a trace or an
/// exception message: those outlive the exchange and are read by people who must not see it.
/// </summary>
internal static partial class PersonalData
{
    /// <summary>Keeps the first 3 and last 2 characters, e.g. <c>410***********123X</c> → <c>410*************3X</c>.</summary>
    public static string Mask(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }

        return value.Length <= 5
            ? new string('*', value.Length)
            : string.Concat(value.AsSpan(0, 3), new string('*', value.Length - 5), value.AsSpan(value.Length - 2));
    }

    /// <summary>
    /// Masks every run of 11 or more digits (optionally ending in X) in free text such as a
    /// department's error message, which may quote the ID number, phone or account it refused.
    /// </summary>
    public static string Redact(string? text) =>
        string.IsNullOrEmpty(text) ? string.Empty : LongNumber().Replace(text, match => Mask(match.Value));

    [GeneratedRegex(@"\d{11,}[Xx]?", RegexOptions.CultureInvariant)]
    private static partial Regex LongNumber();
}
