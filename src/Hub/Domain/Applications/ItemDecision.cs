namespace OneThing.Hub.Domain.Applications;

/// <summary>What a department decided about an item, in the domain's own terms.</summary>
public abstract record ItemDecision
{
    private ItemDecision()
    {
    }

    /// <summary>The department's case number, when it gave one.</summary>
    public abstract string? CaseNumber { get; }

    /// <summary>Completed and granted.</summary>
    public sealed record Completed(string Case, IReadOnlyDictionary<string, string> Result, string? Opinion) : ItemDecision
    {
        /// <inheritdoc />
        public override string? CaseNumber => Case;
    }

    /// <summary>Accepted; the result comes later. <paramref name="Stage"/> says where a multi-stage review is.</summary>
    public sealed record Accepted(string Case, string? Stage = null) : ItemDecision
    {
        /// <inheritdoc />
        public override string? CaseNumber => Case;
    }

    /// <summary>Returned for correction.</summary>
    public sealed record Returned(string? Case, IReadOnlyList<ItemReason> Reasons) : ItemDecision
    {
        /// <inheritdoc />
        public override string? CaseNumber => Case;
    }

    /// <summary>Refused.</summary>
    public sealed record Rejected(string? Case, IReadOnlyList<ItemReason> Reasons) : ItemDecision
    {
        /// <inheritdoc />
        public override string? CaseNumber => Case;
    }

    /// <summary>Not yet eligible; eligible from <paramref name="EligibleOn"/>.</summary>
    public sealed record Deferred(string? Case, DateOnly EligibleOn, IReadOnlyList<ItemReason> Reasons) : ItemDecision
    {
        /// <inheritdoc />
        public override string? CaseNumber => Case;
    }
}

/// <summary>Why an item ended as it did.</summary>
/// <param name="Code">Stable machine-readable code.</param>
/// <param name="Message">Explanation in Chinese.</param>
/// <param name="Field">The form field concerned, if any.</param>
public sealed record ItemReason(string Code, string Message, string? Field = null);

/// <summary>One step of an item's history.</summary>
/// <param name="At">When.</param>
/// <param name="State">The state after the step.</param>
/// <param name="Description">What happened, in Chinese.</param>
/// <param name="CorrectionRequestId">
/// For the step where the applicant resubmitted a returned item: the caller's request id, which makes
/// that resubmission idempotent.
/// </param>
public sealed record ItemEvent(DateTimeOffset At, ItemState State, string Description, string? CorrectionRequestId = null);
