using System.Globalization;
using Departments.SocialInsurance.V1;

namespace OneThing.Simulators.Internal.SocialInsurance;

/// <summary>
/// The social insurance agency's decisions on unemployment insurance benefits and the temporary price
/// subsidy. A benefit claim is accepted ("01") and granted ("02") once its completion delay has passed
/// on the simulator's clock; the price subsidy is granted at once to a person with a benefit claim.
/// Called only under the simulator's lock.
/// </summary>
internal sealed class UnemploymentOffice(SyntheticPopulation population, TimeProvider timeProvider)
{
    public const int Accepted = 0;
    public const int StillEmployed = 1101;
    public const int InsufficientContribution = 1102;
    public const int NotReceivingBenefit = 1201;
    public const int Malformed = 1999;
    public const int NotFound = 2001;
    public const string StatusAccepted = "01";
    public const string StatusGranted = "02";

    /// <summary>The simulated local minimum monthly wage in yuan; the benefit is 90% of it.</summary>
    public const decimal MinimumWage = 1720.00m;

    /// <summary>The share of the minimum wage paid as the monthly benefit.</summary>
    public const decimal BenefitRate = 0.90m;

    /// <summary>The temporary price subsidy for the current month, in yuan.</summary>
    public const string PriceSubsidyAmount = "40.00";

    /// <summary>The fewest months of contributions that entitle a person to benefits.</summary>
    public const int MinimumContributionMonths = 12;

    private readonly Dictionary<string, BenefitClaim> claimsByBizNo = new(StringComparer.Ordinal);
    private readonly HashSet<string> claimants = new(StringComparer.Ordinal);
    private int claimSequence;
    private int subsidySequence;

    public Handled<ApplyUnemploymentBenefitResponse> ApplyBenefit(ApplyUnemploymentBenefitRequest request, TimeSpan completionDelay)
    {
        var missing = string.IsNullOrWhiteSpace(request.TradeNo) ? "交易流水号(trade_no)"
            : string.IsNullOrWhiteSpace(request.Aac002) ? "公民身份号码(aac002)"
            : string.IsNullOrWhiteSpace(request.Aac003) ? "姓名(aac003)"
            : null;
        if (missing is not null)
        {
            return RefuseBenefit(Malformed, $"{missing}不能为空");
        }

        var person = FindPerson(request.Aac002);
        if (person is null)
        {
            return RefuseBenefit(Malformed, "公民身份号码(aac002)无效或未查询到该人员");
        }

        if (person.InsuredByEmployer)
        {
            return RefuseBenefit(StillEmployed, "该人员仍在用人单位参加失业保险，未处于失业状态，不能申领失业保险金");
        }

        if (person.UnemploymentInsuranceMonths < MinimumContributionMonths)
        {
            return RefuseBenefit(InsufficientContribution, "失业保险累计缴费不满1年，不符合失业保险金申领条件");
        }

        var now = ChinaTime.Now(timeProvider);
        claimSequence++;
        var bizNo = string.Create(CultureInfo.InvariantCulture, $"SYJ{ChinaTime.Compact(now)}{claimSequence:D6}");
        claimsByBizNo.Add(bizNo, new BenefitClaim(bizNo, person.UnemploymentInsuranceMonths, now, completionDelay));
        claimants.Add(person.IdNumber);
        var response = new ApplyUnemploymentBenefitResponse { Code = Accepted, Msg = "失业保险金申领已受理", BizNo = bizNo, Status = StatusAccepted };
        return new(response, CaseCreated: true, $"{Accepted} {bizNo}");
    }

    public Handled<QueryUnemploymentBenefitResponse> QueryBenefit(QueryUnemploymentBenefitRequest request)
    {
        if (!claimsByBizNo.TryGetValue(request.BizNo.Trim(), out var claim))
        {
            return new(
                new QueryUnemploymentBenefitResponse { Code = NotFound, Msg = "未查询到该业务编号" },
                CaseCreated: false,
                NotFound.ToString(CultureInfo.InvariantCulture));
        }

        var now = ChinaTime.Now(timeProvider);
        var decidedAt = claim.ClaimedAt + claim.CompletionDelay;
        if (now < decidedAt)
        {
            return new(
                new QueryUnemploymentBenefitResponse { Code = Accepted, Msg = "受理中", Status = StatusAccepted },
                CaseCreated: false,
                $"{StatusAccepted} {claim.BizNo}");
        }

        var response = new QueryUnemploymentBenefitResponse
        {
            Code = Accepted,
            Msg = "已核定",
            Status = StatusGranted,
            MonthlyAmount = Math.Round(MinimumWage * BenefitRate, 2, MidpointRounding.AwayFromZero).ToString("0.00", CultureInfo.InvariantCulture),
            Months = BenefitMonths(claim.ContributionMonths),
            BenefitNo = claim.BizNo,
            StartMonth = ChinaTime.DateOf(decidedAt).ToString("yyyy-MM", CultureInfo.InvariantCulture),
        };
        return new(response, CaseCreated: false, $"{StatusGranted} {claim.BizNo}");
    }

    public Handled<ApplyPriceSubsidyResponse> ApplyPriceSubsidy(ApplyPriceSubsidyRequest request)
    {
        var missing = string.IsNullOrWhiteSpace(request.TradeNo) ? "交易流水号(trade_no)"
            : string.IsNullOrWhiteSpace(request.Aac002) ? "公民身份号码(aac002)"
            : string.IsNullOrWhiteSpace(request.Aac003) ? "姓名(aac003)"
            : null;
        if (missing is not null)
        {
            return RefuseSubsidy(Malformed, $"{missing}不能为空");
        }

        var person = FindPerson(request.Aac002);
        if (person is null)
        {
            return RefuseSubsidy(Malformed, "公民身份号码(aac002)无效或未查询到该人员");
        }

        // A claim under review counts: the subsidy follows the benefit from the month it is claimed.
        if (!claimants.Contains(person.IdNumber))
        {
            return RefuseSubsidy(NotReceivingBenefit, "未查询到该人员的失业保险金申领记录，不符合价格临时补贴发放条件");
        }

        var now = ChinaTime.Now(timeProvider);
        subsidySequence++;
        var subsidyNo = string.Create(CultureInfo.InvariantCulture, $"JGBT{ChinaTime.Compact(now)}{subsidySequence:D6}");
        var response = new ApplyPriceSubsidyResponse
        {
            Code = Accepted,
            Msg = "价格临时补贴已发放",
            SubsidyNo = subsidyNo,
            Status = StatusGranted,
            Amount = PriceSubsidyAmount,
        };
        return new(response, CaseCreated: true, $"{Accepted} {subsidyNo}");
    }

    /// <summary>
    /// How many months benefits are paid (Guangdong's rule): one month per full year of contributions
    /// up to four years, then one more per further full half-year, at most 24.
    /// </summary>
    public static int BenefitMonths(int contributionMonths)
    {
        var months = contributionMonths <= 48
            ? contributionMonths / 12
            : 4 + ((contributionMonths - 48) / 6);
        return Math.Min(months, 24);
    }

    private SimulatedPerson? FindPerson(string idNumber)
    {
        var normalised = idNumber.Trim().ToUpperInvariant();
        return ResidentIdNumber.IsValid(normalised) ? population.FindByIdNumber(normalised) : null;
    }

    private static Handled<ApplyUnemploymentBenefitResponse> RefuseBenefit(int code, string message) =>
        new(new ApplyUnemploymentBenefitResponse { Code = code, Msg = message }, CaseCreated: false, code.ToString(CultureInfo.InvariantCulture));

    private static Handled<ApplyPriceSubsidyResponse> RefuseSubsidy(int code, string message) =>
        new(new ApplyPriceSubsidyResponse { Code = code, Msg = message }, CaseCreated: false, code.ToString(CultureInfo.InvariantCulture));

    private sealed record BenefitClaim(string BizNo, int ContributionMonths, DateTimeOffset ClaimedAt, TimeSpan CompletionDelay);
}
