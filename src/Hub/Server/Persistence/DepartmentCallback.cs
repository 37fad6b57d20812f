namespace OneThing.Hub.Persistence;

/// <summary>What the hub did with a department callback.</summary>
public enum CallbackDisposition
{
    /// <summary>It changed the item.</summary>
    Applied = 1,

    /// <summary>A callback with a higher sequence for the same case came first; ignored.</summary>
    OutOfOrder = 2,

    /// <summary>The item already had its result; ignored.</summary>
    AlreadyDecided = 3,

    /// <summary>It said nothing new about an item still being handled; ignored.</summary>
    NoChange = 4,

    /// <summary>No item has its idempotency key; refused with NOT_FOUND.</summary>
    UnknownItem = 5,

    /// <summary>The item belongs to another department; refused.</summary>
    DepartmentMismatch = 6,

    /// <summary>The hub knows the item under another case number; refused.</summary>
    CaseNumberMismatch = 7,
}

/// <summary>
/// One callback a department sent, kept whatever became of it. The unique key on (department, case
/// number, sequence) is what deduplicates: a repeated callback finds its row and changes nothing but
/// <see cref="DuplicateCount"/>.
/// </summary>
public sealed class DepartmentCallback
{
    /// <summary>The row id.</summary>
    public long Id { get; set; }

    /// <summary>The reporting department's stable name.</summary>
    public required string Department { get; set; }

    /// <summary>The department's case number.</summary>
    public required string CaseNumber { get; set; }

    /// <summary>The report's number within the case.</summary>
    public long Sequence { get; set; }

    /// <summary>The idempotency key (the item's submission id) the department gave.</summary>
    public required string IdempotencyKey { get; set; }

    /// <summary>The application, when the key was known.</summary>
    public string? ApplicationId { get; set; }

    /// <summary>The item, when the key was known.</summary>
    public string? ItemCode { get; set; }

    /// <summary>The kind of outcome reported (COMPLETED, IN_PROGRESS, ...).</summary>
    public required string OutcomeKind { get; set; }

    /// <summary>The outcome as received, as JSON.</summary>
    public required string OutcomeJson { get; set; }

    /// <summary>When the department says it sent the callback, if it said.</summary>
    public DateTimeOffset? SentAt { get; set; }

    /// <summary>When the hub received it.</summary>
    public DateTimeOffset ReceivedAt { get; set; }

    /// <summary>What the hub did with it.</summary>
    public CallbackDisposition Disposition { get; set; }

    /// <summary>Why it was not applied, in words, if it was not.</summary>
    public string? Note { get; set; }

    /// <summary>How many times the same callback arrived again.</summary>
    public int DuplicateCount { get; set; }

    /// <summary>When it last arrived again, if it did.</summary>
    public DateTimeOffset? LastDuplicateAt { get; set; }
}
