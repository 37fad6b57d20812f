using System.Globalization;
using System.Text.RegularExpressions;
using Departments.Hr.V1;
using Google.Protobuf.Collections;
using Google.Rpc;
using static OneThing.Simulators.Internal.HumanResources.HrErrors;
using RpcStatus = Google.Rpc.Status;

namespace OneThing.Simulators.Internal.HumanResources;

/// <summary>
/// The HR platform's matter declarations (事项申报, matters.proto): decides each matter by the rules of
/// its matter code and keeps the cases. Reviews are evaluated lazily: a case's stage is a function of
/// the simulator's clock (each stage lasts the completion delay in force when the case was filed), so
/// no timer runs. Called only under the simulator's lock.
/// </summary>
internal sealed partial class MatterDesk(SyntheticPopulation population, TimeProvider timeProvider, HumanResourcesOffice certificates)
{
    public const string EmploymentRegistration = "GD-JYDJ";
    public const string StartupGrant = "GD-YCXCYZZ";
    public const string RentSubsidy = "GD-CYZJBT";
    public const string StartupTraining = "NM-CYPX";
    public const string GuaranteedLoan = "NM-CYDBDK";
    public const string OneTimeStartupSubsidy = "NM-YCXCYBT";
    public const string OpeningGuidance = "NM-CYKYZD";
    public const string UnemploymentRegistration = "GD-SYDJ";
    public const string CareerGuidance = "GD-ZYZD";
    public const string PolicyConsultation = "GD-ZCZX";
    public const string JobReferral = "GD-ZYJS";
    public const string DifficultyRecognition = "GD-JYKNRD";
    public const string JobSeekingSubsidy = "JS-QZCYBT";

    public const string StartupGrantAmount = "10000.00";
    public const string OneTimeStartupSubsidyAmount = "5000.00";
    public const string JobSeekingSubsidyAmount = "1500.00";

    /// <summary>The yearly cap of Shaoguan's rent subsidy, in yuan.</summary>
    public const decimal RentCapPerYear = 4000m;

    public const decimal PersonalLoanLimit = 300_000m;
    public const decimal SmallMicroLoanLimit = 4_000_000m;

    private const string StageDone = "已办结";
    private const string StageReviewing = "审核中";
    private const string StageApproved = "审核通过";
    private const string StageRefused = "审核不通过";

    private static readonly string[] AtOnce = [];
    private static readonly string[] SingleReview = [StageReviewing];

    // Jiangsu's job-seeking subsidy: the school reviews first, then HR twice.
    private static readonly string[] JiangsuReview = ["学校审核中", "学校审核通过，人社初审中", "人社初审通过，人社复审中"];

    private readonly Dictionary<string, MatterCase> casesByReceiptNo = new(StringComparer.Ordinal);
    private readonly HashSet<string> startupGrantees = new(StringComparer.Ordinal);
    private int sequence;

    public Handled<HrAnswer<MatterReceipt>> Submit(SubmitMatterRequest request, TimeSpan completionDelay)
    {
        if (string.IsNullOrWhiteSpace(request.RequestNo))
        {
            return Refuse<MatterReceipt>(BadField("request_no", "申请流水号不能为空"));
        }

        var matterCode = request.MatterCode.Trim().ToUpperInvariant();
        var stages = StagesOf(matterCode);
        if (stages is null)
        {
            return Refuse<MatterReceipt>(Error(
                Code.InvalidArgument, "HR_UNKNOWN_MATTER", $"平台未开通事项编码为“{request.MatterCode}”的事项", ("matter_code", request.MatterCode)));
        }

        var idNumber = request.IdNo.Trim().ToUpperInvariant();
        var person = ResidentIdNumber.IsValid(idNumber) ? population.FindByIdNumber(idNumber) : null;
        if (person is null)
        {
            return Refuse<MatterReceipt>(BadField("id_no", "公民身份号码无效或未登记"));
        }

        if (string.IsNullOrWhiteSpace(request.Name))
        {
            return Refuse<MatterReceipt>(BadField("name", "姓名不能为空"));
        }

        var now = ChinaTime.Now(timeProvider);
        var ruling = Decide(matterCode, person, new ParamReader(request.Params), ChinaTime.DateOf(now), now);
        if (ruling is Refusal refusal)
        {
            return Refuse<MatterReceipt>(refusal.Error);
        }

        var decided = (Decision)ruling;
        if (matterCode == StartupGrant)
        {
            startupGrantees.Add(person.IdNumber);
        }

        var matter = new MatterCase(
            decided.ReceiptNo, matterCode, now, completionDelay, stages, decided.Results, decided.Opinion, decided.RefusalReason);
        casesByReceiptNo.Add(matter.ReceiptNo, matter);
        var receipt = matter.StateAt(now);
        return new(new(receipt, null), CaseCreated: true, $"{receipt.Status} {matter.ReceiptNo}");
    }

    public Handled<HrAnswer<MatterReceipt>> Get(GetMatterRequest request)
    {
        if (!casesByReceiptNo.TryGetValue(request.ReceiptNo.Trim(), out var matter))
        {
            return Refuse<MatterReceipt>(Error(
                Code.NotFound, "HR_MATTER_NOT_FOUND", "未查询到该受理编号", ("receipt_no", request.ReceiptNo)));
        }

        var receipt = matter.StateAt(ChinaTime.Now(timeProvider));
        return new(new(receipt, null), CaseCreated: false, $"{receipt.Status} {matter.ReceiptNo}");
    }

    private static IReadOnlyList<string>? StagesOf(string matterCode) => matterCode switch
    {
        EmploymentRegistration or StartupTraining or OpeningGuidance or CareerGuidance or PolicyConsultation or JobReferral => AtOnce,
        StartupGrant or RentSubsidy or GuaranteedLoan or OneTimeStartupSubsidy or UnemploymentRegistration or DifficultyRecognition => SingleReview,
        JobSeekingSubsidy => JiangsuReview,
        _ => null,
    };

    private Ruling Decide(string matterCode, SimulatedPerson person, ParamReader p, DateOnly today, DateTimeOffset now)
    {
        // Numbers are drawn only for cases actually opened, so a refusal leaves no gap.
        string Number(string prefix) =>
            string.Create(CultureInfo.InvariantCulture, $"{prefix}{ChinaTime.Compact(now)}{sequence + 1:D6}");

        var ruling = matterCode switch
        {
            EmploymentRegistration => RegisterEmployment(p, Number),
            StartupGrant => GrantStartup(person, p, Number),
            RentSubsidy => SubsidiseRent(person, p, Number),
            StartupTraining => EnrolTraining(person, p, today, Number),
            GuaranteedLoan => ApplyLoan(person, p, Number),
            OneTimeStartupSubsidy => SubsidiseStartup(person, p, Number),
            UnemploymentRegistration => RegisterUnemployment(person, p, Number),
            DifficultyRecognition => RecogniseDifficulty(person, p, Number),
            JobSeekingSubsidy => SubsidiseJobSeeking(person, p, Number),
            OpeningGuidance => Appointment(Number, "已预约创业开业指导，创业指导专家将电话联系您确定指导时间"),
            CareerGuidance => Appointment(Number, "已预约职业指导，职业指导师将电话联系您确定指导时间"),
            PolicyConsultation => Appointment(Number, "已受理就业政策法规咨询，工作人员将电话联系您解答"),
            JobReferral => Appointment(Number, "已受理职业介绍，工作人员将根据您的求职意向推荐岗位"),
            _ => throw new ArgumentOutOfRangeException(nameof(matterCode), matterCode, "not a matter code of this desk"),
        };

        if (ruling is Decision)
        {
            sequence++;
        }

        return ruling;
    }

    private static Ruling RegisterEmployment(ParamReader p, Func<string, string> number)
    {
        var division = p.Text("employment_division", "就业地行政区划");
        p.Text("employment_address", "就业地址");
        var unitUscc = p.Optional("unit_uscc");
        if (p.Error is { } error)
        {
            return new Refusal(error);
        }

        if (!DivisionCode().IsMatch(division))
        {
            return new Refusal(BadField("employment_division", "就业地行政区划代码应为6位或9位数字"));
        }

        if (unitUscc is not null && !UnifiedSocialCreditCode.IsValid(unitUscc.ToUpperInvariant()))
        {
            return new Refusal(BadField("unit_uscc", "用人单位统一社会信用代码格式不正确"));
        }

        return Decision.Granted(number("RSSX"), "个人就业登记已办结", ("registration_no", number("JYDJ")));
    }

    private Ruling GrantStartup(SimulatedPerson person, ParamReader p, Func<string, string> number)
    {
        var unitType = p.Text("unit_type", "经营主体类型");
        p.Date("registration_date", "登记日期");
        var uscc = p.Text("unit_uscc", "统一社会信用代码");
        p.Text("unit_name", "经营主体名称");
        p.Text("bank_name", "开户银行");
        var accountNo = p.Text("account_no", "银行账号");
        if (p.Error is { } error)
        {
            return new Refusal(error);
        }

        if (LuoyangData.IsWithoutEmployees(unitType))
        {
            return new Refusal(Error(
                Code.FailedPrecondition, "HR_UNIT_TYPE_NOT_ELIGIBLE", "个体工商户(无雇工的)不属于一次性创业资助对象", ("unit_type", unitType)));
        }

        if (population.FindLicence(uscc) is null)
        {
            return new Refusal(Error(
                Code.FailedPrecondition, "HR_LEGAL_ENTITY_NOT_FOUND", "未能查询到该统一社会信用代码对应的法人信息", ("unit_uscc", uscc)));
        }

        if (startupGrantees.Contains(person.IdNumber))
        {
            return new Refusal(Error(
                Code.FailedPrecondition, "HR_SUBSIDY_NOT_FIRST_BUSINESS", "该人员已享受过一次性创业资助，不能重复申领"));
        }

        if (PaysOutsideTheCard(person, accountNo))
        {
            return new Refusal(NotToTheCard("资助资金"));
        }

        return Decision.Granted(
            number("RSSX"),
            $"经审核，符合一次性创业资助条件，资助资金{StartupGrantAmount}元将发放至申请人指定账户",
            ("amount", StartupGrantAmount));
    }

    private static Ruling SubsidiseRent(SimulatedPerson person, ParamReader p, Func<string, string> number)
    {
        var unitType = p.Text("unit_type", "经营主体类型");
        var registrationDate = p.Date("registration_date", "登记日期");
        var periodStart = p.Date("period_start", "租赁期起");
        var periodEnd = p.Date("period_end", "租赁期止");
        var amount = p.Money("amount", "申请金额");
        p.Text("bank_name", "开户银行");
        var accountNo = p.Text("account_no", "银行账号");
        if (p.Error is { } error)
        {
            return new Refusal(error);
        }

        if (periodEnd < periodStart)
        {
            return new Refusal(BadField("period_end", "租赁期止不能早于租赁期起"));
        }

        if (LuoyangData.IsWithoutEmployees(unitType))
        {
            return new Refusal(Error(
                Code.FailedPrecondition, "HR_UNIT_TYPE_NOT_ELIGIBLE", "个体工商户(无雇工的)不属于创业租金补贴对象", ("unit_type", unitType)));
        }

        if (periodStart != registrationDate)
        {
            return new Refusal(Correction(
                "RENT_PERIOD_START", "period_start", $"首次申请创业租金补贴应从第一段补贴期申请，租赁期起应为经营主体登记日期{ChinaTime.IsoDate(registrationDate)}"));
        }

        var lastDay = registrationDate.AddYears(3);
        if (periodEnd > lastDay)
        {
            return new Refusal(Correction(
                "RENT_PERIOD_BEYOND_THREE_YEARS", "period_end", $"创业租金补贴期限为自登记之日起3年，租赁期止不能晚于{ChinaTime.IsoDate(lastDay)}"));
        }

        var years = YearsStarted(periodStart, periodEnd);
        var cap = RentCapPerYear * years;
        if (amount > cap)
        {
            return new Refusal(Correction(
                "RENT_AMOUNT_OVER_CAP",
                "amount",
                string.Create(CultureInfo.InvariantCulture, $"创业租金补贴每年最高{RentCapPerYear:0}元，本次租赁期共{years}年，申请金额不能超过{cap:0.00}元")));
        }

        if (PaysOutsideTheCard(person, accountNo))
        {
            return new Refusal(NotToTheCard("补贴资金"));
        }

        var approved = Money(amount);
        return Decision.Granted(number("RSSX"), $"经审核，核定创业租金补贴{approved}元", ("amount", approved));
    }

    private static Ruling EnrolTraining(SimulatedPerson person, ParamReader p, DateOnly today, Func<string, string> number)
    {
        p.Text("training_intent", "培训意向");
        if (p.Error is { } error)
        {
            return new Refusal(error);
        }

        var age = AgeOn(person.BirthDate, today);
        if (age is < 16 or > 60)
        {
            return new Refusal(Error(
                Code.FailedPrecondition,
                "HR_OUTSIDE_LABOUR_AGE",
                "创业培训对象须为法定劳动年龄内（16至60周岁）人员",
                ("age", age.ToString(CultureInfo.InvariantCulture))));
        }

        return Decision.Granted(number("RSSX"), "已报名创业培训，开班时间将以短信通知", ("class_no", number("CYPX")));
    }

    private Ruling ApplyLoan(SimulatedPerson person, ParamReader p, Func<string, string> number)
    {
        var loanType = p.Text("loan_type", "贷款类型");
        var amount = p.Money("amount", "贷款金额");
        p.Text("bank", "经办银行");
        if (p.Error is { } error)
        {
            return new Refusal(error);
        }

        if (loanType is not ("personal" or "small-micro"))
        {
            return new Refusal(BadField("loan_type", "贷款类型须为personal（个人）或small-micro（小微企业）"));
        }

        if (!certificates.HoldsCertificate(person))
        {
            return new Refusal(Error(
                Code.FailedPrecondition, "HR_NO_EMPLOYMENT_CERTIFICATE", "申请创业担保贷款须持有《就业创业证》，请先申领就业创业证"));
        }

        var limit = loanType == "personal" ? PersonalLoanLimit : SmallMicroLoanLimit;
        if (amount > limit)
        {
            return new Refusal(Correction(
                "LOAN_AMOUNT_OVER_LIMIT",
                "amount",
                loanType == "personal" ? "个人创业担保贷款额度最高30万元，请调整贷款金额" : "小微企业创业担保贷款额度最高400万元，请调整贷款金额"));
        }

        var approved = Money(amount);
        return Decision.Granted(number("RSSX"), $"经审核，同意为申请人提供创业担保，担保额度{approved}元，请到经办银行办理放款手续", ("approved_amount", approved));
    }

    private static Ruling SubsidiseStartup(SimulatedPerson person, ParamReader p, Func<string, string> number)
    {
        var category = p.Text("category", "人员类别");
        if (p.Error is { } error)
        {
            return new Refusal(error);
        }

        if (!string.Equals(category, person.StartupCategoryBaotou, StringComparison.Ordinal))
        {
            return new Refusal(Error(
                Code.FailedPrecondition, "HR_SUBSIDY_CATEGORY_NOT_ELIGIBLE", "申请人不属于所选的一次性创业补贴人员类别", ("category", category)));
        }

        return Decision.Granted(
            number("RSSX"),
            $"经审核，符合一次性创业补贴条件，补贴{OneTimeStartupSubsidyAmount}元将发放至申请人社会保障卡金融账户",
            ("amount", OneTimeStartupSubsidyAmount));
    }

    private static Ruling RegisterUnemployment(SimulatedPerson person, ParamReader p, Func<string, string> number)
    {
        p.Text("reason", "失业原因");
        if (p.Error is { } error)
        {
            return new Refusal(error);
        }

        if (person.InsuredByEmployer)
        {
            return new Refusal(Error(
                Code.FailedPrecondition, "HR_STILL_EMPLOYED", "该人员仍在用人单位参加社会保险，不能办理失业登记"));
        }

        return Decision.Granted(number("RSSX"), "经审核，已办理失业登记", ("registration_no", number("SYDJ")));
    }

    private static Ruling RecogniseDifficulty(SimulatedPerson person, ParamReader p, Func<string, string> number)
    {
        var category = p.Text("category", "就业困难人员类别");
        if (p.Error is { } error)
        {
            return new Refusal(error);
        }

        // Whether the person belongs to the category is what the review establishes, so the answer comes with it.
        return string.Equals(category, person.DifficultyCategory, StringComparison.Ordinal)
            ? Decision.Granted(number("RSSX"), $"经审核，认定为就业困难人员（{category}）", ("recognition_no", number("KNRD")))
            : Decision.RefusedInReview(
                number("RSSX"),
                "HR_DIFFICULTY_NOT_RECOGNISED",
                $"经审核，申请人不符合就业困难人员（{category}）认定条件，不予认定");
    }

    private static Ruling SubsidiseJobSeeking(SimulatedPerson person, ParamReader p, Func<string, string> number)
    {
        var category = p.Text("category", "补贴对象类别");
        p.Text("school", "毕业院校");
        var graduationYear = p.Text("graduation_year", "毕业年份");
        p.Text("student_no", "学号");
        p.Text("education", "学历");
        p.Text("bank_name", "开户银行");
        var accountNo = p.Text("account_no", "银行账号");
        if (p.Error is { } error)
        {
            return new Refusal(error);
        }

        if (!Year().IsMatch(graduationYear))
        {
            return new Refusal(BadField("graduation_year", "毕业年份应为4位年份，如2026"));
        }

        if (!string.Equals(category, person.StudentCategory, StringComparison.Ordinal))
        {
            return new Refusal(Error(
                Code.FailedPrecondition, "HR_STUDENT_CATEGORY_NOT_ELIGIBLE", "申请人不属于所选的求职创业补贴对象类别", ("category", category)));
        }

        if (!person.HasJiangsuCard)
        {
            return new Refusal(Error(
                Code.FailedPrecondition, "HR_NO_JIANGSU_CARD", "求职创业补贴发放至江苏省社会保障卡金融账户，申请人未持有江苏省社会保障卡"));
        }

        if (PaysOutsideTheCard(person, accountNo))
        {
            return new Refusal(NotToTheCard("补贴资金"));
        }

        return Decision.Granted(
            number("RSSX"),
            $"经学校审核、人社部门初审和复审，同意发放求职创业补贴{JobSeekingSubsidyAmount}元",
            ("amount", JobSeekingSubsidyAmount));
    }

    private static Decision Appointment(Func<string, string> number, string opinion) =>
        Decision.Granted(number("RSSX"), opinion, ("appointment_no", number("YY")));

    // Payments go to the social security card's financial account when the person holds a card.
    private static bool PaysOutsideTheCard(SimulatedPerson person, string accountNo) =>
        person.HasCard && person.CardAccount is { } cardAccount && !string.Equals(accountNo.Trim(), cardAccount, StringComparison.Ordinal);

    private static RpcStatus NotToTheCard(string what) => Correction(
        "PAYMENT_ACCOUNT_NOT_CARD", "account_no", $"申请人已持有社会保障卡，{what}须发放至本人社会保障卡金融账户，请填写社会保障卡金融账户");

    private static RpcStatus Correction(string code, string param, string message) =>
        Error(Code.FailedPrecondition, "HR_CORRECTION_REQUIRED", message, ("code", code), ("param", param), ("message", message));

    /// <summary>How many years the period touches: one year per started year, counted from its first day.</summary>
    private static int YearsStarted(DateOnly start, DateOnly end)
    {
        var years = 1;
        while (start.AddYears(years) <= end)
        {
            years++;
        }

        return years;
    }

    private static int AgeOn(DateOnly birthDate, DateOnly day)
    {
        var age = day.Year - birthDate.Year;
        return birthDate.AddYears(age) > day ? age - 1 : age;
    }

    private static string Money(decimal amount) => amount.ToString("0.00", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^\d{6}(\d{3})?$", RegexOptions.CultureInvariant)]
    private static partial Regex DivisionCode();

    [GeneratedRegex(@"^(19|20)\d{2}$", RegexOptions.CultureInvariant)]
    private static partial Regex Year();

    /// <summary>What a matter's rules decided at submission.</summary>
    private abstract record Ruling;

    /// <summary>Refused or returned at submission: no case is opened.</summary>
    private sealed record Refusal(RpcStatus Error) : Ruling;

    /// <summary>A case is opened; once its review is over it is granted with the results, or refused for the reason.</summary>
    private sealed record Decision(string ReceiptNo, IReadOnlyDictionary<string, string> Results, string Opinion, string? RefusalReason) : Ruling
    {
        /// <summary>Granted at once, or when the review is over (the matter code's stages say which).</summary>
        public static Decision Granted(string receiptNo, string opinion, params (string Key, string Value)[] results) =>
            new(receiptNo, results.ToDictionary(r => r.Key, r => r.Value, StringComparer.Ordinal), opinion, null);

        public static Decision RefusedInReview(string receiptNo, string reason, string opinion) =>
            new(receiptNo, new Dictionary<string, string>(StringComparer.Ordinal), opinion, reason);
    }

    /// <summary>Reads a matter's parameters; the first missing or malformed one is kept as the error.</summary>
    private sealed class ParamReader(MapField<string, string> values)
    {
        public RpcStatus? Error { get; private set; }

        public string Text(string name, string label)
        {
            var value = Optional(name);
            if (value is null && Error is null)
            {
                Error = BadField(name, $"{label}（{name}）不能为空");
            }

            return value ?? string.Empty;
        }

        public string? Optional(string name) =>
            values.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

        public DateOnly Date(string name, string label)
        {
            var text = Text(name, label);
            if (Error is not null)
            {
                return default;
            }

            if (!ChinaTime.TryParseDate(text, out var date))
            {
                Error = BadField(name, $"{label}（{name}）应为yyyy-MM-dd格式的日期");
            }

            return date;
        }

        public decimal Money(string name, string label)
        {
            var text = Text(name, label);
            if (Error is not null)
            {
                return 0m;
            }

            if (!decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount)
                || amount <= 0m || amount.Scale > 2)
            {
                Error = BadField(name, $"{label}（{name}）应为大于0、最多两位小数的金额（元）");
                return 0m;
            }

            return amount;
        }
    }

    /// <summary>An opened case; its state is a function of the clock.</summary>
    private sealed record MatterCase(
        string ReceiptNo,
        string MatterCode,
        DateTimeOffset FiledAt,
        TimeSpan CompletionDelay,
        IReadOnlyList<string> ReviewStages,
        IReadOnlyDictionary<string, string> Results,
        string Opinion,
        string? RefusalReason)
    {
        public MatterReceipt StateAt(DateTimeOffset now)
        {
            var receipt = new MatterReceipt { ReceiptNo = ReceiptNo, MatterCode = MatterCode };
            if (ReviewStages.Count == 0)
            {
                receipt.Status = MatterStatus.Received;
                receipt.Stage = StageDone;
                receipt.StageHistory.Add(new StageRecord { Stage = StageDone, Time = ChinaTime.Iso(FiledAt) });
                AddResults(receipt);
                receipt.Opinion = Opinion;
                receipt.UpdatedAt = ChinaTime.Iso(FiledAt);
                return receipt;
            }

            // Whole stages elapsed since filing; a zero delay decides at once.
            var elapsed = CompletionDelay <= TimeSpan.Zero
                ? ReviewStages.Count
                : (int)Math.Clamp((now - FiledAt).Ticks / CompletionDelay.Ticks, 0, ReviewStages.Count);
            for (var i = 0; i < Math.Min(elapsed + 1, ReviewStages.Count); i++)
            {
                receipt.StageHistory.Add(new StageRecord { Stage = ReviewStages[i], Time = ChinaTime.Iso(FiledAt + (CompletionDelay * i)) });
            }

            if (elapsed < ReviewStages.Count)
            {
                receipt.Status = MatterStatus.Reviewing;
                receipt.Stage = ReviewStages[elapsed];
                receipt.Opinion = "已受理，正在审核";
                receipt.UpdatedAt = ChinaTime.Iso(FiledAt + (CompletionDelay * elapsed));
                return receipt;
            }

            var decidedAt = FiledAt + (CompletionDelay * ReviewStages.Count);
            var refused = RefusalReason is not null;
            receipt.Status = refused ? MatterStatus.Refused : MatterStatus.Approved;
            receipt.Stage = refused ? StageRefused : StageApproved;
            receipt.StageHistory.Add(new StageRecord { Stage = receipt.Stage, Time = ChinaTime.Iso(decidedAt) });
            AddResults(receipt);
            receipt.Opinion = Opinion;
            receipt.Reason = RefusalReason ?? string.Empty;
            receipt.UpdatedAt = ChinaTime.Iso(decidedAt);
            return receipt;
        }

        private void AddResults(MatterReceipt receipt)
        {
            foreach (var (key, value) in Results)
            {
                receipt.Results.Add(key, value);
            }
        }
    }
}
