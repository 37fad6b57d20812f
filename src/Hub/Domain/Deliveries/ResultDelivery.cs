using System.Globalization;
using OneThing.Hub.Domain.Applications;
using OneThing.Hub.Domain.Calendar;
using OneThing.Hub.Domain.Catalog;

namespace OneThing.Hub.Domain.Deliveries;

/// <summary>
/// The unified delivery (统一出件) of one application's paper results: the documents its granted items
/// hand over on paper (per the catalog's <see cref="PaperResultDefinition"/>), posted to a street-level
/// address or collected at a service window, as the applicant chose. It waits until every item that
/// produces a paper result is final, then is ready; a clerk records the shipment (carrier, tracking
/// number) and the carrier's confirmation, or the collection (who, ID checked, which window). Every step
/// is kept in its history; a recorded step carries the caller's request id, so repeating it changes nothing.
/// </summary>
public sealed class ResultDelivery
{
    /// <summary>The actor of the hub's own steps.</summary>
    public const string SystemActor = "system:hub";

    private List<DeliveryDocument> _documents = [];
    private List<DeliveryEvent> _history = [];

    private ResultDelivery()
    {
        ApplicationId = string.Empty;
    }

    /// <summary>The application (one delivery each).</summary>
    public string ApplicationId { get; private set; }

    /// <summary>Mail or pick-up, as the applicant chose (and may still correct until the results go out).</summary>
    public DeliveryKind Method { get; private set; }

    /// <summary>Where it is.</summary>
    public DeliveryState State { get; private set; }

    /// <summary>The paper results: those expected while awaiting, those granted once ready.</summary>
    public IReadOnlyList<DeliveryDocument> Documents
    {
        get => _documents;
        private set => _documents = [.. value];
    }

    /// <summary>For pick-up: the service site the applicant chose (领取地点).</summary>
    public string? PickupSite { get; private set; }

    /// <summary>For mail: the carrier.</summary>
    public string? Carrier { get; private set; }

    /// <summary>For mail: the tracking number (运单号).</summary>
    public string? TrackingNumber { get; private set; }

    /// <summary>For mail: when handed to the carrier.</summary>
    public DateTimeOffset? ShippedAt { get; private set; }

    /// <summary>For mail: who recorded the shipment.</summary>
    public string? ShippedBy { get; private set; }

    /// <summary>For mail: when the carrier delivered it.</summary>
    public DateTimeOffset? DeliveredAt { get; private set; }

    /// <summary>For mail: who recorded the delivery.</summary>
    public string? DeliveredBy { get; private set; }

    /// <summary>For mail: the carrier's note (e.g. 本人签收).</summary>
    public string? DeliveryNote { get; private set; }

    /// <summary>For pick-up: who collected it.</summary>
    public CollectorKind? Collector { get; private set; }

    /// <summary>For pick-up: the collector's name, masked.</summary>
    public string? CollectorName { get; private set; }

    /// <summary>For pick-up: the last four characters of the collector's ID.</summary>
    public string? CollectorIdLast4 { get; private set; }

    /// <summary>For pick-up: the window where it was collected.</summary>
    public string? PickupWindow { get; private set; }

    /// <summary>For pick-up: when collected.</summary>
    public DateTimeOffset? PickedUpAt { get; private set; }

    /// <summary>For pick-up: the clerk who handed it over.</summary>
    public string? PickedUpBy { get; private set; }

    /// <summary>When the delivery was opened (the application's submission).</summary>
    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>When every paper result was in.</summary>
    public DateTimeOffset? ReadyAt { get; private set; }

    /// <summary>When it last changed.</summary>
    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>Increases with every change; the optimistic concurrency token.</summary>
    public int Revision { get; private set; }

    /// <summary>What happened, oldest first.</summary>
    public IReadOnlyList<DeliveryEvent> History
    {
        get => _history;
        private set => _history = [.. value];
    }

    /// <summary>Whether the delivery is final.</summary>
    public bool IsFinal => State is DeliveryState.Delivered or DeliveryState.PickedUp or DeliveryState.NothingToDeliver;

    /// <summary>The items of <paramref name="itemCodes"/> that produce a paper result, per <paramref name="theme"/>.</summary>
    public static IReadOnlyList<ItemDefinition> PaperItems(ThemeDefinition theme, IEnumerable<string> itemCodes) =>
        itemCodes.Select(theme.FindItem).OfType<ItemDefinition>().Where(i => i.PaperResult is not null).ToList();

    /// <summary>
    /// Opens the delivery of a submitted application, awaiting its paper results; null when none of its
    /// items produces a paper result or the applicant made no delivery choice.
    /// </summary>
    public static ResultDelivery? Open(JointApplication application, ThemeDefinition theme, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(application);
        if (application.State == ApplicationState.Draft ||
            application.Content.Delivery is not { Method: DeliveryKind.Mail or DeliveryKind.Pickup } choice ||
            PaperItems(theme, application.Items.Select(i => i.ItemCode)) is not { Count: > 0 } paper)
        {
            return null;
        }

        var delivery = new ResultDelivery
        {
            ApplicationId = application.Id,
            Method = choice.Method,
            PickupSite = choice.Method == DeliveryKind.Pickup ? choice.PickupSite : null,
            State = DeliveryState.Awaiting,
            Documents = paper.Select(p => new DeliveryDocument(p.Code, p.PaperResult!.Title, null)).ToList(),
            CreatedAt = now,
            UpdatedAt = now,
            Revision = 1,
        };
        delivery._history.Add(new DeliveryEvent(now, DeliveryState.Awaiting,
            $"已登记统一出件：{delivery.Titles()}办结后{delivery.HowDescription()}", SystemActor));
        return delivery;
    }

    /// <summary>
    /// Follows the application: while nothing has gone out, takes a corrected delivery choice; once every
    /// item that produces a paper result is final, becomes ready with the granted ones (or, if none was
    /// granted, ends with nothing to deliver). Returns the step that changed the state, or null.
    /// </summary>
    public DeliveryEvent? Refresh(JointApplication application, ThemeDefinition theme, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(application);
        if (State is not (DeliveryState.Awaiting or DeliveryState.Ready))
        {
            return null;
        }

        if (application.Content.Delivery is { Method: DeliveryKind.Mail or DeliveryKind.Pickup } choice &&
            (choice.Method != Method || (choice.Method == DeliveryKind.Pickup && choice.PickupSite != PickupSite)))
        {
            Method = choice.Method;
            PickupSite = choice.Method == DeliveryKind.Pickup ? choice.PickupSite : null;
            Append(now, State, $"领取方式已更新：{HowDescription()}", SystemActor);
        }

        if (State != DeliveryState.Awaiting)
        {
            return null;
        }

        var paper = application.Items.Where(i => theme.FindItem(i.ItemCode)?.PaperResult is not null).ToList();
        if (paper.Count == 0 || paper.Exists(i => !i.State.IsFinal()))
        {
            return null;
        }

        var granted = paper.Where(i => i.State == ItemState.Succeeded).ToList();
        if (granted.Count == 0)
        {
            State = DeliveryStateMachine.Next(State, DeliveryTrigger.NoneGranted)!.Value;
            Append(now, State, $"{Titles()}对应事项均未办结通过，无纸质结果需要出件", SystemActor);
            _documents = [];
            return _history[^1];
        }

        _documents = granted.Select(i =>
        {
            var definition = theme.FindItem(i.ItemCode)!.PaperResult!;
            var number = definition.NumberKey is { } key && i.Result.TryGetValue(key, out var n) && n.Length > 0 ? n : null;
            return new DeliveryDocument(i.ItemCode, definition.Title, number);
        }).ToList();
        State = DeliveryStateMachine.Next(State, DeliveryTrigger.ResultsIn)!.Value;
        ReadyAt = now;
        Append(now, State, Method == DeliveryKind.Mail
            ? $"办理结果已备齐（{Titles()}），等待寄递"
            : $"办理结果已备齐（{Titles()}），等待申请人到{PickupSite}领取", SystemActor);
        return _history[^1];
    }

    /// <summary>Whether a step with <paramref name="requestId"/> was already recorded.</summary>
    public bool HasRequest(string requestId) => _history.Exists(e => e.RequestId == requestId);

    /// <summary>Records that the results were posted; the input was checked with <see cref="DeliveryRules.CheckShipment"/>.</summary>
    /// <exception cref="DeliveryRuleException">Not a mail delivery, not ready, or already posted.</exception>
    public DeliveryEvent RecordShipment(ShipmentInput input, string actor, string requestId, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(input);
        RequireMethod(DeliveryKind.Mail);
        var next = DeliveryStateMachine.Next(State, DeliveryTrigger.Ship) ?? throw Refused(DeliveryTrigger.Ship);
        Carrier = input.Carrier.Trim();
        TrackingNumber = input.TrackingNumber.Trim().ToUpperInvariant();
        ShippedAt = input.ShippedAt ?? now;
        ShippedBy = actor;
        State = next;
        return Append(now, State, $"已交{Carrier}寄出，运单号{TrackingNumber}（{Local(ShippedAt)}）", actor, requestId);
    }

    /// <summary>Records the carrier's confirmation of delivery; the input was checked with <see cref="DeliveryRules.CheckDelivered"/>.</summary>
    /// <exception cref="DeliveryRuleException">Not a mail delivery, not posted yet, or already confirmed.</exception>
    public DeliveryEvent RecordDelivered(DeliveredInput input, string actor, string requestId, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(input);
        RequireMethod(DeliveryKind.Mail);
        var next = DeliveryStateMachine.Next(State, DeliveryTrigger.ConfirmDelivery) ?? throw Refused(DeliveryTrigger.ConfirmDelivery);
        DeliveredAt = input.DeliveredAt ?? now;
        DeliveredBy = actor;
        DeliveryNote = string.IsNullOrWhiteSpace(input.Note) ? null : input.Note.Trim();
        State = next;
        return Append(now, State, $"{Carrier}已投递签收（{Local(DeliveredAt)}）" + (DeliveryNote is { } note ? $"：{note}" : string.Empty), actor, requestId);
    }

    /// <summary>Records that the results were collected at a window; the input was checked with <see cref="DeliveryRules.CheckPickup"/>.</summary>
    /// <exception cref="DeliveryRuleException">Not a pick-up, not ready, or already collected.</exception>
    public DeliveryEvent RecordPickup(PickupFacts facts, string actor, string requestId, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(facts);
        RequireMethod(DeliveryKind.Pickup);
        var next = DeliveryStateMachine.Next(State, DeliveryTrigger.Collect) ?? throw Refused(DeliveryTrigger.Collect);
        Collector = facts.Collector;
        CollectorName = string.IsNullOrWhiteSpace(facts.CollectorName) ? null : facts.CollectorName;
        CollectorIdLast4 = facts.IdLast4;
        PickupWindow = facts.Window.Trim();
        PickedUpAt = now;
        PickedUpBy = actor;
        State = next;
        return Append(now, State, $"已在{PickupWindow}领取：{CollectorDescription()}，窗口人员已核验身份证件", actor, requestId);
    }

    /// <summary>Who collected the results, as the applicant reads it (no full name or ID number).</summary>
    public string CollectorDescription() => Collector == CollectorKind.Authorised
        ? $"受托人{CollectorName}代领（证件尾号{CollectorIdLast4}）"
        : $"申请人本人领取（证件尾号{CollectorIdLast4}）";

    /// <summary>The status word a citizen reads (待出件, 待寄递, 待领取, 已寄出, 已签收, 已领取, 无需出件).</summary>
    public string StatusText() => State switch
    {
        DeliveryState.Awaiting => "待出件",
        DeliveryState.Ready => Method == DeliveryKind.Mail ? "待寄递" : "待领取",
        DeliveryState.Shipped => "已寄出",
        DeliveryState.Delivered => "已签收",
        DeliveryState.PickedUp => "已领取",
        _ => "无需出件",
    };

    /// <summary>The documents' titles joined for a sentence (《就业创业证》（实体证）、…).</summary>
    public string Titles() => string.Join("、", _documents.Select(d => d.Title));

    private string HowDescription() => Method == DeliveryKind.Mail ? "邮寄至申请人填写的收件地址" : $"由申请人到{PickupSite}领取";

    private void RequireMethod(DeliveryKind method)
    {
        if (Method != method)
        {
            throw new DeliveryRuleException(DeliveryReasons.MethodMismatch, Method == DeliveryKind.Pickup
                ? $"该申请选择的领取方式是窗口自取（{PickupSite}），不能登记邮寄"
                : "该申请选择的领取方式是邮寄，不能登记窗口领取");
        }
    }

    // Why the table refuses a clerk's record in the current state, for the clerk to read.
    private DeliveryRuleException Refused(DeliveryTrigger trigger) => (State, trigger) switch
    {
        (DeliveryState.NothingToDeliver, _) => new(DeliveryReasons.NothingToDeliver, "该申请没有办结通过的纸质结果，无需出件"),
        (DeliveryState.Awaiting or DeliveryState.Ready, DeliveryTrigger.ConfirmDelivery) => new(DeliveryReasons.NotShipped, "办理结果尚未登记寄出，不能登记签收"),
        (DeliveryState.Awaiting, _) => new(DeliveryReasons.NotReady, "办理结果尚未全部办结，暂不能出件"),
        (DeliveryState.Delivered, DeliveryTrigger.ConfirmDelivery) => new(DeliveryReasons.AlreadyDelivered, $"已于{Local(DeliveredAt)}登记签收，不能重复登记"),
        (DeliveryState.Shipped or DeliveryState.Delivered, _) => new(DeliveryReasons.AlreadyShipped, $"办理结果已于{Local(ShippedAt)}寄出（{Carrier}，运单号{TrackingNumber}），不能重复登记"),
        _ => new(DeliveryReasons.AlreadyPickedUp, $"办理结果已于{Local(PickedUpAt)}在{PickupWindow}领取，不能重复登记"),
    };

    private static string Local(DateTimeOffset? at) =>
        at is { } t ? t.ToOffset(ChinaTime.Offset).ToString("yyyy年M月d日HH:mm", CultureInfo.InvariantCulture) : string.Empty;

    private DeliveryEvent Append(DateTimeOffset now, DeliveryState state, string description, string actor, string? requestId = null)
    {
        var step = new DeliveryEvent(now, state, description, actor, requestId);
        _history.Add(step);
        UpdatedAt = now;
        Revision++;
        return step;
    }
}
