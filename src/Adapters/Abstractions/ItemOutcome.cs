namespace OneThing.Adapters;

/// <summary>What a department answered for one item.</summary>
public abstract record ItemOutcome
{
    private ItemOutcome()
    {
    }

    /// <summary>The department's case number, when it gave one.</summary>
    public abstract string? CaseNumber { get; }

    /// <summary>The department completed the item and granted it (办结).</summary>
    /// <param name="CaseNumber">The department's case number.</param>
    /// <param name="Result">What the department produced, keyed by stable result keys
    /// (e.g. <c>certificate_number</c>); flows to dependent items and to the applicant.</param>
    /// <param name="Opinion">The department's opinion (办结意见), if any.</param>
    public sealed record Completed(string CaseNumber, IReadOnlyDictionary<string, string> Result, string? Opinion = null) : ItemOutcome
    {
        /// <inheritdoc />
        public override string? CaseNumber { get; } = CaseNumber;
    }

    /// <summary>The department accepted the item and works on it (办理中); its result comes later.</summary>
    /// <param name="CaseNumber">The department's case number, used to ask for the result.</param>
    /// <param name="Stage">Where the case is in the department's own review, in Chinese, for a
    /// multi-stage review (e.g. 学校审核通过，人社初审中); null when the department does not say.
    /// The hub records each new stage in the item's history.</param>
    public sealed record Accepted(string CaseNumber, string? Stage = null) : ItemOutcome
    {
        /// <inheritdoc />
        public override string? CaseNumber { get; } = CaseNumber;
    }

    /// <summary>The department returned the item for correction (退回); the reasons say what to fix.</summary>
    public sealed record Returned(string? CaseNumber, IReadOnlyList<OutcomeReason> Reasons) : ItemOutcome
    {
        /// <inheritdoc />
        public override string? CaseNumber { get; } = CaseNumber;
    }

    /// <summary>The department refused the item (不予办理); final.</summary>
    public sealed record Rejected(string? CaseNumber, IReadOnlyList<OutcomeReason> Reasons) : ItemOutcome
    {
        /// <inheritdoc />
        public override string? CaseNumber { get; } = CaseNumber;
    }

    /// <summary>
    /// The applicant is not yet eligible but will be on <paramref name="EligibleOn"/>; the hub reminds
    /// the applicant then (e.g. Luoyang's startup subsidy before one year of operation).
    /// </summary>
    public sealed record Deferred(string? CaseNumber, DateOnly EligibleOn, IReadOnlyList<OutcomeReason> Reasons) : ItemOutcome
    {
        /// <inheritdoc />
        public override string? CaseNumber { get; } = CaseNumber;
    }
}

/// <summary>Why a department returned, refused or deferred an item.</summary>
/// <param name="Code">A stable machine-readable code, e.g. <c>LICENCE_NOT_FOUND</c>.</param>
/// <param name="Message">What a citizen or clerk reads, in Chinese.</param>
/// <param name="Field">The form field the reason is about, when there is one.</param>
public sealed record OutcomeReason(string Code, string Message, string? Field = null);
