using System.Globalization;

namespace OneThing.Adapters.Conformance;

/// <summary>The outcome of one conformance check.</summary>
/// <param name="Name">A stable name, e.g. <c>outcome.rejected.card-already-held</c> or <c>idempotency.same-key-twice</c>.</param>
/// <param name="Description">What the check verifies, in one sentence.</param>
/// <param name="Passed">Whether the adapter behaved as the contract requires.</param>
/// <param name="Expected">What the contract requires here.</param>
/// <param name="Actual">What the adapter (and the department behind it) did.</param>
/// <param name="Problem">For a failed check: the precise requirement that was broken; null when passed.</param>
/// <param name="Input">The case's input: item, idempotency key, applicant (ID masked), form fields, upstream results, faults.</param>
/// <param name="Duration">How long the check took.</param>
public sealed record ConformanceCheck(
    string Name,
    string Description,
    bool Passed,
    string Expected,
    string Actual,
    string? Problem,
    string Input,
    TimeSpan Duration)
{
    /// <summary>One line saying what happened: the actual behaviour when passed, else the problem with expected and actual.</summary>
    public string Message => Passed
        ? Actual
        : string.Create(CultureInfo.InvariantCulture, $"{Problem} (expected: {Expected}; actual: {Actual})");
}

/// <summary>Every check the suite ran against one adapter, in order.</summary>
/// <param name="Department">The department whose simulator answered.</param>
/// <param name="Adapter">Which adapter ran, e.g. its type or the gateway address.</param>
/// <param name="Checks">The checks, in the order they ran.</param>
/// <param name="Duration">How long the whole run took.</param>
public sealed record ConformanceReport(Department Department, string Adapter, IReadOnlyList<ConformanceCheck> Checks, TimeSpan Duration)
{
    /// <summary>Whether every check passed (and there was at least one).</summary>
    public bool Passed => Checks.Count > 0 && Checks.All(c => c.Passed);

    /// <summary>The failed checks.</summary>
    public IReadOnlyList<ConformanceCheck> Failures => [.. Checks.Where(c => !c.Passed)];

    /// <summary>Finds a check by its stable name.</summary>
    /// <exception cref="KeyNotFoundException">No check has that name.</exception>
    public ConformanceCheck this[string name] =>
        Checks.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.Ordinal))
        ?? throw new KeyNotFoundException($"The report has no check named '{name}'. Checks: {string.Join(", ", Checks.Select(c => c.Name))}.");

    /// <summary>Renders the report: one line per check (✓/✗), details under a failed one, then a summary line.</summary>
    /// <param name="verbose">Also print what happened under each passed check.</param>
    public string ToText(bool verbose = false)
    {
        var text = new System.Text.StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Conformance of {Adapter} for {Department.ToName()}");
        var width = Checks.Count == 0 ? 0 : Checks.Max(c => c.Name.Length);
        foreach (var check in Checks)
        {
            var seconds = check.Duration.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture);
            text.AppendLine(CultureInfo.InvariantCulture, $"{(check.Passed ? "✓" : "✗")} {check.Name.PadRight(width)}  {seconds,6} s  {check.Description}");
            if (check.Passed && verbose)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"      {check.Actual}");
            }
            else if (!check.Passed)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"      problem:  {check.Problem}");
                text.AppendLine(CultureInfo.InvariantCulture, $"      expected: {check.Expected}");
                text.AppendLine(CultureInfo.InvariantCulture, $"      actual:   {check.Actual}");
                text.AppendLine(CultureInfo.InvariantCulture, $"      input:    {check.Input}");
            }
        }

        var failed = Checks.Count(c => !c.Passed);
        var total = Duration.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture);
        text.Append(CultureInfo.InvariantCulture, $"{Department.ToName()}: {Checks.Count} checks, {Checks.Count - failed} passed, {failed} failed in {total} s — ");
        text.Append(Passed ? "CONFORMANT" : "NOT CONFORMANT");
        return text.ToString();
    }
}
