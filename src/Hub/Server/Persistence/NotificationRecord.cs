using OneThing.Hub.Domain.Applications;
using OneThing.Hub.Domain.Notifications;

namespace OneThing.Hub.Persistence;

/// <summary>Where a notification is.</summary>
public enum NotificationState
{
    /// <summary>Waiting until it is due.</summary>
    Scheduled = 1,

    /// <summary>The channel took it.</summary>
    Sent = 2,

    /// <summary>A reminder whose item moved on before it was due; not sent.</summary>
    Dropped = 3,

    /// <summary>Given up after repeated failures, or no channel is configured; operators see it.</summary>
    Failed = 4,
}

/// <summary>
/// One notification in the outbox, written in the same transaction as the change it tells of. It holds
/// no personal data: the recipient is read from the application when it is sent.
/// </summary>
public sealed class NotificationRecord
{
    /// <summary>The id.</summary>
    public long Id { get; set; }

    /// <summary>The unique key (see <see cref="PlannedNotification.Key"/>); the channel's request id.</summary>
    public required string Key { get; set; }

    /// <summary>The channel.</summary>
    public NotificationChannel Channel { get; set; }

    /// <summary>Why it exists.</summary>
    public NotificationKind Kind { get; set; }

    /// <summary>The application.</summary>
    public required string ApplicationId { get; set; }

    /// <summary>The item, if any.</summary>
    public string? ItemCode { get; set; }

    /// <summary>A short title.</summary>
    public required string Title { get; set; }

    /// <summary>The text.</summary>
    public required string Text { get; set; }

    /// <summary>For a reminder: the state the item must still be in.</summary>
    public ItemState? ExpectedState { get; set; }

    /// <summary>For a reminder: the corrections the item must still have.</summary>
    public int ExpectedCorrections { get; set; }

    /// <summary>For a draft's reminder: the revision the draft must still be at.</summary>
    public int? ExpectedRevision { get; set; }

    /// <summary>Where it is.</summary>
    public NotificationState State { get; set; }

    /// <summary>When it is due (or retried).</summary>
    public DateTimeOffset DueAt { get; set; }

    /// <summary>The worker holding it, if any.</summary>
    public string? LeaseOwner { get; set; }

    /// <summary>When that lease ends.</summary>
    public DateTimeOffset? LeaseExpiresAt { get; set; }

    /// <summary>Failed sends so far.</summary>
    public int Attempts { get; set; }

    /// <summary>The last error (no personal data).</summary>
    public string? LastError { get; set; }

    /// <summary>The channel's message id once sent.</summary>
    public string? ChannelMessageId { get; set; }

    /// <summary>When written.</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When sent, dropped or failed.</summary>
    public DateTimeOffset? FinishedAt { get; set; }
}
