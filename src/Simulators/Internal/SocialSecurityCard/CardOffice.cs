using System.Globalization;
using Departments.SsCard.V1;

namespace OneThing.Simulators.Internal.SocialSecurityCard;

/// <summary>
/// The social security card system's decisions. An application is "MAKING" and becomes "MADE" once its
/// completion delay has passed on the simulator's clock. Called only under the simulator's lock.
/// </summary>
internal sealed class CardOffice(SyntheticPopulation population, TimeProvider timeProvider)
{
    public const string Success = "SUCCESS";
    public const string Fail = "FAIL";
    public const string CardExists = "CARD_EXISTS";
    public const string PhotoReceiptInvalid = "PHOTO_RECEIPT_INVALID";
    public const string ParamError = "PARAM_ERROR";
    public const string ApplyNotExist = "APPLY_NOT_EXIST";
    public const string PhotoNotFound = "PHOTO_NOT_FOUND";
    public const string Making = "MAKING";
    public const string Made = "MADE";
    public const string DeliveryByPost = "POST";
    public const string DeliveryAtBranch = "BRANCH";
    public const string ResidentIdCertType = "01";

    private readonly Dictionary<string, Application> applicationsByNo = new(StringComparer.Ordinal);
    private readonly HashSet<string> applicants = new(StringComparer.Ordinal);
    private int applicationSequence;

    public Handled<ApplyCardResponse> Apply(ApplyCardRequest request, TimeSpan completionDelay)
    {
        var missing = MissingField(request);
        if (missing is not null)
        {
            return Refuse(ParamError, $"{missing}不能为空");
        }

        if (request.CertType.Length > 0 && request.CertType != ResidentIdCertType)
        {
            return Refuse(ParamError, "证件类型(cert_type)仅支持01(居民身份证)");
        }

        var idNumber = request.CertNo.Trim().ToUpperInvariant();
        var person = ResidentIdNumber.IsValid(idNumber) ? population.FindByIdNumber(idNumber) : null;
        if (person is null)
        {
            return Refuse(ParamError, "证件号码(cert_no)无效或未查询到该人员");
        }

        if (person.HasCard)
        {
            return Refuse(CardExists, "该人员已持有有效社会保障卡");
        }

        if (applicants.Contains(person.IdNumber))
        {
            return Refuse(CardExists, "该人员已有社会保障卡申领记录，请勿重复申领");
        }

        if (!string.Equals(request.PhotoReceiptNo.Trim(), person.PhotoReceiptNo, StringComparison.Ordinal))
        {
            return Refuse(PhotoReceiptInvalid, "相片回执号无效或与申领人不符");
        }

        var delivery = request.Delivery;
        switch (delivery.Mode)
        {
            case DeliveryByPost when string.IsNullOrWhiteSpace(delivery.Address):
                return Refuse(ParamError, "邮寄方式下邮寄地址(delivery.address)不能为空");
            case DeliveryAtBranch when string.IsNullOrWhiteSpace(delivery.BranchCode):
                return Refuse(ParamError, "网点领取方式下网点编码(delivery.branch_code)不能为空");
            case DeliveryByPost or DeliveryAtBranch:
                break;
            default:
                return Refuse(ParamError, "领卡方式(delivery.mode)须为POST或BRANCH");
        }

        var now = ChinaTime.Now(timeProvider);
        applicationSequence++;
        var applyNo = string.Create(CultureInfo.InvariantCulture, $"SBK{ChinaTime.Compact(now)}{applicationSequence:D6}");
        // "HB" numbers are new cards; the population's existing cards are "HA", so the two never collide.
        var cardNo = string.Create(CultureInfo.InvariantCulture, $"HB{applicationSequence:D7}");
        applicationsByNo.Add(applyNo, new Application(applyNo, cardNo, person.AccountNumber, now, completionDelay));
        applicants.Add(person.IdNumber);
        var response = new ApplyCardResponse { ResultCode = Success, ApplyNo = applyNo, Status = Making };
        return new(response, CaseCreated: true, $"{Success} {applyNo}");
    }

    public Handled<QueryApplicationResponse> Query(QueryApplicationRequest request)
    {
        if (!applicationsByNo.TryGetValue(request.ApplyNo.Trim(), out var application))
        {
            var missing = new QueryApplicationResponse { ResultCode = Fail, ErrCode = ApplyNotExist, ErrCodeDes = "申领记录不存在" };
            return new(missing, CaseCreated: false, ApplyNotExist);
        }

        var now = ChinaTime.Now(timeProvider);
        var response = now < application.AppliedAt + application.CompletionDelay
            ? new QueryApplicationResponse { ResultCode = Success, Status = Making }
            : new QueryApplicationResponse
            {
                ResultCode = Success,
                Status = Made,
                CardNo = application.CardNo,
                BankAccount = application.BankAccount,
            };
        return new(response, CaseCreated: false, $"{response.Status} {application.ApplyNo}");
    }

    /// <summary>The application's final report in the hub's callback contract once the card is made, else null.</summary>
    public OneThing.Hub.V1.DepartmentOutcome? DecidedOutcome(string applyNo)
    {
        if (!applicationsByNo.TryGetValue(applyNo, out var application)
            || ChinaTime.Now(timeProvider) < application.AppliedAt + application.CompletionDelay)
        {
            return null;
        }

        var outcome = new OneThing.Hub.V1.DepartmentOutcome { Kind = OneThing.Hub.V1.DepartmentOutcome.Types.Kind.Completed };
        outcome.Result.Add("card_number", application.CardNo);
        outcome.Result.Add("bank_account", application.BankAccount);
        return outcome;
    }

    public Handled<LookupPhotoReceiptResponse> LookupPhotoReceipt(LookupPhotoReceiptRequest request)
    {
        if (string.IsNullOrWhiteSpace(request.CertNo))
        {
            return new(
                new LookupPhotoReceiptResponse { ResultCode = Fail, ErrCode = ParamError, ErrCodeDes = "证件号码(cert_no)不能为空" },
                CaseCreated: false,
                ParamError);
        }

        var person = population.FindByIdNumber(request.CertNo);
        if (person is null || string.IsNullOrEmpty(person.PhotoReceiptNo))
        {
            return new(
                new LookupPhotoReceiptResponse { ResultCode = Fail, ErrCode = PhotoNotFound, ErrCodeDes = "未查询到该人员的相片回执" },
                CaseCreated: false,
                PhotoNotFound);
        }

        return new(
            new LookupPhotoReceiptResponse { ResultCode = Success, PhotoReceiptNo = person.PhotoReceiptNo },
            CaseCreated: false,
            Success);
    }

    private static string? MissingField(ApplyCardRequest request) =>
        string.IsNullOrWhiteSpace(request.OutTradeNo) ? "交易流水号(out_trade_no)"
        : string.IsNullOrWhiteSpace(request.CertNo) ? "证件号码(cert_no)"
        : string.IsNullOrWhiteSpace(request.Name) ? "姓名(name)"
        : string.IsNullOrWhiteSpace(request.Mobile) ? "手机号码(mobile)"
        : string.IsNullOrWhiteSpace(request.PhotoReceiptNo) ? "相片回执号(photo_receipt_no)"
        : request.Delivery is null ? "领卡方式(delivery)"
        : null;

    private static Handled<ApplyCardResponse> Refuse(string errCode, string description) =>
        new(new ApplyCardResponse { ResultCode = Fail, ErrCode = errCode, ErrCodeDes = description }, CaseCreated: false, errCode);

    private sealed record Application(
        string ApplyNo, string CardNo, string BankAccount, DateTimeOffset AppliedAt, TimeSpan CompletionDelay);
}
