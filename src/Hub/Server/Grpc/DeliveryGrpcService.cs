using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using OneThing.Hub.Applications;
using OneThing.Hub.Deliveries;
using OneThing.Hub.Domain.Applications;
using OneThing.Hub.Domain.Deliveries;
using OneThing.Hub.Domain.Validation;
using OneThing.Hub.Security;
using OneThing.Hub.Security.Audit;
using Proto = OneThing.Hub.V1;

namespace OneThing.Hub.Grpc;

/// <summary>Unified delivery (统一出件): the applicant follows it; clerks and operators record the shipment or the collection.</summary>
[Authorize(Roles = HubRoles.Readers)]
public sealed class DeliveryGrpcService(DeliveryUseCases useCases, ApplicationAccess access) : Proto.DeliveryService.DeliveryServiceBase
{
    /// <summary>Those who record deliveries: window clerks and operators.</summary>
    public const string Recorders = HubRoles.Clerk + "," + HubRoles.Operator;

    private const string Suffix = "/delivery";

    /// <inheritdoc />
    public override async Task<Proto.ResultDelivery> GetDelivery(Proto.GetDeliveryRequest request, ServerCallContext context)
    {
        var id = Id(request.Name);
        await access.GuardAsync(id, context);
        return ToProto(await useCases.GetAsync(id, context.CancellationToken));
    }

    // The recording RPCs check the role only, not who filed: the window hands over the results of
    // online filings too, the collector's ID is what is checked, and every record is audited.

    /// <inheritdoc />
    [Authorize(Roles = Recorders)]
    public override async Task<Proto.ResultDelivery> RecordShipment(Proto.RecordShipmentRequest request, ServerCallContext context)
    {
        var input = new ShipmentInput(request.Carrier ?? string.Empty, request.TrackingNumber ?? string.Empty, request.ShipTime?.ToDateTimeOffset());
        return ToProto(await useCases.RecordShipmentAsync(Id(request.Name), input, request.RequestId.Trim(), Actor(context), context.CancellationToken));
    }

    /// <inheritdoc />
    [Authorize(Roles = Recorders)]
    public override async Task<Proto.ResultDelivery> RecordDelivered(Proto.RecordDeliveredRequest request, ServerCallContext context)
    {
        var input = new DeliveredInput(request.DeliverTime?.ToDateTimeOffset(), request.Note ?? string.Empty);
        return ToProto(await useCases.RecordDeliveredAsync(Id(request.Name), input, request.RequestId.Trim(), Actor(context), context.CancellationToken));
    }

    /// <inheritdoc />
    [Authorize(Roles = Recorders)]
    public override async Task<Proto.ResultDelivery> RecordPickup(Proto.RecordPickupRequest request, ServerCallContext context)
    {
        var input = new PickupInput(
            (CollectorKind)(int)request.Collector,
            request.CollectorName?.Trim() ?? string.Empty,
            (IdDocumentKind)(int)(request.CollectorIdDocument?.Type ?? Proto.IdDocumentType.Unspecified),
            (request.CollectorIdDocument?.Number ?? string.Empty).Trim().ToUpperInvariant(),
            request.Window?.Trim() ?? string.Empty,
            request.AuthorisationChecked);
        return ToProto(await useCases.RecordPickupAsync(Id(request.Name), input, request.RequestId.Trim(), Actor(context), context.CancellationToken));
    }

    private static string Actor(ServerCallContext context) => AuditTrail.ActorOf(context.GetHttpContext().User);

    private static string Id(string name) =>
        (name.EndsWith(Suffix, StringComparison.Ordinal) ? ProtoMapping.ApplicationId(name[..^Suffix.Length]) : null)
        ?? throw new HubRequestInvalidException(ErrorReasons.RequestInvalid, "出件名称应为 applications/{id}/delivery",
            [new FieldViolation("name", "INVALID_NAME", "出件名称应为 applications/{id}/delivery")]);

    private static Proto.ResultDelivery ToProto(DeliveryView view)
    {
        var (d, application) = view;
        var proto = new Proto.ResultDelivery
        {
            Name = $"{ProtoMapping.ApplicationPrefix}{d.ApplicationId}{Suffix}",
            Method = (Proto.DeliveryMethod)(int)d.Method,
            State = (Proto.ResultDelivery.Types.State)(int)d.State,
            StatusText = d.StatusText(),
            PickupSite = d.PickupSite ?? string.Empty,
            CreateTime = Timestamp.FromDateTimeOffset(d.CreatedAt),
            ReadyTime = d.ReadyAt is { } ready ? Timestamp.FromDateTimeOffset(ready) : null,
            UpdateTime = Timestamp.FromDateTimeOffset(d.UpdatedAt),
        };
        proto.Documents.Add(d.Documents.Select(doc => new Proto.DeliveryDocument
        {
            Item = $"{ProtoMapping.ApplicationPrefix}{d.ApplicationId}/items/{doc.ItemCode}",
            Title = doc.Title,
            Number = doc.Number ?? string.Empty,
        }));
        if (d.Method == DeliveryKind.Mail && application.Content.Delivery is { Method: DeliveryKind.Mail } mail)
        {
            proto.Address = mail.Address is { } a ? new Proto.Address { DivisionCode = a.DivisionCode, Detail = a.Detail } : null;
            proto.Recipient = PersonalDataMask.Name(mail.Recipient);
            proto.RecipientMobile = PersonalDataMask.Mobile(mail.RecipientMobile);
        }

        if (d.TrackingNumber is not null)
        {
            proto.Shipment = new Proto.Shipment
            {
                Carrier = d.Carrier ?? string.Empty,
                TrackingNumber = d.TrackingNumber,
                ShipTime = d.ShippedAt is { } shipped ? Timestamp.FromDateTimeOffset(shipped) : null,
                ShippedBy = d.ShippedBy ?? string.Empty,
                DeliverTime = d.DeliveredAt is { } delivered ? Timestamp.FromDateTimeOffset(delivered) : null,
                DeliveryNote = d.DeliveryNote ?? string.Empty,
            };
        }

        if (d.PickedUpAt is { } pickedUp)
        {
            proto.Pickup = new Proto.Pickup
            {
                Collector = (Proto.Collector)(int)(d.Collector ?? CollectorKind.Unspecified),
                CollectorName = d.CollectorName ?? string.Empty,
                CollectorIdLast4 = d.CollectorIdLast4 ?? string.Empty,
                Window = d.PickupWindow ?? string.Empty,
                PickupTime = Timestamp.FromDateTimeOffset(pickedUp),
                RecordedBy = d.PickedUpBy ?? string.Empty,
            };
        }

        proto.History.Add(d.History.Select(e => new Proto.DeliveryEvent
        {
            Time = Timestamp.FromDateTimeOffset(e.At),
            State = (Proto.ResultDelivery.Types.State)(int)e.State,
            Description = e.Description,
            Actor = e.Actor,
        }));
        return proto;
    }
}
