using Departments.SsCard.V1;
using OneThing.Adapters.Internal;

namespace OneThing.Adapters;

/// <summary>
/// Applies for a first social security card (社会保障卡申领, <c>sscard.card-application</c>) with the
/// card system over its gRPC API.
/// </summary>
/// <remarks>
/// The card system answers in the style of payment gateways (<c>result_code</c> SUCCESS/FAIL with an
/// <c>err_code</c>). An application is accepted while the card is made ("MAKING") and ends "MADE" or
/// "FAILED"; <see cref="GetStatusAsync"/> reads it. Idempotent on <c>out_trade_no</c>, which carries
/// <see cref="ItemSubmission.IdempotencyKey"/>.
/// </remarks>
public sealed class SocialSecurityCardAdapter : IDepartmentAdapter
{
    private const string Success = "SUCCESS";
    private const string Fail = "FAIL";
    private const string ResidentIdCertType = "01";
    private const string Making = "MAKING";
    private const string Made = "MADE";
    private const string Failed = "FAILED";

    private readonly DepartmentExchange exchange;
    private readonly CardApplicationService.CardApplicationServiceClient client;

    internal SocialSecurityCardAdapter(DepartmentExchange exchange, CardApplicationService.CardApplicationServiceClient client)
    {
        this.exchange = exchange;
        this.client = client;
    }

    /// <inheritdoc />
    public Department Department => Department.SocialSecurityCard;

    /// <inheritdoc />
    public IReadOnlyCollection<string> ItemCodes { get; } = CatalogItems.Of(Department.SocialSecurityCard);

    /// <inheritdoc />
    public Task<ItemOutcome> SubmitAsync(ItemSubmission submission, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(submission);
        Outcomes.EnsureCarried(ItemCodes, submission.ItemCode, Department);
        var applicant = submission.Applicant;

        // The card system takes applications on a resident ID card only ("01").
        if (!string.Equals(applicant.IdType, "resident-id", StringComparison.OrdinalIgnoreCase))
        {
            return exchange.AnswerWithoutCallingAsync(submission, Outcomes.Rejected(null, Reasons.IdTypeNotSupported));
        }

        var photoReceiptNo = submission.Field(FormFields.CardPhotoReceiptNo);
        if (photoReceiptNo is null)
        {
            return exchange.AnswerWithoutCallingAsync(
                submission, Outcomes.Returned(null, Reasons.FieldRequired(FormFields.CardPhotoReceiptNo, "相片回执号")));
        }

        CardDelivery delivery;
        switch (submission.Field(FormFields.CardPickup))
        {
            case "post":
                delivery = new CardDelivery
                {
                    Mode = "POST",
                    Address = submission.Field(FormFields.DeliveryAddress) ?? applicant.ResidenceAddress,
                    Recipient = submission.Field(FormFields.DeliveryRecipient) ?? applicant.Name,
                    Phone = submission.Field(FormFields.DeliveryMobile) ?? applicant.Mobile,
                };
                break;
            case "branch":
                var branchCode = submission.Field(FormFields.CardBranchCode);
                if (branchCode is null)
                {
                    return exchange.AnswerWithoutCallingAsync(submission, Outcomes.Returned(null, Reasons.CardBranchRequired));
                }

                delivery = new CardDelivery { Mode = "BRANCH", BranchCode = branchCode };
                break;
            default:
                return exchange.AnswerWithoutCallingAsync(submission, Outcomes.Returned(null, Reasons.CardPickupInvalid));
        }

        var request = new ApplyCardRequest
        {
            OutTradeNo = submission.IdempotencyKey,
            CertType = ResidentIdCertType,
            CertNo = applicant.IdNumber,
            Name = applicant.Name,
            Mobile = applicant.Mobile,
            PhotoReceiptNo = photoReceiptNo,
            Delivery = delivery,
            BankName = submission.Field(FormFields.PaymentBankName) ?? string.Empty,
        };

        return exchange.SubmitAsync(
            submission,
            async token =>
            {
                var response = await client.ApplyCardAsync(request, cancellationToken: token);
                return (response.ResultCode, response.ErrCode) switch
                {
                    (Success, _) when string.IsNullOrEmpty(response.ApplyNo) =>
                        throw exchange.Protocol("accepted a card application without an application number."),
                    (Success, _) when response.Status is Making or "" => new ItemOutcome.Accepted(response.ApplyNo),
                    // Already decided: the card number and account come only with a query.
                    (Success, _) => await QueryAsync(response.ApplyNo, token),
                    (Fail, "CARD_EXISTS") => Outcomes.Rejected(response.ApplyNo, Reasons.CardAlreadyHeld),
                    (Fail, "PHOTO_RECEIPT_INVALID") => Outcomes.Returned(response.ApplyNo, Reasons.PhotoReceiptInvalid),
                    (Fail, "PARAM_ERROR") => throw exchange.Protocol(
                        $"refused the card application as malformed (PARAM_ERROR: {PersonalData.Redact(response.ErrCodeDes)})."),
                    _ => throw exchange.Protocol(
                        $"answered {response.ResultCode}/{response.ErrCode} ({PersonalData.Redact(response.ErrCodeDes)}), which its contract does not provide for."),
                };
            },
            cancellationToken);
    }

    /// <summary>Reads the application with QueryApplication by its application number.</summary>
    public Task<ItemOutcome> GetStatusAsync(ItemStatusQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        Outcomes.EnsureCarried(ItemCodes, query.ItemCode, Department);
        return exchange.GetStatusAsync(query, token => QueryAsync(query.CaseNumber, token), cancellationToken);
    }

    private async Task<ItemOutcome> QueryAsync(string applyNo, CancellationToken cancellationToken)
    {
        var response = await client.QueryApplicationAsync(new QueryApplicationRequest { ApplyNo = applyNo }, cancellationToken: cancellationToken);
        if (response.ResultCode != Success)
        {
            throw exchange.Protocol(response.ErrCode == "APPLY_NOT_EXIST"
                ? $"has no card application '{applyNo}' (APPLY_NOT_EXIST)."
                : $"answered QueryApplication with {response.ResultCode}/{response.ErrCode} ({PersonalData.Redact(response.ErrCodeDes)}), which its contract does not provide for.");
        }

        return response.Status switch
        {
            Making => new ItemOutcome.Accepted(applyNo),
            Made => new ItemOutcome.Completed(
                applyNo,
                Outcomes.Result((ResultKeys.CardNumber, response.CardNo), (ResultKeys.BankAccount, response.BankAccount))),
            Failed => Outcomes.Rejected(applyNo, Reasons.CardProductionFailed(response.FailReason)),
            _ => throw exchange.Protocol($"answered card application '{applyNo}' in status '{response.Status}', which its contract does not provide for."),
        };
    }
}
