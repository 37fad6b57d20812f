using Departments.Tax.V1;
using OneThing.Adapters.Internal;

namespace OneThing.Adapters;

/// <summary>
/// Confirms taxpayer information (纳税人信息确认, <c>tax.taxpayer-confirmation</c>) with the tax
/// system over its gRPC API, using the licence that market regulation verified.
/// </summary>
/// <remarks>
/// The tax system answers business outcomes with status OK and a <c>return_code</c>; confirmation
/// completes at once. It is idempotent on <c>business_serial_no</c>, which carries
/// <see cref="ItemSubmission.IdempotencyKey"/>.
/// </remarks>
public sealed class TaxAdapter : IDepartmentAdapter
{
    private const string Confirmed = "0000";
    private const string NotFound = "2001";

    private readonly DepartmentExchange exchange;
    private readonly TaxpayerInfoService.TaxpayerInfoServiceClient client;

    internal TaxAdapter(DepartmentExchange exchange, TaxpayerInfoService.TaxpayerInfoServiceClient client)
    {
        this.exchange = exchange;
        this.client = client;
    }

    /// <inheritdoc />
    public Department Department => Department.Tax;

    /// <inheritdoc />
    public IReadOnlyCollection<string> ItemCodes { get; } = CatalogItems.Of(Department.Tax);

    /// <inheritdoc />
    public Task<ItemOutcome> SubmitAsync(ItemSubmission submission, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(submission);
        Outcomes.EnsureCarried(ItemCodes, submission.ItemCode, Department);
        var licence = Outcomes.RequireLicence(submission);

        var request = new ConfirmTaxpayerInfoRequest
        {
            BusinessSerialNo = submission.IdempotencyKey,
            // The form's values, as the applicant typed them; the verified licence stands in when the form lacks them.
            TaxpayerName = submission.Field(FormFields.LicenceName) ?? licence.Value(ResultKeys.EntityName) ?? string.Empty,
            Uscc = submission.Field(FormFields.LicenceUscc) ?? licence.Value(ResultKeys.Uscc) ?? string.Empty,
            LegalRepresentative = licence.Value(ResultKeys.OperatorName) ?? submission.Applicant.Name,
            LegalRepresentativeIdNo = licence.Value(ResultKeys.OperatorIdNumber) ?? submission.Applicant.IdNumber,
            RegistrationDate = licence.Value(ResultKeys.RegistrationDate) ?? string.Empty,
            Mobile = submission.Applicant.Mobile,
        };

        return exchange.SubmitAsync(
            submission,
            async token => Map(await client.ConfirmTaxpayerInfoAsync(request, cancellationToken: token)),
            cancellationToken);
    }

    /// <summary>Reads the confirmation with QueryConfirmation, by document number and serial number.</summary>
    public Task<ItemOutcome> GetStatusAsync(ItemStatusQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        Outcomes.EnsureCarried(ItemCodes, query.ItemCode, Department);
        var request = new QueryConfirmationRequest
        {
            DocumentNo = query.CaseNumber ?? string.Empty,
            BusinessSerialNo = query.IdempotencyKey,
        };

        return exchange.GetStatusAsync(
            query,
            async token =>
            {
                var response = await client.QueryConfirmationAsync(request, cancellationToken: token);
                return response.ReturnCode switch
                {
                    Confirmed when response.Confirmation is { } confirmation => Map(confirmation),
                    Confirmed => throw exchange.Protocol($"answered QueryConfirmation with {Confirmed} but no confirmation."),
                    NotFound => throw exchange.Protocol(
                        $"has no confirmation for document '{query.CaseNumber}' / serial '{query.IdempotencyKey}' ({NotFound}: {PersonalData.Redact(response.ReturnMessage)})."),
                    _ => throw exchange.Protocol(
                        $"answered QueryConfirmation with return_code '{response.ReturnCode}' ({PersonalData.Redact(response.ReturnMessage)}), which its contract does not provide for."),
                };
            },
            cancellationToken);
    }

    private ItemOutcome Map(ConfirmTaxpayerInfoResponse response) => response.ReturnCode switch
    {
        Confirmed when string.IsNullOrEmpty(response.DocumentNo) =>
            throw exchange.Protocol($"confirmed ({Confirmed}) without a document number."),
        Confirmed => new ItemOutcome.Completed(
            response.DocumentNo,
            Outcomes.Result(
                (ResultKeys.TaxpayerId, response.TaxpayerId),
                (ResultKeys.TaxAuthority, response.TaxAuthority),
                (ResultKeys.DocumentNo, response.DocumentNo),
                (ResultKeys.ConfirmedAt, response.ConfirmedAt))),
        "1001" => Outcomes.Rejected(response.DocumentNo, Reasons.TaxpayerNotRegistered),
        "1002" => Outcomes.Returned(response.DocumentNo, Reasons.TaxpayerNameMismatch),
        "1003" => Outcomes.Rejected(response.DocumentNo, Reasons.TaxpayerAbnormal),
        "9999" => throw exchange.Protocol(
            $"refused the confirmation request as malformed (9999: {PersonalData.Redact(response.ReturnMessage)})."),
        _ => throw exchange.Protocol(
            $"answered return_code '{response.ReturnCode}' ({PersonalData.Redact(response.ReturnMessage)}), which its contract does not provide for."),
    };
}
