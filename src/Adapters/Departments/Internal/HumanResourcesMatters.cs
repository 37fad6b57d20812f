namespace OneThing.Adapters.Internal;

/// <summary>
/// The items the HR platform takes through its generic matter declaration interface (事项申报,
/// protos/departments/hr/v1/matters.proto): per item, its matter code, which form field becomes which
/// matter parameter, and which results it produces.
/// </summary>
internal static class HumanResourcesMatters
{
    private static readonly MatterParam[] Payment =
    [
        new(FormFields.PaymentBankName, "bank_name", "开户银行"),
        new(FormFields.PaymentAccountNumber, "account_no", "银行账号"),
    ];

    private static readonly MatterItem[] Items =
    [
        new(
            CatalogItems.EmploymentRegistration,
            "GD-JYDJ",
            [
                // The place of employment defaults to the unit's registered address (and the division it was registered in).
                new(FormFields.EmploymentDivisionCode, "employment_division", "就业地行政区划",
                    Fallback: s => DivisionOf(Unit(s, FormFields.UnitUscc, ResultKeys.Uscc))),
                new(FormFields.EmploymentAddress, "employment_address", "就业地址",
                    Fallback: s => s.UpstreamValue(CatalogItems.LicenceVerification, ResultKeys.Address)),
                new(FormFields.UnitName, "unit_name", "用人单位名称", Required: false, Fallback: s => Licence(s, ResultKeys.EntityName)),
                new(FormFields.UnitUscc, "unit_uscc", "用人单位统一社会信用代码", Required: false, Fallback: s => Licence(s, ResultKeys.Uscc)),
            ],
            [ResultKeys.RegistrationNo],
            ReceiptNoInResult: false),
        new(
            CatalogItems.StartupGrant,
            "GD-YCXCYZZ",
            [
                new(FormFields.UnitType, "unit_type", "经营主体类型", Fallback: s => Licence(s, ResultKeys.EntityType)),
                new(FormFields.UnitRegistrationDate, "registration_date", "登记日期", Fallback: s => Licence(s, ResultKeys.RegistrationDate)),
                new(FormFields.UnitUscc, "unit_uscc", "统一社会信用代码", Fallback: s => Licence(s, ResultKeys.Uscc)),
                new(FormFields.UnitName, "unit_name", "经营主体名称", Fallback: s => Licence(s, ResultKeys.EntityName)),
                .. Payment,
            ],
            [ResultKeys.Amount],
            ReceiptNoInResult: true),
        new(
            CatalogItems.RentSubsidy,
            "GD-CYZJBT",
            [
                new(FormFields.UnitType, "unit_type", "经营主体类型", Fallback: s => Licence(s, ResultKeys.EntityType)),
                new(FormFields.UnitRegistrationDate, "registration_date", "登记日期", Fallback: s => Licence(s, ResultKeys.RegistrationDate)),
                new(FormFields.RentPeriodStart, "period_start", "租赁期起"),
                new(FormFields.RentPeriodEnd, "period_end", "租赁期止"),
                new(FormFields.RentAmount, "amount", "申请补贴金额"),
                .. Payment,
            ],
            [ResultKeys.Amount],
            ReceiptNoInResult: true),
        new(
            CatalogItems.StartupTraining,
            "NM-CYPX",
            [new(FormFields.TrainingIntent, "training_intent", "培训意向")],
            [ResultKeys.ClassNo],
            ReceiptNoInResult: false),
        new(
            CatalogItems.GuaranteedLoan,
            "NM-CYDBDK",
            [
                new(FormFields.LoanType, "loan_type", "贷款类型"),
                new(FormFields.LoanAmount, "amount", "贷款金额"),
                new(FormFields.LoanBank, "bank", "经办银行"),
            ],
            [ResultKeys.ApprovedAmount],
            ReceiptNoInResult: true),
        new(
            CatalogItems.OneTimeStartupSubsidy,
            "NM-YCXCYBT",
            [
                new(FormFields.SubsidyCategory, "category", "补贴人员类别"),
                new(FormFields.PaymentBankName, "bank_name", "开户银行", Required: false),
                new(FormFields.PaymentAccountNumber, "account_no", "银行账号", Required: false),
            ],
            [ResultKeys.Amount],
            ReceiptNoInResult: true),
        new(CatalogItems.OpeningGuidance, "NM-CYKYZD", [], [ResultKeys.AppointmentNo], ReceiptNoInResult: false),
        new(
            CatalogItems.UnemploymentRegistration,
            "GD-SYDJ",
            [new(FormFields.UnemploymentReason, "reason", "失业原因")],
            [ResultKeys.RegistrationNo],
            ReceiptNoInResult: false),
        new(CatalogItems.CareerGuidance, "GD-ZYZD", [], [ResultKeys.AppointmentNo], ReceiptNoInResult: false),
        new(CatalogItems.PolicyConsultation, "GD-ZCZX", [], [ResultKeys.AppointmentNo], ReceiptNoInResult: false),
        new(CatalogItems.JobReferral, "GD-ZYJS", [], [ResultKeys.AppointmentNo], ReceiptNoInResult: false),
        new(
            CatalogItems.DifficultyRecognition,
            "GD-JYKNRD",
            [new(FormFields.DifficultyCategory, "category", "就业困难人员类别", Translate: DifficultyCategoryName)],
            [ResultKeys.RecognitionNo],
            ReceiptNoInResult: false),
        new(
            CatalogItems.JobSeekingSubsidy,
            "JS-QZCYBT",
            [
                new(FormFields.StudentCategory, "category", "补贴对象类别", Translate: StudentCategoryCode),
                new(FormFields.StudentSchool, "school", "毕业院校"),
                new(FormFields.StudentGraduationYear, "graduation_year", "毕业年份"),
                new(FormFields.StudentNumber, "student_no", "学号"),
                new(FormFields.StudentEducation, "education", "学历"),
                .. Payment,
            ],
            [ResultKeys.Amount],
            ReceiptNoInResult: true),
    ];

    // The platform records employment difficulty categories (就业困难人员类别) by their Chinese names;
    // the form carries codes. An unknown value travels as it is, for the platform to judge.
    private static readonly Dictionary<string, string> DifficultyCategoryNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["dibao-family"] = "低保家庭",
        ["serious-illness"] = "本人患重大疾病",
        ["disabled"] = "残疾人",
        ["disabled-veteran"] = "残疾退役军人",
        ["veteran"] = "退役军人",
        ["drug-rehabilitated"] = "戒毒康复人员",
        ["released-prisoner"] = "刑满释放人员",
        ["mental-health-recovered"] = "精神疾病康复人员",
        ["non-local-resident"] = "非本地户籍常住人员",
        ["city-defined"] = "地级以上市认定的其他就业困难人员",
        ["zero-employment-family"] = "零就业家庭",
        ["long-term-unemployed"] = "长期失业人员",
        ["older-unemployed"] = "大龄失业人员",
    };

    // Jiangsu's student categories travel as codes (the form's own); a form may carry the Chinese name instead.
    private static readonly Dictionary<string, string> StudentCategoryCodes = new(StringComparer.Ordinal)
    {
        ["残疾"] = "disabled",
        ["残疾人"] = "disabled",
        ["低保家庭"] = "dibao-family",
        ["特困"] = "extreme-poverty",
        ["特困人员"] = "extreme-poverty",
        ["建档立卡低收入农户"] = "low-income-farmer",
        ["建档立卡贫困家庭"] = "poverty-registered",
        ["国家助学贷款"] = "student-loan",
    };

    private static readonly Dictionary<string, MatterItem> ByItemCode = Items.ToDictionary(i => i.ItemCode, StringComparer.Ordinal);

    /// <summary>Finds the matter an item is declared as; null for an item of another HR interface.</summary>
    public static MatterItem? Find(string itemCode) => ByItemCode.GetValueOrDefault(itemCode);

    private static string? Licence(ItemSubmission submission, string key) =>
        submission.UpstreamValue(CatalogItems.LicenceVerification, key);

    private static string? Unit(ItemSubmission submission, string fieldKey, string licenceKey) =>
        submission.Field(fieldKey) ?? Licence(submission, licenceKey);

    // Characters 3–8 of a USCC are the division code of the registering authority.
    private static string? DivisionOf(string? uscc) =>
        uscc is { Length: 18 } && uscc.AsSpan(2, 6).IndexOfAnyExceptInRange('0', '9') < 0 ? uscc.Substring(2, 6) : null;

    private static string DifficultyCategoryName(string value) => DifficultyCategoryNames.GetValueOrDefault(value.Trim(), value.Trim());

    private static string StudentCategoryCode(string value) => StudentCategoryCodes.GetValueOrDefault(value.Trim(), value.Trim());
}

/// <summary>An item declared through the HR matter interface.</summary>
/// <param name="ItemCode">The catalog item code.</param>
/// <param name="MatterCode">The platform's matter code (事项编码).</param>
/// <param name="Params">The form fields sent, and as which parameters.</param>
/// <param name="ResultKeys">The result keys the matter's results carry (the same names on both sides).</param>
/// <param name="ReceiptNoInResult">Whether the item's result also carries the receipt number as <c>receipt_no</c>.</param>
internal sealed record MatterItem(
    string ItemCode, string MatterCode, IReadOnlyList<MatterParam> Params, IReadOnlyList<string> ResultKeys, bool ReceiptNoInResult)
{
    /// <summary>The form field a matter parameter comes from; null if the item sends no such parameter.</summary>
    public MatterParam? ParamNamed(string param) => Params.FirstOrDefault(p => string.Equals(p.Param, param, StringComparison.Ordinal));
}

/// <summary>One form field sent as a matter parameter.</summary>
/// <param name="FieldKey">The hub's form field key, e.g. <c>rent.amount</c>.</param>
/// <param name="Param">The platform's parameter name, e.g. <c>amount</c>.</param>
/// <param name="Label">What the citizen calls the field, in Chinese, for reasons.</param>
/// <param name="Required">Whether the platform requires it; a missing one is returned to the citizen without calling.</param>
/// <param name="Fallback">Where the value comes from when the form lacks it (e.g. the verified licence).</param>
/// <param name="Translate">Turns the form's value into the platform's vocabulary.</param>
internal sealed record MatterParam(
    string FieldKey,
    string Param,
    string Label,
    bool Required = true,
    Func<ItemSubmission, string?>? Fallback = null,
    Func<string, string>? Translate = null);
