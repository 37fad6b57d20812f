namespace OneThing.Hub.Persistence;

/// <summary>What an operator did.</summary>
public enum OperatorActionKind
{
    /// <summary>Retried an item now.</summary>
    Retry = 1,

    /// <summary>Cancelled an item.</summary>
    Cancel = 2,
}

/// <summary>One operator action, kept whether it succeeded or was refused.</summary>
public sealed class OperatorActionRecord
{
    /// <summary>The action's id; increases with time.</summary>
    public long Id { get; set; }

    /// <summary>Who acted, as the request said (authenticated identity comes with the hub's security).</summary>
    public required string OperatorId { get; set; }

    /// <summary>What was done.</summary>
    public OperatorActionKind Kind { get; set; }

    /// <summary>The item acted on, "applications/{id}/items/{item_code}".</summary>
    public required string Target { get; set; }

    /// <summary>Why, as the operator gave it.</summary>
    public required string Reason { get; set; }

    /// <summary>When.</summary>
    public DateTimeOffset At { get; set; }

    /// <summary>"OK", or the reason code of the refusal.</summary>
    public required string Outcome { get; set; }
}
