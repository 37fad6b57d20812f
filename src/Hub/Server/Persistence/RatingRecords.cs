namespace OneThing.Hub.Persistence;

/// <summary>An applicant's rating of one application (好差评); one per application.</summary>
public sealed class RatingRecord
{
    /// <summary>The application (the key: one rating each).</summary>
    public required string ApplicationId { get; set; }

    /// <summary>The overall score, 1..5.</summary>
    public int Overall { get; set; }

    /// <summary>Scores per department name, 1..5.</summary>
    public Dictionary<string, int> Departments { get; set; } = [];

    /// <summary>The applicant's words.</summary>
    public string Comment { get; set; } = string.Empty;

    /// <summary>The caller's request id (idempotency).</summary>
    public required string RequestId { get; set; }

    /// <summary>When rated.</summary>
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>Where a follow-up is.</summary>
public enum FollowUpState
{
    /// <summary>Waiting for an operator.</summary>
    Open = 1,

    /// <summary>Closed with a resolution.</summary>
    Resolved = 2,
}

/// <summary>A follow-up of a bad rating (差评整改), for operators.</summary>
public sealed class FollowUpRecord
{
    /// <summary>The id.</summary>
    public long Id { get; set; }

    /// <summary>The application rated.</summary>
    public required string ApplicationId { get; set; }

    /// <summary>Its theme.</summary>
    public required string ThemeCode { get; set; }

    /// <summary>The departments rated badly.</summary>
    public List<string> Departments { get; set; } = [];

    /// <summary>The overall score.</summary>
    public int Overall { get; set; }

    /// <summary>The applicant's words.</summary>
    public string Comment { get; set; } = string.Empty;

    /// <summary>Where it is.</summary>
    public FollowUpState State { get; set; }

    /// <summary>By when it must be resolved.</summary>
    public DateOnly? DueDate { get; set; }

    /// <summary>When opened.</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Who resolved it.</summary>
    public string? OperatorId { get; set; }

    /// <summary>What was done.</summary>
    public string? Resolution { get; set; }

    /// <summary>When resolved.</summary>
    public DateTimeOffset? ResolvedAt { get; set; }
}
