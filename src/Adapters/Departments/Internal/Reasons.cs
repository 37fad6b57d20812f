namespace OneThing.Adapters.Internal;

/// <summary>
/// The reasons the adapters give when a department returns, refuses or defers an item: a stable code
/// for machines, a Chinese message for the citizen or clerk, and the form field to fix when there is one.
/// </summary>
internal static class Reasons
{
    // Market regulation (营业执照信息核验).
    public static readonly OutcomeReason LicenceNotFound = new(
        "LICENCE_NOT_FOUND", "未查询到该统一社会信用代码对应的经营主体，请核对营业执照上的统一社会信用代码。", FormFields.LicenceUscc);

    public static readonly OutcomeReason LicenceNameMismatch = new(
        "LICENCE_NAME_MISMATCH", "营业执照名称与登记信息不一致，请按营业执照上的名称填写。", FormFields.LicenceName);

    public static readonly OutcomeReason LicenceHolderMismatch = new(
        "LICENCE_HOLDER_MISMATCH", "申请人不是该经营主体登记的经营者（法定代表人），不能使用该营业执照办理。");

    public static readonly OutcomeReason LicenceNotOperating = new(
        "LICENCE_NOT_OPERATING", "该经营主体已注销或被吊销营业执照，不能办理。");

    // Tax (纳税人信息确认).
    public static readonly OutcomeReason TaxpayerNotRegistered = new(
        "TAXPAYER_NOT_REGISTERED", "税务系统未查询到该经营主体的登记信息，请确认营业执照已登记后再申请。");

    public static readonly OutcomeReason TaxpayerNameMismatch = new(
        "TAXPAYER_NAME_MISMATCH", "纳税人名称与登记名称不一致，请按营业执照上的名称填写。", FormFields.LicenceName);

    public static readonly OutcomeReason TaxpayerAbnormal = new(
        "TAXPAYER_ABNORMAL", "该经营主体已注销或处于非正常状态，暂不能办理纳税人信息确认。");

    // Human resources (就业创业证、创业补贴).
    public static readonly OutcomeReason SubsidyCategoryInvalid = new(
        "SUBSIDY_CATEGORY_INVALID",
        "请选择补贴人员类别：离校2年内高校毕业生、就业困难人员、返乡入乡农民工或退役军人。",
        FormFields.SubsidyCategory);

    public static readonly OutcomeReason BusinessUnderOneYear = new(
        "BUSINESS_UNDER_ONE_YEAR", "经营未满1年，正常经营满1年后可补充材料申领一次性开业补贴，届时将提醒您");

    public static readonly OutcomeReason SubsidyCategoryNotEligible = new(
        "SUBSIDY_CATEGORY_NOT_ELIGIBLE", "申请人不属于所选的一次性开业补贴补贴对象类别，请核对补贴人员类别。", FormFields.SubsidyCategory);

    public static readonly OutcomeReason SubsidyNotFirstBusiness = new(
        "SUBSIDY_NOT_FIRST_BUSINESS", "申请人已为此前创办的经营主体领取过创业补贴，不能重复享受。");

    public static readonly OutcomeReason UnitTypeNotEligible = new(
        "UNIT_TYPE_NOT_ELIGIBLE", "个体工商户（无雇工）不属于创业补贴的补贴范围。");

    public const string CertificateAlreadyHeldOpinion = "已持有有效就业创业证";

    public static OutcomeReason SubsidyRefused(string reviewOpinion) => new(
        "SUBSIDY_REFUSED", Or(reviewOpinion, "创业补贴申领审核未通过。"));

    // Human resources: the matter interface (事项申报).
    public static readonly OutcomeReason MatterUnitTypeNotEligible = new(
        "UNIT_TYPE_NOT_ELIGIBLE", "个体工商户（无雇工的）不属于一次性创业资助和创业租金补贴的补贴范围。", FormFields.UnitType);

    public static readonly OutcomeReason LegalEntityNotFound = new(
        "LEGAL_ENTITY_NOT_FOUND", "未能查询到该统一社会信用代码对应的法人信息，请核对经营主体的统一社会信用代码。", FormFields.UnitUscc);

    public static readonly OutcomeReason StartupGrantNotFirst = new(
        "SUBSIDY_NOT_FIRST_BUSINESS", "您已享受过一次性创业资助，不能重复申领。");

    public static readonly OutcomeReason OutsideLabourAge = new(
        "OUTSIDE_LABOUR_AGE", "创业培训面向法定劳动年龄内（16至60周岁）的人员，您的年龄不在此范围内。");

    public static readonly OutcomeReason NoEmploymentCertificate = new(
        "NO_EMPLOYMENT_CERTIFICATE", "申请创业担保贷款须持有《就业创业证》，请先申领就业创业证后再申请。");

    public static readonly OutcomeReason StartupSubsidyCategoryNotEligible = new(
        "SUBSIDY_CATEGORY_NOT_ELIGIBLE", "您不属于所选的一次性创业补贴人员类别，请核对后重新选择。", FormFields.SubsidyCategory);

    public static readonly OutcomeReason StillEmployedForRegistration = new(
        "STILL_EMPLOYED", "您目前仍在用人单位参加社会保险，不能办理失业登记。");

    public static readonly OutcomeReason StudentCategoryNotEligible = new(
        "STUDENT_CATEGORY_NOT_ELIGIBLE", "您不属于所选的求职创业补贴对象类别，请核对后重新选择。", FormFields.StudentCategory);

    public static readonly OutcomeReason NoJiangsuCard = new(
        "NO_JIANGSU_CARD", "求职创业补贴发放至江苏省社会保障卡金融账户，您尚未持有江苏省社会保障卡，请先申领。");

    public static OutcomeReason DifficultyNotRecognised(string opinion) => new(
        "DIFFICULTY_NOT_RECOGNISED", Or(opinion, "经审核，您不符合所申报类别的就业困难人员认定条件。"), FormFields.DifficultyCategory);

    public static OutcomeReason MatterRefused(string opinion) => new("MATTER_REFUSED", Or(opinion, "经审核，您的申请未获通过。"));

    /// <summary>A correction the HR platform asks for (退回补正), with its message, or ours when it gave none.</summary>
    public static OutcomeReason MatterCorrection(string code, string? departmentMessage, string? field) => new(
        code,
        Or(departmentMessage ?? string.Empty, code switch
        {
            "PAYMENT_ACCOUNT_NOT_CARD" => "您已持有社会保障卡，补贴资金须发放至本人社会保障卡金融账户，请填写社会保障卡金融账户。",
            "RENT_PERIOD_START" => "首次申请创业租金补贴，租赁期起应为经营主体登记日期。",
            "RENT_PERIOD_BEYOND_THREE_YEARS" => "创业租金补贴期限为自登记之日起3年，请调整租赁期止。",
            "RENT_AMOUNT_OVER_CAP" => "申请金额超过补贴上限（每年最高4000元），请调整申请金额。",
            "LOAN_AMOUNT_OVER_LIMIT" => "贷款金额超过创业担保贷款额度上限，请调整贷款金额。",
            _ => "申请信息需要补正，请按要求修改后重新提交。",
        }),
        field);

    /// <summary>A form value the HR platform could not read.</summary>
    public static OutcomeReason FieldInvalid(string field, string label, string? departmentMessage) => new(
        "FIELD_INVALID", string.IsNullOrWhiteSpace(departmentMessage) ? $"{label}填写不正确，请核对后重新填写。" : $"{label}填写不正确：{departmentMessage.Trim()}", field);

    // Social insurance (养老保险参保登记).
    public static readonly OutcomeReason AlreadyInsuredByEmployer = new(
        "ALREADY_INSURED_BY_EMPLOYER", "您已在单位参加企业职工基本养老保险，不能以灵活就业人员身份重复参保。");

    public static readonly OutcomeReason PastRetirementAge = new(
        "PAST_RETIREMENT_AGE", "您已达到法定退休年龄，不能办理养老保险参保登记。");

    public static OutcomeReason ContributionBaseOutOfRange(string departmentMessage) => new(
        "CONTRIBUTION_BASE_OUT_OF_RANGE",
        string.IsNullOrWhiteSpace(departmentMessage)
            ? "缴费基数不在本省公布的缴费基数范围内，请重新选择。"
            : $"缴费基数不在本省公布的缴费基数范围内，请重新选择（{departmentMessage.Trim()}）。",
        FormFields.PensionContributionBase);

    public static OutcomeReason RegistrationRefused(string departmentMessage) => new(
        "REGISTRATION_REFUSED", Or(departmentMessage, "养老保险参保登记不予办理。"));

    // Social insurance (失业保险金、价格临时补贴).
    public static readonly OutcomeReason StillEmployedForBenefit = new(
        "STILL_EMPLOYED", "您目前仍在用人单位参加失业保险，不能申领失业保险金。");

    public static readonly OutcomeReason InsufficientContribution = new(
        "INSUFFICIENT_CONTRIBUTION", "您的失业保险累计缴费不满1年，不符合失业保险金申领条件。");

    public static readonly OutcomeReason NotReceivingBenefit = new(
        "NOT_RECEIVING_BENEFIT", "价格临时补贴发放给正在申领或领取失业保险金的人员，未查询到您的失业保险金申领记录，请先申领失业保险金。");

    public static OutcomeReason BenefitRefused(string departmentMessage) => new(
        "BENEFIT_REFUSED", Or(departmentMessage, "失业保险金申领经审核不予核定。"));

    // Social security card (社会保障卡申领).
    public static readonly OutcomeReason CardAlreadyHeld = new(
        "CARD_ALREADY_HELD", "您已持有有效的社会保障卡，无需重复申领；如卡片遗失或损坏，请办理补换卡。");

    public static readonly OutcomeReason PhotoReceiptInvalid = new(
        "PHOTO_RECEIPT_INVALID", "相片回执号无效或不属于申请人，请核对后重新填写。", FormFields.CardPhotoReceiptNo);

    public static readonly OutcomeReason CardPickupInvalid = new(
        "CARD_PICKUP_INVALID", "请选择社会保障卡的领取方式：邮寄或网点领取。", FormFields.CardPickup);

    public static readonly OutcomeReason CardBranchRequired = new(
        "FIELD_REQUIRED", "选择网点领取时，请选择领卡网点。", FormFields.CardBranchCode);

    public static readonly OutcomeReason IdTypeNotSupported = new(
        "ID_TYPE_NOT_SUPPORTED", "社会保障卡线上申领仅支持居民身份证，请持有效证件到社会保障卡服务网点办理。");

    public static OutcomeReason CardProductionFailed(string failReason) => new(
        "CARD_PRODUCTION_FAILED", Or(failReason, "社会保障卡制卡失败，请联系社会保障卡服务网点。"));

    /// <summary>A form field the department requires is empty.</summary>
    public static OutcomeReason FieldRequired(string field, string label) => new("FIELD_REQUIRED", $"请填写{label}。", field);

    private static string Or(string departmentText, string fallback) =>
        string.IsNullOrWhiteSpace(departmentText) ? fallback : departmentText.Trim();
}
