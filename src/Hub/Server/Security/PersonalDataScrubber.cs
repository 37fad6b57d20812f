using System.Text.RegularExpressions;

namespace OneThing.Hub.Security;

/// <summary>
/// Masks identity numbers, mobile numbers and account numbers found in free text (error messages,
/// reasons, comments, file names, URLs) before the text is stored, logged or traced.
/// </summary>
public static partial class PersonalDataScrubber
{
    /// <summary>The text with every identity, mobile and account number masked (as <see cref="PersonalDataMask"/> does); null stays null.</summary>
    public static string? Scrub(string? text)
    {
        if (string.IsNullOrEmpty(text) || !HasDigitRun().IsMatch(text))
        {
            return text;
        }

        text = IdNumber().Replace(text, m => PersonalDataMask.IdNumber(m.Value));
        text = Mobile().Replace(text, m => PersonalDataMask.Mobile(m.Value));
        return Account().Replace(text, m => PersonalDataMask.Account(m.Value));
    }

    [GeneratedRegex(@"\d{11}")]
    private static partial Regex HasDigitRun();

    // 18-character resident ID (last may be X), not inside a longer token.
    [GeneratedRegex(@"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")]
    private static partial Regex IdNumber();

    [GeneratedRegex(@"(?<!\d)1[3-9]\d{9}(?!\d)")]
    private static partial Regex Mobile();

    // Bank and card accounts, and 15-digit first-generation IDs.
    [GeneratedRegex(@"(?<!\d)\d{12,19}(?!\d)")]
    private static partial Regex Account();
}
