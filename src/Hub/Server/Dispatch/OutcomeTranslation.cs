using OneThing.Adapters;
using OneThing.Hub.Domain.Applications;

namespace OneThing.Hub.Dispatch;

/// <summary>Translates between the adapter port's terms and the domain's.</summary>
internal static class OutcomeTranslation
{
    public static ItemDecision ToDecision(ItemOutcome outcome) => outcome switch
    {
        ItemOutcome.Completed c => new ItemDecision.Completed(c.CaseNumber ?? string.Empty, c.Result, c.Opinion),
        ItemOutcome.Accepted a => new ItemDecision.Accepted(a.CaseNumber ?? string.Empty),
        ItemOutcome.Returned r => new ItemDecision.Returned(r.CaseNumber, Reasons(r.Reasons)),
        ItemOutcome.Rejected r => new ItemDecision.Rejected(r.CaseNumber, Reasons(r.Reasons)),
        ItemOutcome.Deferred d => new ItemDecision.Deferred(d.CaseNumber, d.EligibleOn, Reasons(d.Reasons)),
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "unknown outcome"),
    };

    private static List<ItemReason> Reasons(IReadOnlyList<OutcomeReason> reasons) =>
        reasons.Select(r => new ItemReason(r.Code, r.Message, r.Field)).ToList();

    /// <summary>Builds the port's view of an item from the aggregate.</summary>
    public static ItemSubmission ToSubmission(JointApplication application, ApplicationItem item, string correlationId)
    {
        var content = application.Content;
        var fields = new Dictionary<string, string>(content.Fields, StringComparer.Ordinal);
        if (content.Payment is { } payment)
        {
            fields["payment.bank_name"] = payment.BankName;
            fields["payment.account_number"] = payment.AccountNumber;
        }

        if (content.Delivery is { } delivery)
        {
            fields["delivery.method"] = delivery.Method switch
            {
                DeliveryKind.Mail => "mail",
                DeliveryKind.Pickup => "pickup",
                _ => string.Empty,
            };
            if (delivery.Address is { } address)
            {
                fields["delivery.division_code"] = address.DivisionCode;
                fields["delivery.address"] = address.Detail;
            }

            fields["delivery.recipient"] = delivery.Recipient;
            fields["delivery.mobile"] = delivery.RecipientMobile;
            fields["delivery.pickup_site"] = delivery.PickupSite;
        }

        var upstream = item.Prerequisites.ToDictionary(
            p => p,
            p => application.Item(p).Result,
            StringComparer.Ordinal);
        var a = content.Applicant;
        var applicant = new Applicant(
            a.Name,
            a.Sex switch { Sex.Male => "1", Sex.Female => "2", _ => string.Empty },
            a.Ethnicity,
            IdTypeName(a.IdType),
            a.IdNumber,
            a.Mobile,
            a.Residence?.DivisionCode ?? string.Empty,
            a.Residence?.Detail ?? string.Empty);
        return new ItemSubmission(item.SubmissionId, application.Id, item.ItemCode, application.ThemeCode, correlationId, applicant, fields, upstream);
    }

    private static string IdTypeName(IdDocumentKind kind) => kind switch
    {
        IdDocumentKind.ResidentId => "resident-id",
        IdDocumentKind.HouseholdRegister => "household-register",
        IdDocumentKind.HongKongMacaoPermit => "hk-macao-permit",
        IdDocumentKind.TaiwanPermit => "taiwan-permit",
        IdDocumentKind.HmtResidencePermit => "hmt-residence-permit",
        IdDocumentKind.HongKongMacaoPassport => "hk-macao-passport",
        IdDocumentKind.SocialSecurityCard => "social-security-card",
        _ => string.Empty,
    };
}
