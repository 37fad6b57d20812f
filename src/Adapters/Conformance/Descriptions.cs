using System.Globalization;
using System.Text.RegularExpressions;

namespace OneThing.Adapters.Conformance;

/// <summary>Describes outcomes, failures and submissions in one line each, the same way every time.</summary>
internal static partial class Descriptions
{
    /// <summary>A canonical description: equal descriptions mean equal outcomes (result keys and reasons in order).</summary>
    public static string Outcome(ItemOutcome outcome) => outcome switch
    {
        ItemOutcome.Completed c => $"Completed(case {c.CaseNumber}, result {Values(c.Result)}{(c.Opinion is null ? string.Empty : $", opinion {c.Opinion}")})",
        ItemOutcome.Accepted a => $"Accepted(case {a.CaseNumber}{(a.Stage is null ? string.Empty : $", stage {a.Stage}")})",
        ItemOutcome.Returned r => $"Returned(case {r.CaseNumber ?? "none"}, reasons {Reasons(r.Reasons)})",
        ItemOutcome.Rejected r => $"Rejected(case {r.CaseNumber ?? "none"}, reasons {Reasons(r.Reasons)})",
        ItemOutcome.Deferred d => $"Deferred(case {d.CaseNumber ?? "none"}, eligible on {d.EligibleOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}, reasons {Reasons(d.Reasons)})",
        _ => outcome.ToString(),
    };

    public static string Kind(ItemOutcome outcome) => outcome switch
    {
        ItemOutcome.Completed => "Completed",
        ItemOutcome.Accepted => "Accepted",
        ItemOutcome.Returned => "Returned",
        ItemOutcome.Rejected => "Rejected",
        ItemOutcome.Deferred => "Deferred",
        _ => outcome.GetType().Name,
    };

    public static string Failure(Exception exception) => $"threw {exception.GetType().Name}: {exception.Message}";

    /// <summary>The case's input, with the applicant's ID number masked.</summary>
    public static string Input(ItemSubmission submission, string? faults = null)
    {
        var applicant = submission.Applicant;
        var upstream = submission.Upstream.Count == 0
            ? "none"
            : string.Join("; ", submission.Upstream.Select(u => $"{u.Key} {Values(u.Value)}"));
        return $"item {submission.ItemCode}, idempotency key {submission.IdempotencyKey}, applicant {applicant.Name} (ID {Mask(applicant.IdNumber)}), "
            + $"fields {Values(submission.Fields)}, upstream {upstream}{(faults is null ? string.Empty : $", faults: {faults}")}";
    }

    public static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.0##", CultureInfo.InvariantCulture) + " s";

    /// <summary>Whether a text has a Chinese character: what a citizen reads is in Chinese.</summary>
    public static bool IsChinese(string text) => Chinese().IsMatch(text);

    private static string Values(IEnumerable<KeyValuePair<string, string>> values) =>
        "{" + string.Join(", ", values.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}")) + "}";

    private static string Reasons(IReadOnlyList<OutcomeReason> reasons) =>
        "[" + string.Join("; ", reasons.Select(r => $"{r.Code}{(r.Field is null ? string.Empty : $" on {r.Field}")}: {r.Message}")) + "]";

    private static string Mask(string idNumber) =>
        idNumber.Length <= 8 ? new string('*', idNumber.Length) : idNumber[..6] + new string('*', idNumber.Length - 10) + idNumber[^4..];

    [GeneratedRegex(@"\p{IsCJKUnifiedIdeographs}")]
    private static partial Regex Chinese();
}
