using Microsoft.EntityFrameworkCore;
using OneThing.Hub.Applications;
using OneThing.Hub.Catalog;
using OneThing.Hub.Domain.Applications;
using OneThing.Hub.Domain.Calendar;
using OneThing.Hub.Domain.Catalog;
using OneThing.Hub.Domain.Deliveries;
using OneThing.Hub.Domain.Validation;
using OneThing.Hub.Persistence;
using OneThing.Hub.Security;
using OneThing.Hub.Security.Audit;

namespace OneThing.Hub.Deliveries;

/// <summary>A delivery with the application it belongs to (for the mailing address and recipient).</summary>
/// <param name="Delivery">The delivery.</param>
/// <param name="Application">Its application.</param>
public sealed record DeliveryView(ResultDelivery Delivery, JointApplication Application);

/// <summary>
/// Unified delivery (统一出件): reading an application's delivery, and the clerks' records of a shipment,
/// the carrier's confirmation, or a collection at the window. Each record is written with the
/// applicant's notices and an audit row in one transaction, and is idempotent on its request id.
/// </summary>
public sealed class DeliveryUseCases(HubDbContext db, CatalogSnapshot catalog, TimeProvider time)
{
    /// <summary>A concurrent change of the same delivery won.</summary>
    public const string ConcurrentChange = "CONCURRENT_CHANGE";

    /// <summary>Gets an application's delivery (the caller's access to the application was checked: <see cref="ApplicationAccess"/>).</summary>
    public async Task<DeliveryView> GetAsync(string applicationId, CancellationToken cancellationToken)
    {
        var application = await ApplicationAsync(applicationId, cancellationToken);
        var delivery = await db.Deliveries.AsNoTracking().FirstOrDefaultAsync(d => d.ApplicationId == applicationId, cancellationToken);
        if (delivery is null)
        {
            // An application submitted before deliveries existed: shown as it would be, stored on its first record.
            delivery = Opened(application, Theme(application), Now()) ?? throw NotFound(applicationId);
        }

        return new DeliveryView(delivery, application);
    }

    /// <summary>Records that the results were posted.</summary>
    public Task<DeliveryView> RecordShipmentAsync(string applicationId, ShipmentInput input, string requestId, string actor, CancellationToken cancellationToken) =>
        RecordAsync(applicationId, requestId, cancellationToken,
            (application, now) => DeliveryRules.CheckShipment(input, requestId, now),
            (delivery, application, now) =>
            {
                var step = delivery.RecordShipment(input, actor, requestId, now);
                AuditTrail.Record(db, "delivery.shipped", Resource(applicationId),
                    AuditTrail.Detail(("carrier", delivery.Carrier), ("tracking_number", delivery.TrackingNumber), ("request_id", requestId)));
                return step;
            },
            "寄递登记");

    /// <summary>Records the carrier's confirmation of delivery.</summary>
    public Task<DeliveryView> RecordDeliveredAsync(string applicationId, DeliveredInput input, string requestId, string actor, CancellationToken cancellationToken) =>
        RecordAsync(applicationId, requestId, cancellationToken,
            (application, now) => DeliveryRules.CheckDelivered(input, requestId, now),
            (delivery, application, now) =>
            {
                var step = delivery.RecordDelivered(input, actor, requestId, now);
                AuditTrail.Record(db, "delivery.delivered", Resource(applicationId), AuditTrail.Detail(("request_id", requestId)));
                return step;
            },
            "签收登记");

    /// <summary>Records a collection at a window; the collector's ID is compared, then only its last four characters kept.</summary>
    public Task<DeliveryView> RecordPickupAsync(string applicationId, PickupInput input, string requestId, string actor, CancellationToken cancellationToken) =>
        RecordAsync(applicationId, requestId, cancellationToken,
            (application, now) => DeliveryRules.CheckPickup(input, application.Content.Applicant, requestId, ChinaTime.Today(now)),
            (delivery, application, now) =>
            {
                var facts = new PickupFacts(
                    input.Collector,
                    input.Collector == CollectorKind.Authorised ? PersonalDataMask.Name(input.CollectorName.Trim()) : string.Empty,
                    DeliveryRules.Last4(input.IdNumber),
                    input.Window);
                var step = delivery.RecordPickup(facts, actor, requestId, now);
                AuditTrail.Record(db, "delivery.picked_up", Resource(applicationId),
                    AuditTrail.Detail(("collector", input.Collector.ToString()), ("id_last4", facts.IdLast4), ("window", delivery.PickupWindow), ("request_id", requestId)));
                return step;
            },
            "领取登记");

    private async Task<DeliveryView> RecordAsync(
        string applicationId,
        string requestId,
        CancellationToken cancellationToken,
        Func<JointApplication, DateTimeOffset, IReadOnlyList<FieldViolation>> check,
        Func<ResultDelivery, JointApplication, DateTimeOffset, DeliveryEvent> record,
        string what)
    {
        var now = Now();
        var application = await ApplicationAsync(applicationId, cancellationToken);
        var theme = Theme(application);
        var delivery = await db.Deliveries.FirstOrDefaultAsync(d => d.ApplicationId == applicationId, cancellationToken);

        // The same request again: the first answer, nothing recorded twice.
        if (delivery is not null && !string.IsNullOrEmpty(requestId) && delivery.HasRequest(requestId))
        {
            return new DeliveryView(delivery, application);
        }

        var violations = check(application, now);
        if (violations.Count > 0)
        {
            throw new HubRequestInvalidException(ErrorReasons.RequestInvalid, $"{what}有{violations.Count}处需要修改", violations);
        }

        if (delivery is null)
        {
            delivery = ResultDelivery.Open(application, theme, now) ?? throw NotFound(applicationId);
            db.Deliveries.Add(delivery);
        }

        // A delivery choice corrected since, or results that came in before deliveries were tracked.
        if (delivery.Refresh(application, theme, now) is { } ready)
        {
            DeliveryTracking.Notify(db, delivery, theme.Title, ready);
        }

        DeliveryEvent step;
        try
        {
            step = record(delivery, application, now);
        }
        catch (DeliveryRuleException refused)
        {
            throw new HubPreconditionException(refused.Reason, refused.Message);
        }

        DeliveryTracking.Notify(db, delivery, theme.Title, step);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another clerk (or a retry of this very request) got there first: answer as it stands.
            db.ChangeTracker.Clear();
            var winner = await db.Deliveries.AsNoTracking().FirstOrDefaultAsync(d => d.ApplicationId == applicationId, cancellationToken);
            if (winner is not null && winner.HasRequest(requestId))
            {
                return new DeliveryView(winner, application);
            }

            throw new HubConflictException(ConcurrentChange, "出件记录刚被其他操作更新，请刷新后重试");
        }

        return new DeliveryView(delivery, application);
    }

    private async Task<JointApplication> ApplicationAsync(string applicationId, CancellationToken cancellationToken) =>
        await db.Applications.AsNoTracking().FirstOrDefaultAsync(a => a.Id == applicationId, cancellationToken)
            ?? throw new HubNotFoundException(ErrorReasons.ApplicationNotFound, $"没有找到申请 applications/{applicationId}");

    private ThemeDefinition Theme(JointApplication application) =>
        catalog.Version(application.ThemeCode, application.ThemeVersion) ?? catalog.Latest(application.ThemeCode)
            ?? throw new HubNotFoundException(ErrorReasons.ThemeNotFound, $"目录中没有主题 themes/{application.ThemeCode}");

    private static ResultDelivery? Opened(JointApplication application, ThemeDefinition theme, DateTimeOffset now)
    {
        var delivery = ResultDelivery.Open(application, theme, now);
        delivery?.Refresh(application, theme, now);
        return delivery;
    }

    // Instants are stored to the millisecond: answer now as a later read will.
    private DateTimeOffset Now() => DateTimeOffset.FromUnixTimeMilliseconds(time.GetUtcNow().ToUnixTimeMilliseconds());

    private static string Resource(string applicationId) => $"applications/{applicationId}/delivery";

    private static HubNotFoundException NotFound(string applicationId) =>
        new(DeliveryReasons.DeliveryNotFound, $"申请 applications/{applicationId} 没有需要统一出件的纸质结果（或未选择领取方式）");
}
