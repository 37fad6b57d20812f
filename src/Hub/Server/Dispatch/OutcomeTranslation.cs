using OneThing.Adapters;
using OneThing.Hub.Domain.Applications;

namespace OneThing.Hub.Dispatch;

/// <summary>Translates between the adapter port's terms and the domain's.</summary>
internal static class OutcomeTranslation
{
    // Departments' strings are stored in columns with limits (enforced by PostgreSQL and SQL Server)
    // and PostgreSQL refuses NUL in text: clamp and clean them here, once, for every provider.
    private const int MaxCaseNumber = 100;
    private const int MaxStage = 200;

    public static ItemDecision ToDecision(ItemOutcome outcome) => outcome switch
    {
        ItemOutcome.Completed c => new ItemDecision.Completed(Clean(c.CaseNumber, MaxCaseNumber) ?? string.Empty, c.Result, Clean(c.Opinion, 2000)),
        ItemOutcome.Accepted a => new ItemDecision.Accepted(Clean(a.CaseNumber, MaxCaseNumber) ?? string.Empty, Clean(a.Stage, MaxStage)),
        ItemOutcome.Returned r => new ItemDecision.Returned(Clean(r.CaseNumber, MaxCaseNumber), Reasons(r.Reasons)),
        ItemOutcome.Rejected r => new ItemDecision.Rejected(Clean(r.CaseNumber, MaxCaseNumber), Reasons(r.Reasons)),
        ItemOutcome.Deferred d => new ItemDecision.Deferred(Clean(d.CaseNumber, MaxCaseNumber), d.EligibleOn, Reasons(d.Reasons)),
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "unknown outcome"),
    };

    private static string? Clean(string? text, int max)
    {
        if (text is null)
        {
            return null;
        }

        var clean = text.Replace("\0", string.Empty, StringComparison.Ordinal);
        return clean.Length > max ? clean[..max] : clean;
    }

    private static List<ItemReason> Reasons(IReadOnlyList<OutcomeReason> reasons) =>
        reasons.Select(r => new ItemReason(r.Code, r.Message, FieldPath(r.Field))).ToList();

    /// <summary>
    /// Turns an adapter's field key (the flattened keys of <see cref="ToSubmission"/>) into the path of
    /// that field in the public Application message, so a client can point at it.
    /// </summary>
    public static string? FieldPath(string? key) => key switch
    {
        null or "" => null,
        "payment.bank_name" => "payment_account.bank_name",
        "payment.account_number" => "payment_account.account_number",
        "delivery.method" => "delivery.method",
        "delivery.division_code" => "delivery.address.division_code",
        "delivery.address" => "delivery.address.detail",
        "delivery.recipient" => "delivery.recipient",
        "delivery.mobile" => "delivery.recipient_mobile",
        "delivery.pickup_site" => "delivery.pickup_site",
        _ when key.StartsWith("applicant.", StringComparison.Ordinal) => key,
        _ => $"fields[{key}]",
    };

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
