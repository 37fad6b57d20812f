using System.Globalization;
using Departments.SocialInsurance.V1;

namespace OneThing.Simulators.Internal.SocialInsurance;

/// <summary>
/// The social insurance agency's decisions on flexible-employment pension registrations. A registration
/// is accepted ("01") and becomes insured ("02") once its completion delay has passed on the simulator's
/// clock. Called only under the simulator's lock.
/// </summary>
internal sealed class SocialInsuranceOffice(SyntheticPopulation population, TimeProvider timeProvider)
{
    /// <summary>The lowest monthly contribution base of the province's published range, in yuan.</summary>
    public const decimal MinimumContributionBase = 4000.00m;

    /// <summary>The highest monthly contribution base of the province's published range, in yuan.</summary>
    public const decimal MaximumContributionBase = 20000.00m;

    /// <summary>The pension contribution rate of flexible workers.</summary>
    public const decimal ContributionRate = 0.20m;

    /// <summary>The part of the base credited to the personal account.</summary>
    public const decimal PersonalAccountRate = 0.08m;

    public const int Accepted = 0;
    public const int InsuredByEmployer = 1001;
    public const int BaseOutOfRange = 1002;
    public const int PastRetirementAge = 1003;
    public const int Malformed = 1999;
    public const int NotFound = 2001;
    public const string StatusAccepted = "01";
    public const string StatusInsured = "02";

    private const int MaleRetirementAge = 60;
    private const int FemaleRetirementAge = 55;

    private readonly Dictionary<string, Registration> registrationsByBizNo = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> personalNumbersByIdNumber = new(StringComparer.Ordinal);
    private int registrationSequence;

    public Handled<RegisterPensionInsuranceResponse> Register(RegisterPensionInsuranceRequest request, TimeSpan completionDelay)
    {
        if (string.IsNullOrWhiteSpace(request.TradeNo))
        {
            return Refuse(Malformed, "交易流水号(trade_no)不能为空");
        }

        if (string.IsNullOrWhiteSpace(request.Aac002))
        {
            return Refuse(Malformed, "公民身份号码(aac002)不能为空");
        }

        if (string.IsNullOrWhiteSpace(request.Aac003))
        {
            return Refuse(Malformed, "姓名(aac003)不能为空");
        }

        var idNumber = request.Aac002.Trim().ToUpperInvariant();
        var person = ResidentIdNumber.IsValid(idNumber) ? population.FindByIdNumber(idNumber) : null;
        if (person is null)
        {
            return Refuse(Malformed, "公民身份号码(aac002)无效或未查询到该人员");
        }

        var now = ChinaTime.Now(timeProvider);
        if (AgeOn(person.BirthDate, ChinaTime.DateOf(now)) >= (person.Sex == "1" ? MaleRetirementAge : FemaleRetirementAge))
        {
            return Refuse(PastRetirementAge, "该人员已达到法定退休年龄，不能参加灵活就业人员养老保险登记");
        }

        if (person.InsuredByEmployer)
        {
            return Refuse(InsuredByEmployer, "该人员已在单位参加企业职工基本养老保险");
        }

        if (!TryParseBase(request.ContributionBase, out var contributionBase))
        {
            return Refuse(
                BaseOutOfRange,
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"缴费基数须在{MinimumContributionBase:0.00}元至{MaximumContributionBase:0.00}元之间(最多两位小数)"));
        }

        registrationSequence++;
        var bizNo = string.Create(CultureInfo.InvariantCulture, $"SBYL{ChinaTime.Compact(now)}{registrationSequence:D6}");
        if (!personalNumbersByIdNumber.TryGetValue(person.IdNumber, out var personalNumber))
        {
            // Personal numbers start with the city of the person's residence.
            personalNumber = string.Create(
                CultureInfo.InvariantCulture, $"{person.ResidenceDivisionCode[..4]}{personalNumbersByIdNumber.Count + 1:D8}");
            personalNumbersByIdNumber.Add(person.IdNumber, personalNumber);
        }

        registrationsByBizNo.Add(bizNo, new Registration(bizNo, personalNumber, contributionBase, now, completionDelay));
        var response = new RegisterPensionInsuranceResponse
        {
            Code = Accepted,
            Msg = "登记申请已受理",
            BizNo = bizNo,
            Status = StatusAccepted,
        };
        return new(response, CaseCreated: true, $"{Accepted} {bizNo}");
    }

    public Handled<QueryRegistrationResponse> Query(QueryRegistrationRequest request)
    {
        if (!registrationsByBizNo.TryGetValue(request.BizNo.Trim(), out var registration))
        {
            return new(new QueryRegistrationResponse { Code = NotFound, Msg = "未查询到该业务编号" }, CaseCreated: false, NotFound.ToString(CultureInfo.InvariantCulture));
        }

        var now = ChinaTime.Now(timeProvider);
        if (now < registration.RegisteredAt + registration.CompletionDelay)
        {
            return new(
                new QueryRegistrationResponse { Code = Accepted, Msg = "受理中", Status = StatusAccepted },
                CaseCreated: false,
                $"{StatusAccepted} {registration.BizNo}");
        }

        var response = new QueryRegistrationResponse
        {
            Code = Accepted,
            Msg = "已参保",
            Status = StatusInsured,
            Aac001 = registration.PersonalNumber,
            MonthlyContribution = Money(registration.ContributionBase * ContributionRate),
            PersonalAccountPart = Money(registration.ContributionBase * PersonalAccountRate),
            StartMonth = ChinaTime.DateOf(registration.RegisteredAt).AddMonths(1).ToString("yyyy-MM", CultureInfo.InvariantCulture),
        };
        return new(response, CaseCreated: false, $"{StatusInsured} {registration.BizNo}");
    }

    /// <summary>
    /// The registration's final report in the hub's callback contract once it is insured, else null:
    /// the same values a status query gives, under the hub's result keys.
    /// </summary>
    public OneThing.Hub.V1.DepartmentOutcome? DecidedOutcome(string bizNo)
    {
        if (!registrationsByBizNo.TryGetValue(bizNo, out var registration)
            || ChinaTime.Now(timeProvider) < registration.RegisteredAt + registration.CompletionDelay)
        {
            return null;
        }

        var outcome = new OneThing.Hub.V1.DepartmentOutcome { Kind = OneThing.Hub.V1.DepartmentOutcome.Types.Kind.Completed };
        outcome.Result.Add("insurance_number", registration.PersonalNumber);
        outcome.Result.Add("monthly_contribution", Money(registration.ContributionBase * ContributionRate));
        outcome.Result.Add("personal_account_part", Money(registration.ContributionBase * PersonalAccountRate));
        outcome.Result.Add("start_month", ChinaTime.DateOf(registration.RegisteredAt).AddMonths(1).ToString("yyyy-MM", CultureInfo.InvariantCulture));
        return outcome;
    }

    private static bool TryParseBase(string text, out decimal contributionBase) =>
        decimal.TryParse(text.Trim(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out contributionBase)
        && contributionBase.Scale <= 2
        && contributionBase >= MinimumContributionBase
        && contributionBase <= MaximumContributionBase;

    private static string Money(decimal amount) =>
        Math.Round(amount, 2, MidpointRounding.AwayFromZero).ToString("0.00", CultureInfo.InvariantCulture);

    private static int AgeOn(DateOnly birthDate, DateOnly day)
    {
        var age = day.Year - birthDate.Year;
        return birthDate.AddYears(age) > day ? age - 1 : age;
    }

    private static Handled<RegisterPensionInsuranceResponse> Refuse(int code, string message) =>
        new(new RegisterPensionInsuranceResponse { Code = code, Msg = message }, CaseCreated: false, code.ToString(CultureInfo.InvariantCulture));

    private sealed record Registration(
        string BizNo, string PersonalNumber, decimal ContributionBase, DateTimeOffset RegisteredAt, TimeSpan CompletionDelay);
}
