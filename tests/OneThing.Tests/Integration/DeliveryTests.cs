using Grpc.Core;
using Grpc.Core.Interceptors;
using OneThing.Hub.V1;
using OneThing.Sandbox;
using OneThing.Sandbox.Cli;
using OneThing.Simulators;
using OneThing.Tests.Support;
using Spectre.Console.Testing;
using DeliveryState = OneThing.Hub.V1.ResultDelivery.Types.State;

namespace OneThing.Tests.Integration;

/// <summary>
/// Unified delivery (统一出件) through real gRPC against the simulators: Luoyang's applicant chose mail,
/// Baotou's pick-up at the window. The delivery is ready when the paper-producing item is granted, the
/// clerk records the shipment or the collection, and the applicant is told by SMS and in-app message.
/// </summary>
public sealed class DeliveryTests
{
    private const string Carrier = "中国邮政EMS";
    private const string TrackingNumber = "EA123456789CN";

    [Fact]
    public async Task Luoyang_Mail_ReadyOnceTheCertificateIsGranted_ShipmentRecordedSeenAndTold_RepeatChangesNothing()
    {
        await using var sandbox = await HubSandbox.StartAsync().Within();
        var person = sandbox.Simulators.Population.Scenarios.Ready;
        var deliveries = new DeliveryService.DeliveryServiceClient(sandbox.Invoker);
        var submitted = await sandbox.SubmitAsync(SampleApplications.Luoyang(person, sandbox.Today));
        var id = submitted.Name["applications/".Length..];
        var name = submitted.Name + "/delivery";

        // The catalog tells the form which results come on paper.
        var theme = await sandbox.Catalog.GetThemeAsync(new GetThemeRequest { Name = SampleApplications.LuoyangTheme }, Bounded.Options).Within();
        Assert.Equal(["hr.employment-certificate"], theme.Items.Where(i => i.PaperResult.Length > 0).Select(i => i.Code));

        var done = await sandbox.WaitForCompletionAsync(submitted.Name);
        var ready = await deliveries.GetDeliveryAsync(new GetDeliveryRequest { Name = name }, Bounded.Options).Within();

        Assert.Equal((DeliveryState.Ready, DeliveryMethod.Mail, "待寄递"), (ready.State, ready.Method, ready.StatusText));
        var document = Assert.Single(ready.Documents);
        Assert.Equal($"{submitted.Name}/items/hr.employment-certificate", document.Item);
        Assert.Equal(done.Items.Single(i => i.ItemCode == "hr.employment-certificate").Result["certificate_number"], document.Number);
        Assert.Equal(person.ResidenceDivisionCode, ready.Address.DivisionCode);
        Assert.NotEqual(person.Mobile, ready.RecipientMobile);
        Assert.EndsWith(person.Mobile[^4..], ready.RecipientMobile, StringComparison.Ordinal);
        Assert.Null(ready.Shipment);
        Assert.Equal([DeliveryState.Awaiting, DeliveryState.Ready], ready.History.Select(h => h.State));

        // The applicant heard that the results are ready, on both channels.
        var readyNotices = await WaitForMessagesAsync(sandbox, m => m.RequestId.StartsWith($"delivery/{id}/ready/", StringComparison.Ordinal), 2);
        Assert.Contains(readyNotices, m => m.Channel == "sms" && m.Recipient == person.Mobile && m.Content.Contains("邮寄", StringComparison.Ordinal));

        // A pick-up cannot be recorded for a mail delivery: refused with the reason, nothing changes.
        var mismatch = await RichErrors.FailureOf(() => deliveries.RecordPickupAsync(ApplicantPickup(name, person), Bounded.Options).ResponseAsync);
        Assert.Equal((StatusCode.FailedPrecondition, "DELIVERY_METHOD_MISMATCH"), (mismatch.Code, mismatch.Info.Reason));

        // The applicant cannot record a shipment of their own.
        var request = new RecordShipmentRequest { Name = name, Carrier = Carrier, TrackingNumber = TrackingNumber, RequestId = Guid.NewGuid().ToString() };
        var byApplicant = await Assert.ThrowsAsync<RpcException>(() => As(sandbox, sandbox.Identity.Applicant(person.IdNumber)).RecordShipmentAsync(request, Bounded.Options).ResponseAsync.Within());
        Assert.Equal(StatusCode.PermissionDenied, byApplicant.StatusCode);

        // The operator records the shipment; the same request again changes nothing.
        var shipped = await deliveries.RecordShipmentAsync(request, Bounded.Options).Within();
        Assert.Equal((DeliveryState.Shipped, "已寄出", Carrier, TrackingNumber), (shipped.State, shipped.StatusText, shipped.Shipment.Carrier, shipped.Shipment.TrackingNumber));
        request.TrackingNumber = "SF0000000000";
        var repeated = await deliveries.RecordShipmentAsync(request, Bounded.Options).Within();
        Assert.Equal(TrackingNumber, repeated.Shipment.TrackingNumber);
        Assert.Equal(shipped.History.Count, repeated.History.Count);
        Assert.Equal(shipped.UpdateTime, repeated.UpdateTime);

        // Another shipment under a new request id is refused: it went out already.
        request.RequestId = Guid.NewGuid().ToString();
        var twice = await RichErrors.FailureOf(() => deliveries.RecordShipmentAsync(request, Bounded.Options).ResponseAsync);
        Assert.Equal((StatusCode.FailedPrecondition, "DELIVERY_ALREADY_SHIPPED"), (twice.Code, twice.Info.Reason));

        // The applicant sees the tracking number and gets it by SMS and in-app message, once each.
        var seen = await deliveries.GetDeliveryAsync(new GetDeliveryRequest { Name = name }, Bounded.Options).Within();
        Assert.Equal(TrackingNumber, seen.Shipment.TrackingNumber);
        Assert.Contains(seen.History, h => h.State == DeliveryState.Shipped && h.Description.Contains(TrackingNumber, StringComparison.Ordinal));
        var shippedNotices = await WaitForMessagesAsync(sandbox, m => m.RequestId.StartsWith($"delivery/{id}/shipped/", StringComparison.Ordinal), 2);
        Assert.Equal(["in-app", "sms"], shippedNotices.Select(m => m.Channel).Order(StringComparer.Ordinal));
        Assert.All(shippedNotices, m => Assert.Contains(TrackingNumber, m.Content, StringComparison.Ordinal));
        Assert.Equal(person.Mobile, shippedNotices.Single(m => m.Channel == "sms").Recipient);

        // The carrier's confirmation closes it.
        var delivered = await deliveries.RecordDeliveredAsync(new RecordDeliveredRequest { Name = name, Note = "本人签收", RequestId = Guid.NewGuid().ToString() }, Bounded.Options).Within();
        Assert.Equal((DeliveryState.Delivered, "本人签收"), (delivered.State, delivered.Shipment.DeliveryNote));

        // The testers' CLI shows it too.
        var console = new TestConsole();
        console.Profile.Width = 300;
        var code = await OnethingCli.InvokeAsync(
            ["deliveries", "get", id, "--hub", sandbox.HubAddress.ToString(), "--control", sandbox.Simulators.ControlUri.ToString()],
            console, TestContext.Current.CancellationToken).Within();
        Assert.Equal(0, code);
        Assert.Contains("已签收", console.Output, StringComparison.Ordinal);
        Assert.Contains(TrackingNumber, console.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Baotou_Pickup_NotReadyWhileTheLoanIsDecided_ThenCollectedByTheApplicant_ShipmentRefused()
    {
        await using var sandbox = await HubSandbox.StartAsync().Within();
        var person = sandbox.Simulators.Population.Scenarios.BaotouReady;
        var deliveries = new DeliveryService.DeliveryServiceClient(sandbox.Invoker);

        // While the department holds the loan application, the delivery waits and nothing can be handed over.
        sandbox.Simulators.HumanResources.Faults.HoldCalls();
        var submitted = await sandbox.SubmitAsync(SampleApplications.Baotou(person, sandbox.Today));
        var id = submitted.Name["applications/".Length..];
        var name = submitted.Name + "/delivery";
        var awaiting = await deliveries.GetDeliveryAsync(new GetDeliveryRequest { Name = name }, Bounded.Options).Within();
        Assert.Equal((DeliveryState.Awaiting, DeliveryMethod.Pickup, "待出件"), (awaiting.State, awaiting.Method, awaiting.StatusText));
        Assert.Equal("包头市政务服务中心创业一件事窗口（电话通知领取）", awaiting.PickupSite);
        var early = await RichErrors.FailureOf(() => deliveries.RecordPickupAsync(ApplicantPickup(name, person), Bounded.Options).ResponseAsync);
        Assert.Equal((StatusCode.FailedPrecondition, "DELIVERY_NOT_READY"), (early.Code, early.Info.Reason));
        sandbox.Simulators.HumanResources.Faults.ReleaseCalls();

        await sandbox.WaitForCompletionAsync(submitted.Name);
        var ready = await deliveries.GetDeliveryAsync(new GetDeliveryRequest { Name = name }, Bounded.Options).Within();
        Assert.Equal((DeliveryState.Ready, "待领取"), (ready.State, ready.StatusText));
        Assert.Contains("审核结果通知书", Assert.Single(ready.Documents).Title, StringComparison.Ordinal);
        var readyNotices = await WaitForMessagesAsync(sandbox, m => m.RequestId.StartsWith($"delivery/{id}/ready/", StringComparison.Ordinal), 2);
        Assert.All(readyNotices, m => Assert.Contains(ready.PickupSite, m.Content, StringComparison.Ordinal));

        // Posting what the applicant collects at the window is refused with the reason.
        var mismatch = await RichErrors.FailureOf(() => deliveries.RecordShipmentAsync(
            new RecordShipmentRequest { Name = name, Carrier = Carrier, TrackingNumber = TrackingNumber, RequestId = Guid.NewGuid().ToString() }, Bounded.Options).ResponseAsync);
        Assert.Equal((StatusCode.FailedPrecondition, "DELIVERY_METHOD_MISMATCH"), (mismatch.Code, mismatch.Info.Reason));

        // Every problem of a collection is told at once, in Chinese.
        var incomplete = new RecordPickupRequest
        {
            Name = name,
            Collector = Collector.Authorised,
            CollectorIdDocument = new IdDocument { Type = IdDocumentType.ResidentId, Number = "110105194912310037" },
            RequestId = Guid.NewGuid().ToString(),
        };
        var invalid = await RichErrors.FailureOf(() => deliveries.RecordPickupAsync(incomplete, Bounded.Options).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, invalid.Code);
        Assert.Equal(["collector_id_document.number", "collector_name", "authorisation_checked", "window"], invalid.Violations.Select(v => v.Field));
        Assert.All(invalid.Violations, v => Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", v.Description));

        // The applicant collects it in person from a window clerk: only the last four characters of the ID are kept.
        var clerk = As(sandbox, sandbox.Identity.Clerk("clerk-7", "baotou-centre"));
        var pickup = ApplicantPickup(name, person);
        var collected = await clerk.RecordPickupAsync(pickup, Bounded.Options).Within();
        Assert.Equal((DeliveryState.PickedUp, "已领取"), (collected.State, collected.StatusText));
        Assert.Equal((Collector.Applicant, person.IdNumber[^4..], "3号窗口"), (collected.Pickup.Collector, collected.Pickup.CollectorIdLast4, collected.Pickup.Window));
        Assert.Equal("clerk:clerk-7", collected.Pickup.RecordedBy);
        Assert.DoesNotContain(collected.History, h => h.Description.Contains(person.IdNumber, StringComparison.Ordinal));
        var repeated = await clerk.RecordPickupAsync(pickup, Bounded.Options).Within();
        Assert.Equal(collected.History.Count, repeated.History.Count);
        pickup.RequestId = Guid.NewGuid().ToString();
        var twice = await RichErrors.FailureOf(() => clerk.RecordPickupAsync(pickup, Bounded.Options).ResponseAsync);
        Assert.Equal("DELIVERY_ALREADY_PICKED_UP", twice.Info.Reason);

        var notices = await WaitForMessagesAsync(sandbox, m => m.RequestId.StartsWith($"delivery/{id}/pickedup/", StringComparison.Ordinal), 2);
        Assert.Equal(person.Mobile, notices.Single(m => m.Channel == "sms").Recipient);
        Assert.All(notices, m => Assert.Contains("3号窗口", m.Content, StringComparison.Ordinal));
    }

    [Fact]
    public async Task GetDelivery_ThemeWithoutPaperResults_NotFoundWithTheReason()
    {
        await using var sandbox = await HubSandbox.StartAsync().Within();
        var deliveries = new DeliveryService.DeliveryServiceClient(sandbox.Invoker);
        var submitted = await sandbox.SubmitAsync(SampleApplications.Jieyang(sandbox.Simulators.Population.Scenarios.JieyangUnemployed, sandbox.Today));

        var missing = await RichErrors.FailureOf(() => deliveries.GetDeliveryAsync(new GetDeliveryRequest { Name = submitted.Name + "/delivery" }, Bounded.Options).ResponseAsync);
        var malformed = await RichErrors.FailureOf(() => deliveries.GetDeliveryAsync(new GetDeliveryRequest { Name = submitted.Name }, Bounded.Options).ResponseAsync);

        Assert.Equal((StatusCode.NotFound, "DELIVERY_NOT_FOUND"), (missing.Code, missing.Info.Reason));
        Assert.Equal(StatusCode.InvalidArgument, malformed.Code);
        Assert.Equal("name", Assert.Single(malformed.Violations).Field);
    }

    private static DeliveryService.DeliveryServiceClient As(HubSandbox sandbox, string token) =>
        new(sandbox.Channel.Intercept(metadata =>
        {
            metadata.Add("authorization", "Bearer " + token);
            return metadata;
        }));

    private static RecordPickupRequest ApplicantPickup(string name, SimulatedPerson person) => new()
    {
        Name = name,
        Collector = Collector.Applicant,
        CollectorIdDocument = new IdDocument { Type = IdDocumentType.ResidentId, Number = person.IdNumber },
        Window = "3号窗口",
        RequestId = Guid.NewGuid().ToString(),
    };

    private static async Task<IReadOnlyList<DeliveredMessage>> WaitForMessagesAsync(HubSandbox sandbox, Func<DeliveredMessage, bool> which, int count)
    {
        var until = DateTime.UtcNow + Bounded.Default;
        while (true)
        {
            var messages = sandbox.Simulators.Messaging.Delivered.Where(which).ToList();
            if (messages.Count >= count)
            {
                return messages;
            }

            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException($"only {messages.Count} of {count} messages arrived");
            }

            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }
}
