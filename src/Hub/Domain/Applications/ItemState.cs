namespace OneThing.Hub.Domain.Applications;

/// <summary>The state of one item of an application (子件状态).</summary>
public enum ItemState
{
    /// <summary>Waiting for dispatch or for its prerequisites (待办).</summary>
    Pending = 1,

    /// <summary>Accepted by the department, being handled (办理中).</summary>
    InProgress = 2,

    /// <summary>Completed and granted (已完结·办结).</summary>
    Succeeded = 3,

    /// <summary>Refused by the department (已完结·不予办理).</summary>
    Rejected = 4,

    /// <summary>Returned for correction (已退回).</summary>
    Returned = 5,

    /// <summary>Not started because a prerequisite did not succeed.</summary>
    NotStarted = 6,

    /// <summary>Not yet eligible; the applicant is reminded when they are.</summary>
    Deferred = 7,

    /// <summary>Cancelled by an operator, with a reason (已撤销); final.</summary>
    Cancelled = 8,

    /// <summary>Withdrawn by the applicant before the department accepted it (已撤回); final.</summary>
    Withdrawn = 9,
}

/// <summary>What can happen to an item.</summary>
public enum ItemTrigger
{
    /// <summary>The department accepted it and works on it.</summary>
    Accept,

    /// <summary>The department completed and granted it.</summary>
    Complete,

    /// <summary>The department refused it.</summary>
    Reject,

    /// <summary>The department returned it for correction.</summary>
    Return,

    /// <summary>The department found the applicant not yet eligible.</summary>
    Defer,

    /// <summary>A prerequisite did not succeed, so the item will not run.</summary>
    SkipForPrerequisite,

    /// <summary>An operator cancelled the item, with a reason.</summary>
    Cancel,

    /// <summary>The applicant corrected a returned item and sent it again.</summary>
    Resubmit,

    /// <summary>The applicant withdrew the item before its department accepted it.</summary>
    Withdraw,
}

/// <summary>The item state machine: one table, readable at a glance.</summary>
public static class ItemStateMachine
{
    private static readonly Dictionary<(ItemState From, ItemTrigger Trigger), ItemState> Transitions = new()
    {
        [(ItemState.Pending, ItemTrigger.Accept)] = ItemState.InProgress,
        [(ItemState.Pending, ItemTrigger.Complete)] = ItemState.Succeeded,
        [(ItemState.Pending, ItemTrigger.Reject)] = ItemState.Rejected,
        [(ItemState.Pending, ItemTrigger.Return)] = ItemState.Returned,
        [(ItemState.Pending, ItemTrigger.Defer)] = ItemState.Deferred,
        [(ItemState.Pending, ItemTrigger.SkipForPrerequisite)] = ItemState.NotStarted,
        [(ItemState.InProgress, ItemTrigger.Complete)] = ItemState.Succeeded,
        [(ItemState.InProgress, ItemTrigger.Reject)] = ItemState.Rejected,
        [(ItemState.InProgress, ItemTrigger.Return)] = ItemState.Returned,
        [(ItemState.InProgress, ItemTrigger.Defer)] = ItemState.Deferred,
        [(ItemState.Pending, ItemTrigger.Cancel)] = ItemState.Cancelled,
        [(ItemState.InProgress, ItemTrigger.Cancel)] = ItemState.Cancelled,
        [(ItemState.Returned, ItemTrigger.Cancel)] = ItemState.Cancelled,
        [(ItemState.Returned, ItemTrigger.Resubmit)] = ItemState.Pending,
        [(ItemState.Pending, ItemTrigger.Withdraw)] = ItemState.Withdrawn,
        [(ItemState.Returned, ItemTrigger.Withdraw)] = ItemState.Withdrawn,
    };

    /// <summary>The state after <paramref name="trigger"/>, or null if the trigger is not allowed from <paramref name="from"/>.</summary>
    public static ItemState? Next(ItemState from, ItemTrigger trigger) =>
        Transitions.TryGetValue((from, trigger), out var to) ? to : null;

    /// <summary>Whether no department answer can change the state any more.</summary>
    public static bool IsFinal(this ItemState state) =>
        state is ItemState.Succeeded or ItemState.Rejected or ItemState.NotStarted or ItemState.Deferred or ItemState.Cancelled or ItemState.Withdrawn;
}

/// <summary>An item was asked to make a transition its state does not allow.</summary>
public sealed class InvalidItemTransitionException(string itemCode, ItemState from, ItemTrigger trigger)
    : InvalidOperationException($"item '{itemCode}' cannot '{trigger}' from state '{from}'")
{
    /// <summary>The item.</summary>
    public string ItemCode { get; } = itemCode;

    /// <summary>Its state.</summary>
    public ItemState From { get; } = from;

    /// <summary>What was asked.</summary>
    public ItemTrigger Trigger { get; } = trigger;
}
