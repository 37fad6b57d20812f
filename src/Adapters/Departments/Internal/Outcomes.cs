namespace OneThing.Adapters.Internal;

/// <summary>Small builders shared by the adapters' mappings.</summary>
internal static class Outcomes
{
    public static ItemOutcome.Returned Returned(string? caseNumber, OutcomeReason reason) => new(NullIfEmpty(caseNumber), [reason]);

    public static ItemOutcome.Rejected Rejected(string? caseNumber, OutcomeReason reason) => new(NullIfEmpty(caseNumber), [reason]);

    /// <summary>A result dictionary with the values the department gave; an empty value is left out.</summary>
    public static IReadOnlyDictionary<string, string> Result(params ReadOnlySpan<(string Key, string? Value)> values)
    {
        var result = new Dictionary<string, string>(values.Length, StringComparer.Ordinal);
        foreach (var (key, value) in values)
        {
            if (!string.IsNullOrEmpty(value))
            {
                result[key] = value;
            }
        }

        return result;
    }

    public static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    /// <summary>Throws when an item code is not one of the adapter's: the hub routed it wrongly.</summary>
    public static void EnsureCarried(IReadOnlyCollection<string> itemCodes, string itemCode, Department department)
    {
        if (!itemCodes.Contains(itemCode))
        {
            throw new ArgumentException(
                $"Item '{itemCode}' is not carried by the {department.ToName()} adapter (it carries {string.Join(", ", itemCodes)}).",
                nameof(itemCode));
        }
    }

    /// <summary>The verified licence a dependent item needs; the hub starts dependants only after it succeeded.</summary>
    public static IReadOnlyDictionary<string, string> RequireLicence(ItemSubmission submission)
    {
        if (!submission.Upstream.TryGetValue(CatalogItems.LicenceVerification, out var licence))
        {
            throw new ArgumentException(
                $"Item '{submission.ItemCode}' needs the verified licence under Upstream[\"{CatalogItems.LicenceVerification}\"]; the submission has none.",
                nameof(submission));
        }

        return licence;
    }

    public static string? Value(this IReadOnlyDictionary<string, string>? values, string key) =>
        values is not null && values.TryGetValue(key, out var value) && value.Length > 0 ? value : null;
}
