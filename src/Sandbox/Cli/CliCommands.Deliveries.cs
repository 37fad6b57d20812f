using System.CommandLine;
using OneThing.Hub.V1;
using Spectre.Console;

namespace OneThing.Sandbox.Cli;

/// <summary>Unified delivery (DeliveryService, 统一出件): show an application's delivery, record its shipment or its collection.</summary>
internal sealed partial class CliCommands
{
    private Command DeliveriesCommand()
    {
        var deliveries = new Command("deliveries", "Unified delivery of paper results (统一出件): show one, record a shipment or a collection at the window.");
        deliveries.Subcommands.Add(DeliveriesGetCommand());
        deliveries.Subcommands.Add(DeliveriesShipCommand());
        deliveries.Subcommands.Add(DeliveriesPickupCommand());
        return deliveries;
    }

    private static Argument<string> DeliveryApplicationArgument() => new("application") { Description = "The application: applications/{id} or its id." };

    private static Option<string?> RequestIdOption() => new("--request-id")
    {
        Description = "The request id (idempotency: the same id again records nothing twice); a new UUID when omitted.",
    };

    private Command DeliveriesGetCommand()
    {
        var hub = HubOption();
        var application = DeliveryApplicationArgument();
        var control = ControlOption();
        var command = new Command("get", "Shows an application's delivery: its documents, method, state and history.") { application, hub, control };
        command.SetAction(Guarded(hub, async (parse, cancellationToken) =>
        {
            using var channel = CliTokens.Channel(parse.GetValue(hub)!, parse.GetValue(control)!);
            var client = new DeliveryService.DeliveryServiceClient(channel);
            var delivery = await client.GetDeliveryAsync(new GetDeliveryRequest { Name = DeliveryName(parse.GetValue(application)!) }, deadline: Deadline(), cancellationToken: cancellationToken);
            Show(delivery);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private Command DeliveriesShipCommand()
    {
        var hub = HubOption();
        var application = DeliveryApplicationArgument();
        var carrier = new Option<string>("--carrier") { Description = "The carrier, e.g. 中国邮政EMS.", DefaultValueFactory = _ => "中国邮政EMS" };
        var tracking = new Option<string>("--tracking-number", "-t") { Description = "The carrier's tracking number (运单号).", Required = true };
        var requestId = RequestIdOption();
        var control = ControlOption();
        var command = new Command("ship", "Records that an application's paper results were posted, with the carrier and tracking number.") { application, carrier, tracking, requestId, hub, control };
        command.SetAction(Guarded(hub, async (parse, cancellationToken) =>
        {
            using var channel = CliTokens.Channel(parse.GetValue(hub)!, parse.GetValue(control)!);
            var client = new DeliveryService.DeliveryServiceClient(channel);
            var delivery = await client.RecordShipmentAsync(new RecordShipmentRequest
            {
                Name = DeliveryName(parse.GetValue(application)!),
                Carrier = parse.GetValue(carrier)!,
                TrackingNumber = parse.GetValue(tracking)!,
                RequestId = parse.GetValue(requestId) ?? Guid.NewGuid().ToString(),
            }, deadline: Deadline(), cancellationToken: cancellationToken);
            Show(delivery);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private Command DeliveriesPickupCommand()
    {
        var hub = HubOption();
        var application = DeliveryApplicationArgument();
        var idNumber = new Option<string>("--id-number") { Description = "The resident ID number on the collector's ID, as checked at the window (only its last 4 characters are kept).", Required = true };
        var window = new Option<string>("--window", "-w") { Description = "The window or site where the results are handed over.", Required = true };
        var authorisedName = new Option<string?>("--authorised") { Description = "The name of a person the applicant authorised (代领), instead of the applicant in person." };
        var authorisationChecked = new Option<bool>("--authorisation-checked") { Description = "For --authorised: the applicant's written authorisation (授权委托书) was checked." };
        var requestId = RequestIdOption();
        var control = ControlOption();
        var command = new Command("pickup", "Records that an application's paper results were collected at the window.")
        {
            application, idNumber, window, authorisedName, authorisationChecked, requestId, hub, control,
        };
        command.SetAction(Guarded(hub, async (parse, cancellationToken) =>
        {
            using var channel = CliTokens.Channel(parse.GetValue(hub)!, parse.GetValue(control)!);
            var client = new DeliveryService.DeliveryServiceClient(channel);
            var authorised = parse.GetValue(authorisedName);
            var delivery = await client.RecordPickupAsync(new RecordPickupRequest
            {
                Name = DeliveryName(parse.GetValue(application)!),
                Collector = authorised is { Length: > 0 } ? Collector.Authorised : Collector.Applicant,
                CollectorName = authorised ?? string.Empty,
                CollectorIdDocument = new IdDocument { Type = IdDocumentType.ResidentId, Number = parse.GetValue(idNumber)! },
                Window = parse.GetValue(window)!,
                AuthorisationChecked = parse.GetValue(authorisationChecked),
                RequestId = parse.GetValue(requestId) ?? Guid.NewGuid().ToString(),
            }, deadline: Deadline(), cancellationToken: cancellationToken);
            Show(delivery);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static string DeliveryName(string application) => ApplicationView.Name(application.Trim()) + "/delivery";

    private void Show(ResultDelivery delivery)
    {
        var how = delivery.Method == DeliveryMethod.Mail ? "mail" : $"pick-up at {delivery.PickupSite}";
        console.MarkupLine($"[bold]{Markup.Escape(delivery.Name)}[/]: {Markup.Escape(delivery.StatusText)} ({Markup.Escape(how)})");
        foreach (var document in delivery.Documents)
        {
            console.MarkupLine($"  {Markup.Escape(document.Title)}" + (document.Number.Length > 0 ? $" No. {Markup.Escape(document.Number)}" : string.Empty));
        }

        if (delivery.Shipment is { } shipment)
        {
            console.MarkupLine($"  {Markup.Escape(shipment.Carrier)} {Markup.Escape(shipment.TrackingNumber)}");
        }

        var table = new Table().Border(TableBorder.Rounded).AddColumn("Time").AddColumn("By").AddColumn("What");
        foreach (var step in delivery.History)
        {
            table.AddRow(new Text(ApplicationView.Time(step.Time)), new Text(step.Actor), new Text(step.Description));
        }

        console.Write(table);
    }
}
