using System.Globalization;
using Departments.SocialInsurance.V1;
using OneThing.Adapters.Internal;

namespace OneThing.Adapters;

/// <summary>
/// Carries the social insurance items to the social insurance agency over its gRPC API: pension
/// registration of self-employed persons without employees and flexible workers
/// (无雇工个体工商户及灵活就业人员参加养老保险登记, <c>si.flexible-pension-registration</c>), unemployment
/// insurance benefits (失业保险金申领, <c>si.unemployment-benefit</c>) and the temporary price subsidy
/// (价格临时补贴申领, <c>si.price-subsidy</c>).
/// </summary>
/// <remarks>
/// Registrations and benefit claims are accepted first (status "01") and decided later ("02"
/// granted, "03" refused); <see cref="GetStatusAsync"/> reads them. The price subsidy is decided at
/// once. The agency is idempotent on <c>trade_no</c>, which carries <see cref="ItemSubmission.IdempotencyKey"/>.
/// </remarks>
public sealed class SocialInsuranceAdapter : IDepartmentAdapter
{
    private const string StatusAccepted = "01";

    // "02" is the decision in the applicant's favour: insured, benefit granted, subsidy paid.
    private const string StatusGranted = "02";
    private const string StatusRefused = "03";

    private readonly DepartmentExchange exchange;
    private readonly FlexibleEmploymentService.FlexibleEmploymentServiceClient client;
    private readonly UnemploymentInsuranceService.UnemploymentInsuranceServiceClient unemployment;

    internal SocialInsuranceAdapter(
        DepartmentExchange exchange,
        FlexibleEmploymentService.FlexibleEmploymentServiceClient client,
        UnemploymentInsuranceService.UnemploymentInsuranceServiceClient unemployment)
    {
        this.exchange = exchange;
        this.client = client;
        this.unemployment = unemployment;
    }

    /// <inheritdoc />
    public Department Department => Department.SocialInsurance;

    /// <inheritdoc />
    public IReadOnlyCollection<string> ItemCodes { get; } = CatalogItems.Of(Department.SocialInsurance);

    /// <inheritdoc />
    public Task<ItemOutcome> SubmitAsync(ItemSubmission submission, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(submission);
        Outcomes.EnsureCarried(ItemCodes, submission.ItemCode, Department);
        return submission.ItemCode switch
        {
            CatalogItems.UnemploymentBenefit => ClaimBenefit(submission, cancellationToken),
            CatalogItems.PriceSubsidy => ClaimPriceSubsidy(submission, cancellationToken),
            _ => RegisterPension(submission, cancellationToken),
        };
    }

    /// <summary>
    /// Reads a registration with QueryRegistration and a benefit claim with QueryUnemploymentBenefit,
    /// by business number. The price subsidy is decided at once, so its "state" is its first answer:
    /// the adapter claims again with the same trade number, which the agency replays.
    /// </summary>
    public Task<ItemOutcome> GetStatusAsync(ItemStatusQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        Outcomes.EnsureCarried(ItemCodes, query.ItemCode, Department);
        return query.ItemCode switch
        {
            CatalogItems.UnemploymentBenefit => exchange.GetStatusAsync(query, token => QueryBenefitAsync(query.CaseNumber, token), cancellationToken),
            CatalogItems.PriceSubsidy => exchange.GetStatusAsync(
                query,
                async token =>
                {
                    // Only the trade number identifies the first claim; the replay answers from it.
                    var replay = new ApplyPriceSubsidyRequest { TradeNo = query.IdempotencyKey };
                    var response = await unemployment.ApplyPriceSubsidyAsync(replay, cancellationToken: token);
                    return response.Code == 1999
                        ? throw exchange.Protocol(
                            $"did not replay price subsidy claim '{query.IdempotencyKey}' from its trade number alone " +
                            $"(1999: {PersonalData.Redact(response.Msg)}); submit the item again with the same idempotency key.")
                        : MapPriceSubsidy(response);
                },
                cancellationToken),
            _ => exchange.GetStatusAsync(query, token => QueryAsync(query.CaseNumber, token), cancellationToken),
        };
    }

    private Task<ItemOutcome> RegisterPension(ItemSubmission submission, CancellationToken cancellationToken)
    {
        var contributionBase = submission.Field(FormFields.PensionContributionBase);
        if (contributionBase is null)
        {
            return exchange.AnswerWithoutCallingAsync(
                submission, Outcomes.Returned(null, Reasons.FieldRequired(FormFields.PensionContributionBase, "缴费基数")));
        }

        var applicant = submission.Applicant;
        var request = new RegisterPensionInsuranceRequest
        {
            TradeNo = submission.IdempotencyKey,
            Aac002 = applicant.IdNumber,
            Aac003 = applicant.Name,
            Aac004 = applicant.Sex,
            Aac005 = applicant.Ethnicity,
            Aae005 = applicant.Mobile,
            Aae006 = applicant.ResidenceAddress,
            ContributionBase = contributionBase,
            Uscc = submission.Field(FormFields.LicenceUscc)
                ?? submission.UpstreamValue(CatalogItems.LicenceVerification, ResultKeys.Uscc)
                ?? string.Empty,
        };

        return exchange.SubmitAsync(
            submission,
            async token =>
            {
                var response = await client.RegisterPensionInsuranceAsync(request, cancellationToken: token);
                return response.Code switch
                {
                    0 when string.IsNullOrEmpty(response.BizNo) => throw exchange.Protocol("accepted a registration without a business number."),
                    0 when response.Status is StatusAccepted or "" => new ItemOutcome.Accepted(response.BizNo),
                    // Already decided: the decision's details (insurance number, contribution) come only with a query.
                    0 => await QueryAsync(response.BizNo, token),
                    1001 => Outcomes.Rejected(response.BizNo, Reasons.AlreadyInsuredByEmployer),
                    1002 => Outcomes.Returned(response.BizNo, Reasons.ContributionBaseOutOfRange(response.Msg)),
                    1003 => Outcomes.Rejected(response.BizNo, Reasons.PastRetirementAge),
                    1999 => throw exchange.Protocol($"refused the registration request as malformed (1999: {PersonalData.Redact(response.Msg)})."),
                    _ => throw exchange.Protocol(
                        $"answered code {response.Code} ({PersonalData.Redact(response.Msg)}), which its contract does not provide for."),
                };
            },
            cancellationToken);
    }

    private Task<ItemOutcome> ClaimBenefit(ItemSubmission submission, CancellationToken cancellationToken)
    {
        var applicant = submission.Applicant;
        var request = new ApplyUnemploymentBenefitRequest
        {
            TradeNo = submission.IdempotencyKey,
            Aac002 = applicant.IdNumber,
            Aac003 = applicant.Name,
            Aac004 = applicant.Sex,
            Aae005 = applicant.Mobile,
            Aae006 = applicant.ResidenceAddress,
            BankName = submission.Field(FormFields.PaymentBankName) ?? string.Empty,
            AccountNo = submission.Field(FormFields.PaymentAccountNumber) ?? string.Empty,
        };

        return exchange.SubmitAsync(
            submission,
            async token =>
            {
                var response = await unemployment.ApplyUnemploymentBenefitAsync(request, cancellationToken: token);
                return response.Code switch
                {
                    0 when string.IsNullOrEmpty(response.BizNo) => throw exchange.Protocol("accepted a benefit claim without a business number."),
                    0 when response.Status is StatusAccepted or "" => new ItemOutcome.Accepted(response.BizNo),
                    // Already decided: the benefit's details come only with a query.
                    0 => await QueryBenefitAsync(response.BizNo, token),
                    1101 => Outcomes.Rejected(response.BizNo, Reasons.StillEmployedForBenefit),
                    1102 => Outcomes.Rejected(response.BizNo, Reasons.InsufficientContribution),
                    1999 => throw exchange.Protocol($"refused the benefit claim as malformed (1999: {PersonalData.Redact(response.Msg)})."),
                    _ => throw exchange.Protocol(
                        $"answered code {response.Code} ({PersonalData.Redact(response.Msg)}) to a benefit claim, which its contract does not provide for."),
                };
            },
            cancellationToken);
    }

    private Task<ItemOutcome> ClaimPriceSubsidy(ItemSubmission submission, CancellationToken cancellationToken)
    {
        var request = new ApplyPriceSubsidyRequest
        {
            TradeNo = submission.IdempotencyKey,
            Aac002 = submission.Applicant.IdNumber,
            Aac003 = submission.Applicant.Name,
            BankName = submission.Field(FormFields.PaymentBankName) ?? string.Empty,
            AccountNo = submission.Field(FormFields.PaymentAccountNumber) ?? string.Empty,
        };

        return exchange.SubmitAsync(
            submission,
            async token =>
            {
                var response = await unemployment.ApplyPriceSubsidyAsync(request, cancellationToken: token);
                return response.Code == 1999
                    ? throw exchange.Protocol($"refused the price subsidy claim as malformed (1999: {PersonalData.Redact(response.Msg)}).")
                    : MapPriceSubsidy(response);
            },
            cancellationToken);
    }

    private ItemOutcome MapPriceSubsidy(ApplyPriceSubsidyResponse response) => response.Code switch
    {
        0 when string.IsNullOrEmpty(response.SubsidyNo) => throw exchange.Protocol("granted a price subsidy without a subsidy number."),
        0 when response.Status == StatusGranted => new ItemOutcome.Completed(
            response.SubsidyNo,
            Outcomes.Result((ResultKeys.Amount, response.Amount), (ResultKeys.SubsidyNo, response.SubsidyNo)),
            Outcomes.NullIfEmpty(response.Msg)),
        1201 => Outcomes.Rejected(response.SubsidyNo, Reasons.NotReceivingBenefit),
        _ => throw exchange.Protocol(
            $"answered code {response.Code}, status '{response.Status}' ({PersonalData.Redact(response.Msg)}) to a price subsidy claim, which its contract does not provide for."),
    };

    private async Task<ItemOutcome> QueryBenefitAsync(string bizNo, CancellationToken cancellationToken)
    {
        var response = await unemployment.QueryUnemploymentBenefitAsync(
            new QueryUnemploymentBenefitRequest { BizNo = bizNo }, cancellationToken: cancellationToken);
        if (response.Code != 0)
        {
            throw exchange.Protocol(response.Code == 2001
                ? $"has no benefit claim '{bizNo}' (2001: {PersonalData.Redact(response.Msg)})."
                : $"answered QueryUnemploymentBenefit with code {response.Code} ({PersonalData.Redact(response.Msg)}), which its contract does not provide for.");
        }

        return response.Status switch
        {
            StatusAccepted => new ItemOutcome.Accepted(bizNo),
            StatusGranted => new ItemOutcome.Completed(
                bizNo,
                Outcomes.Result(
                    (ResultKeys.MonthlyAmount, response.MonthlyAmount),
                    (ResultKeys.Months, response.Months.ToString(CultureInfo.InvariantCulture)),
                    (ResultKeys.BenefitNo, response.BenefitNo))),
            StatusRefused => Outcomes.Rejected(bizNo, Reasons.BenefitRefused(response.Msg)),
            _ => throw exchange.Protocol($"answered benefit claim '{bizNo}' in status '{response.Status}', which its contract does not provide for."),
        };
    }

    private async Task<ItemOutcome> QueryAsync(string bizNo, CancellationToken cancellationToken)
    {
        var response = await client.QueryRegistrationAsync(new QueryRegistrationRequest { BizNo = bizNo }, cancellationToken: cancellationToken);
        if (response.Code != 0)
        {
            throw exchange.Protocol(response.Code == 2001
                ? $"has no registration '{bizNo}' (2001: {PersonalData.Redact(response.Msg)})."
                : $"answered QueryRegistration with code {response.Code} ({PersonalData.Redact(response.Msg)}), which its contract does not provide for.");
        }

        return response.Status switch
        {
            StatusAccepted => new ItemOutcome.Accepted(bizNo),
            StatusGranted => new ItemOutcome.Completed(
                bizNo,
                Outcomes.Result(
                    (ResultKeys.InsuranceNumber, response.Aac001),
                    (ResultKeys.MonthlyContribution, response.MonthlyContribution),
                    (ResultKeys.PersonalAccountPart, response.PersonalAccountPart),
                    (ResultKeys.StartMonth, response.StartMonth))),
            StatusRefused => Outcomes.Rejected(bizNo, Reasons.RegistrationRefused(response.Msg)),
            _ => throw exchange.Protocol($"answered registration '{bizNo}' in status '{response.Status}', which its contract does not provide for."),
        };
    }
}
