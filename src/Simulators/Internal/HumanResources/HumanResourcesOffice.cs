using System.Globalization;
using Departments.Hr.V1;
using Google.Rpc;
using static OneThing.Simulators.Internal.HumanResources.HrErrors;

namespace OneThing.Simulators.Internal.HumanResources;

/// <summary>
/// The HR system's decisions on 就业创业证 and startup subsidies. Called only under the simulator's lock.
/// Subsidy claims are reviewed lazily: a claim is approved once its completion delay has passed on the
/// simulator's clock, so no timer runs.
/// </summary>
internal sealed class HumanResourcesOffice
{
    public const string StartupSubsidyAmount = "5000.00";
    private const string VerificationAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    private readonly SyntheticPopulation population;
    private readonly TimeProvider timeProvider;
    private readonly Random random;
    private readonly Dictionary<string, string> certificateByIdNumber = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ClaimRecord> claimsByNo = new(StringComparer.Ordinal);
    private readonly HashSet<string> claimants = new(StringComparer.Ordinal);
    private int certificateSequence;
    private int claimSequence;

    public HumanResourcesOffice(SyntheticPopulation population, TimeProvider timeProvider, int seed)
    {
        this.population = population;
        this.timeProvider = timeProvider;
        random = new Random(seed);

        // Certificates issued before the simulation began (a year before "today"): their holders are on record.
        var issuedOn = population.Today.AddYears(-1);
        var held = 0;
        foreach (var person in population.Everyone.Where(p => p.HasEmploymentCertificate))
        {
            held++;
            certificateByIdNumber.Add(
                person.IdNumber,
                string.Create(CultureInfo.InvariantCulture, $"{CityCodeOf(person)}{issuedOn:yyMMdd}{held:D6}"));
        }
    }

    /// <summary>Whether the person holds a 就业创业证: on record before the simulation or issued since.</summary>
    public bool HoldsCertificate(SimulatedPerson person) => certificateByIdNumber.ContainsKey(person.IdNumber);

    public Handled<HrAnswer<ApplyEmploymentCertificateResponse>> IssueCertificate(ApplyEmploymentCertificateRequest request)
    {
        if (string.IsNullOrWhiteSpace(request.RequestNo))
        {
            return Refuse<ApplyEmploymentCertificateResponse>(BadField("request_no", "申请流水号不能为空"));
        }

        var person = FindPerson(request.IdNo);
        if (person is null)
        {
            return Refuse<ApplyEmploymentCertificateResponse>(BadField("id_no", "公民身份号码无效或未登记"));
        }

        if (string.IsNullOrWhiteSpace(request.Name))
        {
            return Refuse<ApplyEmploymentCertificateResponse>(BadField("name", "姓名不能为空"));
        }

        if (certificateByIdNumber.TryGetValue(person.IdNumber, out var existing))
        {
            return Refuse<ApplyEmploymentCertificateResponse>(Error(
                Code.AlreadyExists, "HR_CERTIFICATE_EXISTS", "该人员已持有有效的就业创业证", ("cert_no", existing)));
        }

        var now = ChinaTime.Now(timeProvider);
        certificateSequence++;
        var certNo = string.Create(
            CultureInfo.InvariantCulture, $"{CityCodeOf(person)}{now:yyMMdd}{certificateSequence:D6}");
        var response = new ApplyEmploymentCertificateResponse
        {
            CertNo = certNo,
            IssueDate = ChinaTime.IsoDate(ChinaTime.DateOf(now)),
            CaseNo = string.Create(CultureInfo.InvariantCulture, $"RSJY{ChinaTime.Compact(now)}{certificateSequence:D6}"),
            VerificationCode = VerificationCode(),
        };
        certificateByIdNumber.Add(person.IdNumber, certNo);
        return new(new(response, null), CaseCreated: true, $"issued {certNo} case {response.CaseNo}");
    }

    public Handled<HrAnswer<SubsidyClaim>> FileSubsidyClaim(ApplyStartupSubsidyRequest request, TimeSpan completionDelay)
    {
        if (string.IsNullOrWhiteSpace(request.RequestNo))
        {
            return Refuse<SubsidyClaim>(BadField("request_no", "申请流水号不能为空"));
        }

        var person = FindPerson(request.IdNo);
        if (person is null)
        {
            return Refuse<SubsidyClaim>(BadField("id_no", "公民身份号码无效或未登记"));
        }

        if (string.IsNullOrWhiteSpace(request.Name))
        {
            return Refuse<SubsidyClaim>(BadField("name", "姓名不能为空"));
        }

        if (request.Business is null || string.IsNullOrWhiteSpace(request.Business.Uscc))
        {
            return Refuse<SubsidyClaim>(BadField("business.uscc", "经营主体统一社会信用代码不能为空"));
        }

        if (!ChinaTime.TryParseDate(request.Business.RegistrationDate, out var registrationDate))
        {
            return Refuse<SubsidyClaim>(BadField("business.registration_date", "成立日期应为yyyy-MM-dd格式"));
        }

        if (request.Category == SubsidyCategory.Unspecified || request.Category != CategoryOf(person))
        {
            return Refuse<SubsidyClaim>(Error(
                Code.FailedPrecondition, "HR_CATEGORY_NOT_ELIGIBLE", "申请人不属于所选的创业补贴人员类别",
                ("category", request.Category.ToString())));
        }

        if (LuoyangData.IsWithoutEmployees(request.Business.EntityType))
        {
            return Refuse<SubsidyClaim>(Error(
                Code.FailedPrecondition, "HR_UNIT_TYPE_NOT_ELIGIBLE", "个体工商户(无雇工)不享受一次性开业补贴",
                ("entity_type", request.Business.EntityType)));
        }

        var now = ChinaTime.Now(timeProvider);
        var eligibleDate = registrationDate.AddYears(1);
        if (eligibleDate > ChinaTime.DateOf(now))
        {
            var eligible = ChinaTime.IsoDate(eligibleDate);
            return Refuse<SubsidyClaim>(Error(
                Code.FailedPrecondition, "HR_NOT_YET_ELIGIBLE", $"经营主体成立未满一年，请于{eligible}后申请",
                ("eligible_date", eligible)));
        }

        if (claimants.Contains(person.IdNumber))
        {
            return Refuse<SubsidyClaim>(Error(
                Code.FailedPrecondition, "HR_NOT_FIRST_BUSINESS", "该人员已享受过一次性开业补贴"));
        }

        claimSequence++;
        var claim = new ClaimRecord(
            string.Create(CultureInfo.InvariantCulture, $"RSBT{ChinaTime.Compact(now)}{claimSequence:D6}"), now, completionDelay);
        claimsByNo.Add(claim.ClaimNo, claim);
        claimants.Add(person.IdNumber);
        return new(new(claim.StateAt(now), null), CaseCreated: true, $"reviewing {claim.ClaimNo}");
    }

    public Handled<HrAnswer<SubsidyClaim>> GetClaim(GetSubsidyClaimRequest request)
    {
        if (!claimsByNo.TryGetValue(request.ClaimNo.Trim(), out var claim))
        {
            return new(
                new(null, Error(Code.NotFound, "HR_CLAIM_NOT_FOUND", "未查询到该申领编号", ("claim_no", request.ClaimNo))),
                CaseCreated: false,
                "HR_CLAIM_NOT_FOUND");
        }

        var state = claim.StateAt(ChinaTime.Now(timeProvider));
        return new(new(state, null), CaseCreated: false, $"{state.Status} {claim.ClaimNo}");
    }

    /// <summary>The claim's final report in the hub's callback contract once decided, else null.</summary>
    public OneThing.Hub.V1.DepartmentOutcome? DecidedOutcome(string claimNo)
    {
        if (!claimsByNo.TryGetValue(claimNo, out var claim) || claim.StateAt(ChinaTime.Now(timeProvider)) is not { Status: ClaimStatus.Approved } state)
        {
            return null;
        }

        var outcome = new OneThing.Hub.V1.DepartmentOutcome { Kind = OneThing.Hub.V1.DepartmentOutcome.Types.Kind.Completed, Opinion = state.ReviewOpinion };
        outcome.Result.Add("amount", state.Amount);
        outcome.Result.Add("claim_no", state.ClaimNo);
        return outcome;
    }

    private SimulatedPerson? FindPerson(string idNumber) =>
        ResidentIdNumber.IsValid(idNumber.Trim().ToUpperInvariant()) ? population.FindByIdNumber(idNumber) : null;

    private static SubsidyCategory CategoryOf(SimulatedPerson person) => person.SubsidyCategory switch
    {
        "recent-graduate" => SubsidyCategory.RecentGraduate,
        "employment-difficulty" => SubsidyCategory.EmploymentDifficulty,
        "returning-migrant-worker" => SubsidyCategory.ReturningMigrantWorker,
        "veteran" => SubsidyCategory.Veteran,
        _ => SubsidyCategory.Unspecified,
    };

    // Certificates are numbered by the city of the person's residence.
    private static string CityCodeOf(SimulatedPerson person) => person.ResidenceDivisionCode[..4];

    private string VerificationCode()
    {
        Span<char> code = stackalloc char[8];
        for (var i = 0; i < code.Length; i++)
        {
            code[i] = VerificationAlphabet[random.Next(VerificationAlphabet.Length)];
        }

        return new string(code);
    }

    /// <summary>A filed claim; its state is a function of the clock.</summary>
    private sealed record ClaimRecord(string ClaimNo, DateTimeOffset FiledAt, TimeSpan CompletionDelay)
    {
        public SubsidyClaim StateAt(DateTimeOffset now)
        {
            var decidedAt = FiledAt + CompletionDelay;
            return now >= decidedAt
                ? new SubsidyClaim
                {
                    ClaimNo = ClaimNo,
                    Status = ClaimStatus.Approved,
                    Amount = StartupSubsidyAmount,
                    ReviewOpinion = "审核通过，补贴将发放至申请人指定账户",
                    UpdatedAt = ChinaTime.Iso(decidedAt),
                }
                : new SubsidyClaim
                {
                    ClaimNo = ClaimNo,
                    Status = ClaimStatus.Reviewing,
                    ReviewOpinion = "已受理，审核中",
                    UpdatedAt = ChinaTime.Iso(FiledAt),
                };
        }
    }
}
