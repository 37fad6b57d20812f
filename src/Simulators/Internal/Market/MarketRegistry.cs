using System.Globalization;

namespace OneThing.Simulators.Internal.Market;

/// <summary>The body of a licence verification request (openapi VerificationRequest).</summary>
internal sealed record VerificationRequest(string? EntityName, string? Uscc, string? HolderIdNumber, string? HolderName);

/// <summary>A registered business as the registry shows it (openapi Licence).</summary>
internal sealed record LicenceView(
    string Uscc,
    string EntityName,
    string EntityType,
    string OperatorName,
    string OperatorIdNumber,
    string RegistrationDate,
    string Address,
    string? BusinessScope,
    string Status);

/// <summary>The businesses a person operates (answer of findLicencesByHolder).</summary>
internal sealed record LicenceList(IReadOnlyList<LicenceView> Licences);

/// <summary>A verification record (openapi Verification).</summary>
internal sealed record Verification(string VerificationNo, string VerifiedAt, LicenceView Licence);

/// <summary>The registry's error body: a stable code and a Chinese message (openapi Error).</summary>
internal sealed record MarketError(string Errcode, string Errmsg);

/// <summary>An HTTP answer of the registry: status code and JSON body.</summary>
internal sealed record MarketAnswer(int StatusCode, object Body);

/// <summary>
/// The market regulation registry's decisions on licence verifications and look-ups. Called only under
/// the simulator's lock.
/// </summary>
internal sealed class MarketRegistry(SyntheticPopulation population, TimeProvider timeProvider)
{
    public const int MaxIdempotencyKeyLength = 64;

    private int verificationSequence;

    public Handled<MarketAnswer> Verify(string idempotencyKey, VerificationRequest? request)
    {
        if (idempotencyKey.Length == 0)
        {
            return Refuse(StatusCodes.Status400BadRequest, "BAD_REQUEST", "缺少请求头Idempotency-Key");
        }

        if (idempotencyKey.Length > MaxIdempotencyKeyLength)
        {
            return Refuse(StatusCodes.Status400BadRequest, "BAD_REQUEST", "请求头Idempotency-Key不能超过64个字符");
        }

        if (request is null)
        {
            return Refuse(StatusCodes.Status400BadRequest, "BAD_REQUEST", "请求体不是有效的JSON");
        }

        if (string.IsNullOrWhiteSpace(request.EntityName) || string.IsNullOrWhiteSpace(request.Uscc)
            || string.IsNullOrWhiteSpace(request.HolderIdNumber))
        {
            return Refuse(StatusCodes.Status400BadRequest, "BAD_REQUEST", "entityName、uscc、holderIdNumber均不能为空");
        }

        var uscc = request.Uscc.Trim().ToUpperInvariant();
        if (uscc.Length != 18)
        {
            return Refuse(StatusCodes.Status400BadRequest, "BAD_REQUEST", "统一社会信用代码应为18位");
        }

        var licence = population.FindLicence(uscc);
        if (licence is null)
        {
            return Refuse(StatusCodes.Status404NotFound, "LIC_NOT_FOUND", "未查询到该统一社会信用代码对应的经营主体");
        }

        if (!string.Equals(request.EntityName.Trim(), licence.EntityName, StringComparison.Ordinal))
        {
            return Refuse(StatusCodes.Status422UnprocessableEntity, "LIC_NAME_MISMATCH", "营业执照名称与登记名称不一致");
        }

        if (!string.Equals(request.HolderIdNumber.Trim().ToUpperInvariant(), licence.OperatorIdNumber, StringComparison.Ordinal))
        {
            return Refuse(StatusCodes.Status422UnprocessableEntity, "LIC_HOLDER_MISMATCH", "申请人不是该经营主体的经营者");
        }

        if (!string.Equals(licence.Status, LuoyangData.StatusOperating, StringComparison.Ordinal))
        {
            return Refuse(StatusCodes.Status422UnprocessableEntity, "LIC_NOT_OPERATING", "该经营主体已注销或被吊销，不在存续状态");
        }

        var now = ChinaTime.Now(timeProvider);
        verificationSequence++;
        var verificationNo = string.Create(CultureInfo.InvariantCulture, $"HYZ{ChinaTime.Compact(now)}{verificationSequence:D6}");
        var verification = new Verification(verificationNo, ChinaTime.Iso(now), View(licence));
        return new(new MarketAnswer(StatusCodes.Status200OK, verification), CaseCreated: true, $"200 {verificationNo}");
    }

    public Handled<MarketAnswer> GetLicence(string uscc)
    {
        var normalised = uscc.Trim().ToUpperInvariant();
        if (normalised.Length != 18)
        {
            return Refuse(StatusCodes.Status400BadRequest, "BAD_REQUEST", "统一社会信用代码应为18位");
        }

        var licence = population.FindLicence(normalised);
        return licence is null
            ? Refuse(StatusCodes.Status404NotFound, "LIC_NOT_FOUND", "未查询到该统一社会信用代码对应的经营主体")
            : new(new MarketAnswer(StatusCodes.Status200OK, View(licence)), CaseCreated: false, "200");
    }

    public Handled<MarketAnswer> FindByHolder(string idNumber)
    {
        var normalised = idNumber.Trim().ToUpperInvariant();
        if (normalised.Length != 18)
        {
            return Refuse(StatusCodes.Status400BadRequest, "BAD_REQUEST", "经营者身份证号码应为18位");
        }

        var licences = population.FindLicencesByHolder(normalised)
            .Where(l => l.Status == LuoyangData.StatusOperating)
            .Select(View)
            .ToList();
        return new(new MarketAnswer(StatusCodes.Status200OK, new LicenceList(licences)), CaseCreated: false, $"200 {licences.Count}");
    }

    private static LicenceView View(SimulatedLicence licence) => new(
        licence.Uscc,
        licence.EntityName,
        licence.EntityType,
        licence.OperatorName,
        licence.OperatorIdNumber,
        ChinaTime.IsoDate(licence.RegistrationDate),
        licence.Address,
        BusinessScopeOf(licence.EntityName),
        licence.Status);

    // The scope follows the trade the name ends with, as a registry's records would.
    private static readonly (string Trade, string Scope)[] BusinessScopes =
    [
        ("便利店", "食品销售；日用百货销售；烟草制品零售"),
        ("超市", "食品销售；日用百货销售；烟草制品零售"),
        ("烟酒店", "烟草制品零售；酒类经营；食品销售"),
        ("水果店", "新鲜水果零售；食用农产品零售"),
        ("面馆", "餐饮服务；食品小作坊经营"),
        ("小吃店", "餐饮服务；食品小作坊经营"),
        ("餐馆", "餐饮服务"),
        ("五金店", "五金产品零售；建筑材料销售"),
        ("服装店", "服装服饰零售；鞋帽零售"),
        ("理发店", "理发服务；美容服务"),
        ("汽车维修部", "机动车修理和维护；汽车零配件零售"),
        ("电子产品经营部", "电子产品销售；通讯设备销售"),
        ("花店", "花卉绿植零售"),
        ("文具店", "文具用品零售；办公用品销售"),
        ("家电维修部", "日用电器修理；家用电器销售"),
    ];

    private static string? BusinessScopeOf(string entityName)
    {
        // A branch suffix such as "（12号店）" does not change the trade.
        var name = entityName.Split('（')[0];
        foreach (var (trade, scope) in BusinessScopes)
        {
            if (name.EndsWith(trade, StringComparison.Ordinal))
            {
                return scope;
            }
        }

        return null;
    }

    private static Handled<MarketAnswer> Refuse(int statusCode, string errcode, string errmsg) =>
        new(new MarketAnswer(statusCode, new MarketError(errcode, errmsg)), CaseCreated: false, $"{statusCode} {errcode}");
}
