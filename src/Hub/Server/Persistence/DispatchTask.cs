namespace OneThing.Hub.Persistence;

/// <summary>What a dispatch task does.</summary>
public enum DispatchTaskKind
{
    /// <summary>Submit the item to its department.</summary>
    Submit = 1,

    /// <summary>Ask the department for the state of an accepted item (reconciliation).</summary>
    Poll = 2,
}

/// <summary>Where a dispatch task is.</summary>
public enum DispatchTaskState
{
    /// <summary>Waiting to run at <see cref="DispatchTask.DueAt"/>.</summary>
    Scheduled = 1,

    /// <summary>Done.</summary>
    Done = 2,

    /// <summary>Gave up after too many attempts; in the operators' queue.</summary>
    Exhausted = 3,
}

/// <summary>
/// A durable unit of dispatch work. Written in the same transaction as the change that makes it
/// necessary; claimed by a worker with a lease (conditional UPDATE), so a crashed worker's task is
/// taken over when its lease expires.
/// </summary>
public sealed class DispatchTask
{
    /// <summary>The task id.</summary>
    public long Id { get; set; }

    /// <summary>The application.</summary>
    public required string ApplicationId { get; set; }

    /// <summary>The item.</summary>
    public required string ItemCode { get; set; }

    /// <summary>What to do.</summary>
    public DispatchTaskKind Kind { get; set; }

    /// <summary>Where the task is.</summary>
    public DispatchTaskState State { get; set; }

    /// <summary>When it may run.</summary>
    public DateTimeOffset DueAt { get; set; }

    /// <summary>The worker holding the lease, if any.</summary>
    public string? LeaseOwner { get; set; }

    /// <summary>When the lease ends; after that another worker may claim the task.</summary>
    public DateTimeOffset? LeaseExpiresAt { get; set; }

    /// <summary>Failed attempts so far.</summary>
    public int Attempts { get; set; }

    /// <summary>The last error, if any (no personal data).</summary>
    public string? LastError { get; set; }

    /// <summary>When created.</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When last changed.</summary>
    public DateTimeOffset UpdatedAt { get; set; }
}
