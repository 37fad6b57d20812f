using Departments.SocialInsurance.V1;
using OneThing.Adapters.Internal;

namespace OneThing.Adapters;

/// <summary>
/// Registers self-employed persons without employees and flexible workers for pension insurance
/// (无雇工个体工商户及灵活就业人员参加养老保险登记, <c>si.flexible-pension-registration</c>) with the
/// social insurance agency over its gRPC API.
/// </summary>
/// <remarks>
/// Registration is accepted first (status "01") and decided later ("02" insured, "03" refused);
/// <see cref="GetStatusAsync"/> reads it with QueryRegistration. The agency is idempotent on
/// <c>trade_no</c>, which carries <see cref="ItemSubmission.IdempotencyKey"/>.
/// </remarks>
public sealed class SocialInsuranceAdapter : IDepartmentAdapter
{
    private const string StatusAccepted = "01";
    private const string StatusInsured = "02";
    private const string StatusRefused = "03";

    private readonly DepartmentExchange exchange;
    private readonly FlexibleEmploymentService.FlexibleEmploymentServiceClient client;

    internal SocialInsuranceAdapter(DepartmentExchange exchange, FlexibleEmploymentService.FlexibleEmploymentServiceClient client)
    {
        this.exchange = exchange;
        this.client = client;
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

    /// <summary>Reads the registration with QueryRegistration by its business number.</summary>
    public Task<ItemOutcome> GetStatusAsync(ItemStatusQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        Outcomes.EnsureCarried(ItemCodes, query.ItemCode, Department);
        return exchange.GetStatusAsync(query, token => QueryAsync(query.CaseNumber, token), cancellationToken);
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
            StatusInsured => new ItemOutcome.Completed(
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
