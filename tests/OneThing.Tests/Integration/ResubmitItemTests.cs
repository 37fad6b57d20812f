using Grpc.Core;
using OneThing.Hub.V1;
using OneThing.Sandbox;
using OneThing.Tests.Support;
using ItemState = OneThing.Hub.V1.ApplicationItem.Types.State;

namespace OneThing.Tests.Integration;

/// <summary>
/// A returned item (退回) is corrected and resubmitted alone (补正): the department receives the corrected
/// version once, under a new submission, and no other item is sent again.
/// </summary>
public sealed class ResubmitItemTests
{
    private const string Card = "sscard.card-application";
    private const string CardReceipt = "card.photo_receipt_no";

    private static DateOnly Today => DateOnly.FromDateTime(DateTime.Now);

    [Fact]
    public async Task ResubmitItem_ReturnedCardCorrected_CompletesAloneAndDepartmentGetsCorrectionOnce()
    {
        await using var sandbox = await HubSandbox.StartAsync().Within();
        var person = sandbox.Simulators.Population.Scenarios.Ready;
        var application = SampleApplications.Luoyang(person, Today);
        application.Fields[CardReceipt] = "000000000000";
        var submitted = await sandbox.SubmitAsync(application);

        // Every other item completes; the card item waits for the applicant, returned with its reason.
        var waiting = await sandbox.WaitUntilAsync(submitted.Name, a =>
            a.Items.All(i => i.ItemCode == Card ? i.State == ItemState.Returned : i.State == ItemState.Succeeded));
        Assert.Equal(Application.Types.State.ActionRequired, waiting.State);
        var returned = waiting.Items.Single(i => i.ItemCode == Card);
        var reason = Assert.Single(returned.Reasons);
        Assert.Equal("PHOTO_RECEIPT_INVALID", reason.Code);
        Assert.Equal($"fields[{CardReceipt}]", reason.Field);
        Assert.Contains($"fields[{CardReceipt}]", returned.CorrectableFields);
        Assert.DoesNotContain("fields[licence.uscc]", returned.CorrectableFields);
        Assert.Equal(0, returned.Corrections);
        var receivedBefore = sandbox.Simulators.All.ToDictionary(d => d.Name, d => d.Received.Count);
        var casesBefore = sandbox.Simulators.All.ToDictionary(d => d.Name, d => d.CaseCount);

        var request = new ResubmitItemRequest { Name = returned.Name, RequestId = Guid.NewGuid().ToString(), Etag = waiting.Etag };
        request.Fields[CardReceipt] = person.PhotoReceiptNo;
        var first = await sandbox.Applications.ResubmitItemAsync(request, Bounded.Options).Within();
        var again = await sandbox.Applications.ResubmitItemAsync(request, Bounded.Options).Within();

        Assert.Equal(Application.Types.State.InProgress, first.State);
        Assert.Equal(1, first.Items.Single(i => i.ItemCode == Card).Corrections);
        // The repeated request changed nothing: still one correction. (Its answer is the application as it
        // is now, so its etag may have moved on with dispatch between the two calls.)
        Assert.Equal(1, again.Items.Single(i => i.ItemCode == Card).Corrections);
        var done = await sandbox.WaitForCompletionAsync(submitted.Name);
        var card = done.Items.Single(i => i.ItemCode == Card);
        Assert.Equal(ItemState.Succeeded, card.State);
        Assert.NotEmpty(card.Result["card_number"]);
        Assert.Equal(person.PhotoReceiptNo, done.Fields[CardReceipt]);
        Assert.Equal(
            [ItemState.Pending, ItemState.Returned, ItemState.Pending],
            card.History.Take(3).Select(e => e.State).ToArray());
        Assert.Equal(1, card.Corrections);

        // The card department received exactly one more call, the correction, under a new key and
        // with the corrected receipt number; every other department received nothing more.
        var cards = sandbox.Simulators.SocialSecurityCard;
        var newCalls = cards.Received.Skip(receivedBefore[cards.Name]).ToList();
        var correction = Assert.Single(newCalls, r => r.Summary.Contains("photo_receipt_no=", StringComparison.Ordinal));
        Assert.Contains($"photo_receipt_no={person.PhotoReceiptNo}", correction.Summary, StringComparison.Ordinal);
        Assert.Equal(1, cards.CountFor(correction.IdempotencyKey));
        Assert.Equal((0, 0), (cards.ReplayCount, cards.DuplicateCount));
        Assert.Equal(casesBefore[cards.Name] + 1, cards.CaseCount);
        foreach (var department in sandbox.Simulators.All.Where(d => d.Name != cards.Name))
        {
            Assert.Equal(receivedBefore[department.Name], department.Received.Count);
            Assert.Equal(casesBefore[department.Name], department.CaseCount);
        }
    }

    [Fact]
    public async Task ResubmitItem_NotOwnedOrInvalidOrNotReturned_RefusedWithEveryProblemAndNothingChanged()
    {
        await using var sandbox = await HubSandbox.StartAsync().Within();
        var person = sandbox.Simulators.Population.Scenarios.Ready;
        var application = SampleApplications.Luoyang(person, Today);
        application.Fields[CardReceipt] = "000000000000";
        var submitted = await sandbox.SubmitAsync(application);
        var waiting = await sandbox.WaitUntilAsync(submitted.Name, a =>
            a.Items.All(i => i.ItemCode == Card ? i.State == ItemState.Returned : i.State == ItemState.Succeeded));
        var returned = waiting.Items.Single(i => i.ItemCode == Card);
        var receivedBefore = sandbox.Simulators.SocialSecurityCard.Received.Count;

        // A field the card item does not own, a payment account nobody pointed at and an over-long
        // receipt number: all reported at once.
        var bad = new ResubmitItemRequest { Name = returned.Name, RequestId = Guid.NewGuid().ToString() };
        bad.Fields["licence.name"] = "另一家店";
        bad.Fields[CardReceipt] = new string('9', 40);
        bad.PaymentAccount = new PaymentAccount { BankName = "中国银行", AccountNumber = "6216600000000000000" };
        var refused = await RichErrors.FailureOf(() => sandbox.Applications.ResubmitItemAsync(bad, Bounded.Options).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, refused.Code);
        Assert.Contains(refused.Violations, v => v.Field == "fields[licence.name]" && v.Reason == "FIELD_NOT_CORRECTABLE");
        Assert.Contains(refused.Violations, v => v.Field == "payment_account" && v.Reason == "FIELD_NOT_CORRECTABLE");
        Assert.Contains(refused.Violations, v => v.Field == $"fields[{CardReceipt}]");
        Assert.All(refused.Violations, v => Assert.False(string.IsNullOrWhiteSpace(v.Description)));

        // A succeeded item cannot be "corrected"; an unknown item is not found.
        var tax = waiting.Items.Single(i => i.ItemCode == "tax.taxpayer-confirmation");
        var notReturned = await RichErrors.FailureOf(() => sandbox.Applications.ResubmitItemAsync(
            new ResubmitItemRequest { Name = tax.Name, RequestId = Guid.NewGuid().ToString() }, Bounded.Options).ResponseAsync);
        Assert.Equal(StatusCode.FailedPrecondition, notReturned.Code);
        Assert.Equal("ITEM_NOT_RETURNED", notReturned.Info.Reason);
        var unknown = await RichErrors.FailureOf(() => sandbox.Applications.ResubmitItemAsync(
            new ResubmitItemRequest { Name = submitted.Name + "/items/no.such-item", RequestId = Guid.NewGuid().ToString() }, Bounded.Options).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, unknown.Code);

        // Nothing was stored or sent.
        var after = await sandbox.Applications.GetApplicationAsync(new GetApplicationRequest { Name = submitted.Name }, Bounded.Options).Within();
        Assert.Equal(waiting.Etag, after.Etag);
        Assert.Equal("000000000000", after.Fields[CardReceipt]);
        Assert.Equal(receivedBefore, sandbox.Simulators.SocialSecurityCard.Received.Count);
    }
}
