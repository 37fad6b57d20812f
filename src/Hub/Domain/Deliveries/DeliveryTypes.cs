using OneThing.Hub.Domain.Applications;

namespace OneThing.Hub.Domain.Deliveries;

/// <summary>Where the unified delivery (统一出件) of an application's paper results is.</summary>
public enum DeliveryState
{
    /// <summary>Some item that produces a paper result is not final yet (待出件).</summary>
    Awaiting = 1,

    /// <summary>Every paper result is in: waiting to be posted (待寄递) or collected (待领取).</summary>
    Ready = 2,

    /// <summary>Handed to the carrier with a tracking number (已寄出).</summary>
    Shipped = 3,

    /// <summary>The carrier confirmed delivery (已签收); final.</summary>
    Delivered = 4,

    /// <summary>Collected at the service window (已领取); final.</summary>
    PickedUp = 5,

    /// <summary>No item that produces a paper result was granted: nothing to hand over (无需出件); final.</summary>
    NothingToDeliver = 6,
}

/// <summary>What can happen to a delivery.</summary>
public enum DeliveryTrigger
{
    /// <summary>Every paper-producing item is final and at least one was granted.</summary>
    ResultsIn = 1,

    /// <summary>Every paper-producing item is final and none was granted.</summary>
    NoneGranted = 2,

    /// <summary>A clerk or operator recorded the shipment.</summary>
    Ship = 3,

    /// <summary>The carrier confirmed delivery.</summary>
    ConfirmDelivery = 4,

    /// <summary>A window clerk recorded the collection.</summary>
    Collect = 5,
}

/// <summary>The delivery state machine: one table, readable at a glance (the method decides which branch applies).</summary>
public static class DeliveryStateMachine
{
    private static readonly Dictionary<(DeliveryState From, DeliveryTrigger Trigger), DeliveryState> Transitions = new()
    {
        [(DeliveryState.Awaiting, DeliveryTrigger.ResultsIn)] = DeliveryState.Ready,
        [(DeliveryState.Awaiting, DeliveryTrigger.NoneGranted)] = DeliveryState.NothingToDeliver,
        [(DeliveryState.Ready, DeliveryTrigger.Ship)] = DeliveryState.Shipped,
        [(DeliveryState.Shipped, DeliveryTrigger.ConfirmDelivery)] = DeliveryState.Delivered,
        [(DeliveryState.Ready, DeliveryTrigger.Collect)] = DeliveryState.PickedUp,
    };

    /// <summary>The state after <paramref name="trigger"/>, or null if <paramref name="from"/> does not allow it.</summary>
    public static DeliveryState? Next(DeliveryState from, DeliveryTrigger trigger) =>
        Transitions.TryGetValue((from, trigger), out var to) ? to : null;
}

/// <summary>Who collected paper results at a window.</summary>
public enum CollectorKind
{
    /// <summary>Not given.</summary>
    Unspecified = 0,

    /// <summary>The applicant in person (本人领取).</summary>
    Applicant = 1,

    /// <summary>A person the applicant authorised in writing (委托代领).</summary>
    Authorised = 2,
}

/// <summary>One paper result to hand over: what it is and, once granted, its number.</summary>
/// <param name="ItemCode">The item that produces it.</param>
/// <param name="Title">What the applicant receives, e.g. 《就业创业证》（实体证）.</param>
/// <param name="Number">The number printed on it, once the item is granted (null when the department gave none).</param>
public sealed record DeliveryDocument(string ItemCode, string Title, string? Number);

/// <summary>One step in a delivery's history.</summary>
/// <param name="At">When it happened.</param>
/// <param name="State">The state after the step.</param>
/// <param name="Description">What happened, in Chinese, without personal data.</param>
/// <param name="Actor">Who did it: <c>{role}:{subject}</c>, or <c>system:hub</c>.</param>
/// <param name="RequestId">The caller's request id of a recorded step (idempotency), if any.</param>
public sealed record DeliveryEvent(DateTimeOffset At, DeliveryState State, string Description, string Actor, string? RequestId = null);

/// <summary>What a clerk or operator records when the results are posted.</summary>
/// <param name="Carrier">The carrier, e.g. 中国邮政EMS.</param>
/// <param name="TrackingNumber">The carrier's tracking number (运单号).</param>
/// <param name="ShippedAt">When handed to the carrier; null for now.</param>
public sealed record ShipmentInput(string Carrier, string TrackingNumber, DateTimeOffset? ShippedAt);

/// <summary>The carrier's confirmation that the results were delivered.</summary>
/// <param name="DeliveredAt">When signed for; null for now.</param>
/// <param name="Note">A short note, e.g. 本人签收 (at most 200 characters, no ID numbers).</param>
public sealed record DeliveredInput(DateTimeOffset? DeliveredAt, string Note);

/// <summary>What the window clerk checked when the results were collected; the ID number is only compared, never kept.</summary>
/// <param name="Collector">The applicant or an authorised person.</param>
/// <param name="CollectorName">The collector's name as on their ID (required for an authorised person).</param>
/// <param name="IdType">The kind of ID the collector showed.</param>
/// <param name="IdNumber">Its number, as the clerk read it.</param>
/// <param name="Window">The service window or site where it was collected.</param>
/// <param name="AuthorisationChecked">For an authorised person: the clerk checked the applicant's written authorisation (授权委托书).</param>
public sealed record PickupInput(CollectorKind Collector, string CollectorName, IdDocumentKind IdType, string IdNumber, string Window, bool AuthorisationChecked);

/// <summary>What is kept of a collection: the collector masked, only the last four characters of the ID.</summary>
/// <param name="Collector">The applicant or an authorised person.</param>
/// <param name="CollectorName">The collector's name, masked (张*).</param>
/// <param name="IdLast4">The last four characters of the ID the clerk checked.</param>
/// <param name="Window">The service window or site.</param>
public sealed record PickupFacts(CollectorKind Collector, string CollectorName, string IdLast4, string Window);

/// <summary>A delivery is not in a state, or of a method, that allows the request (FAILED_PRECONDITION).</summary>
/// <param name="reason">A stable reason code, see <see cref="DeliveryReasons"/>.</param>
/// <param name="message">What the clerk or applicant reads, in Chinese.</param>
public sealed class DeliveryRuleException(string reason, string message) : InvalidOperationException(message)
{
    /// <summary>The stable reason code.</summary>
    public string Reason { get; } = reason;
}

/// <summary>The stable reason codes of delivery errors and field violations.</summary>
public static class DeliveryReasons
{
    /// <summary>The application has no paper result to deliver, or no delivery choice (NOT_FOUND).</summary>
    public const string DeliveryNotFound = "DELIVERY_NOT_FOUND";

    /// <summary>Some item that produces a paper result is not final yet.</summary>
    public const string NotReady = "DELIVERY_NOT_READY";

    /// <summary>A shipment recorded for a pick-up, or a pick-up for mail.</summary>
    public const string MethodMismatch = "DELIVERY_METHOD_MISMATCH";

    /// <summary>The results were already posted (under another request id).</summary>
    public const string AlreadyShipped = "DELIVERY_ALREADY_SHIPPED";

    /// <summary>A delivery confirmation for results not posted yet.</summary>
    public const string NotShipped = "DELIVERY_NOT_SHIPPED";

    /// <summary>The delivery was already confirmed (under another request id).</summary>
    public const string AlreadyDelivered = "DELIVERY_ALREADY_DELIVERED";

    /// <summary>The results were already collected (under another request id).</summary>
    public const string AlreadyPickedUp = "DELIVERY_ALREADY_PICKED_UP";

    /// <summary>No item that produces a paper result was granted.</summary>
    public const string NothingToDeliver = "NOTHING_TO_DELIVER";

    /// <summary>A tracking number that is not 6 to 40 letters, digits or hyphens.</summary>
    public const string InvalidTrackingNumber = "INVALID_TRACKING_NUMBER";

    /// <summary>A time later than now.</summary>
    public const string TimeInFuture = "TIME_IN_FUTURE";

    /// <summary>The collector said to be the applicant showed someone else's ID.</summary>
    public const string CollectorNotApplicant = "COLLECTOR_NOT_APPLICANT";

    /// <summary>An authorised collector without a checked written authorisation.</summary>
    public const string AuthorisationNotChecked = "AUTHORISATION_NOT_CHECKED";
}
