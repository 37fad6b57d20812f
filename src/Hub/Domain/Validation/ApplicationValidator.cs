using System.Globalization;
using System.Text.RegularExpressions;
using OneThing.Hub.Domain.Applications;
using OneThing.Hub.Domain.Catalog;
using OneThing.Hub.Domain.Divisions;

namespace OneThing.Hub.Domain.Validation;

/// <summary>
/// Checks a joint application against its theme and reports every problem at once (一次告知).
/// Pure: no I/O; "today" is passed in.
/// </summary>
public static partial class ApplicationValidator
{
    private const int MaxNameLength = 50;
    private const int MaxTextLength = 200;

    /// <summary>Returns every violation; empty when the application may be submitted. Division codes are checked for format only.</summary>
    public static IReadOnlyList<FieldViolation> Validate(ThemeDefinition theme, ApplicationContent content, DateOnly today) =>
        Validate(theme, content, today, divisions: null);

    /// <summary>
    /// Returns every violation; empty when the application may be submitted. With <paramref name="divisions"/>,
    /// every address's division code must also exist in it, the residence down to the theme's
    /// <see cref="ThemeRequirements.ResidenceLevel"/> and a mailing address down to street level (街道/乡镇); without
    /// it (null) division codes are checked for format only, and a mailing address's 6-digit county code is refused.
    /// </summary>
    public static IReadOnlyList<FieldViolation> Validate(ThemeDefinition theme, ApplicationContent content, DateOnly today, AdministrativeDivisions? divisions)
    {
        var v = new List<FieldViolation>();
        var selected = CheckSelectedItems(theme, content.SelectedItems, v);
        CheckApplicant(content.Applicant, theme.Requirements.ResidenceRequired, today, divisions, theme.Requirements.ResidenceLevel, v);
        CheckFields(theme, content.Fields, selected, v);
        CheckPayment(theme, content.Payment, selected, v);
        CheckDelivery(theme, content.Delivery, divisions, v);
        CheckPledge(theme, content.Pledge, v);
        CheckFiling(content.Filing, v);
        AddLengthViolations(theme, content, v);
        return v;
    }

    /// <summary>Checks only the applicant, for when the theme itself is unknown. Division codes are checked for format only.</summary>
    public static IReadOnlyList<FieldViolation> ValidateApplicant(ApplicantInfo applicant, DateOnly today) =>
        ValidateApplicant(applicant, today, divisions: null);

    /// <summary>
    /// Checks only the applicant, for when the theme itself is unknown; with <paramref name="divisions"/>, a
    /// residence's division code must exist in it down to county level.
    /// </summary>
    public static IReadOnlyList<FieldViolation> ValidateApplicant(ApplicantInfo applicant, DateOnly today, AdministrativeDivisions? divisions)
    {
        var v = new List<FieldViolation>();
        CheckApplicant(applicant, residenceRequired: false, today, divisions, DivisionLevel.County, v);
        return v;
    }

    /// <summary>
    /// Checks a well-formed division code against the dataset: null when it exists and is at least
    /// <paramref name="requiredLevel"/> precise; otherwise an unknown-code or not-precise-enough violation
    /// on <paramref name="path"/>. The dataset stops at street level, so for a 12-digit village code
    /// (村/社区) only its street is checked.
    /// </summary>
    /// <param name="path">The field's path for the violation, e.g. <c>applicant.residence.division_code</c>.</param>
    /// <param name="label">What the citizen calls the address, e.g. 居住地址.</param>
    /// <param name="code">The division code (6, 9 or 12 digits, as the format check allows).</param>
    /// <param name="divisions">The division dataset.</param>
    /// <param name="requiredLevel"><see cref="DivisionLevel.County"/> or <see cref="DivisionLevel.Street"/>.</param>
    public static FieldViolation? CheckDivision(string path, string label, string code, AdministrativeDivisions divisions, DivisionLevel requiredLevel)
    {
        ArgumentNullException.ThrowIfNull(divisions);
        if (requiredLevel is not (DivisionLevel.County or DivisionLevel.Street))
        {
            throw new ArgumentOutOfRangeException(nameof(requiredLevel), requiredLevel, "an address is required down to county or street level");
        }

        var division = divisions.Find(code)
            ?? (code.Length == 12 && divisions.Find(code[..9]) is { Level: DivisionLevel.Street } street ? street : null);
        if (division is null)
        {
            return new(path, DivisionViolationReasons.UnknownDivisionCode, $"{label}的行政区划代码不存在：{code}");
        }

        if (division.Level >= requiredLevel)
        {
            return null;
        }

        var current = divisions.FullName(division.Code);
        return requiredLevel == DivisionLevel.Street
            ? new(path, DivisionViolationReasons.DivisionNotStreetLevel, $"{label}须填写至街道（乡镇）一级（当前为{current}）")
            : new(path, DivisionViolationReasons.DivisionNotCountyLevel, $"{label}须填写至区县一级（当前为{current}）");
    }

    private static HashSet<string> CheckSelectedItems(ThemeDefinition theme, IReadOnlyList<string> items, List<FieldViolation> v)
    {
        var selected = new HashSet<string>(StringComparer.Ordinal);
        if (items.Count == 0)
        {
            v.Add(new("selected_items", ViolationReasons.Required, "请至少选择一个办理事项"));
            return selected;
        }

        for (var i = 0; i < items.Count; i++)
        {
            var code = items[i];
            if (theme.FindItem(code) is null)
            {
                v.Add(new($"selected_items[{i}]", ViolationReasons.UnknownItem, $"「{theme.Title}」没有事项“{code}”"));
            }
            else if (!selected.Add(code))
            {
                v.Add(new($"selected_items[{i}]", ViolationReasons.DuplicateItem, $"事项“{theme.FindItem(code)!.Title}”重复选择"));
            }
        }

        foreach (var code in selected)
        {
            var item = theme.FindItem(code)!;
            foreach (var prerequisite in item.Prerequisites.Where(p => !selected.Contains(p)))
            {
                var pre = theme.FindItem(prerequisite)!;
                v.Add(new("selected_items", ViolationReasons.PrerequisiteNotSelected,
                    $"办理「{item.Title}」须同时选择前置事项「{pre.Title}」"));
            }
        }

        return selected;
    }

    private static void CheckApplicant(ApplicantInfo a, bool residenceRequired, DateOnly today, AdministrativeDivisions? divisions, DivisionLevel residenceLevel, List<FieldViolation> v)
    {
        CheckText("applicant.name", "姓名", a.Name, required: true, MaxNameLength, v);
        if (a.Sex == Sex.Unspecified)
        {
            v.Add(new("applicant.sex", ViolationReasons.Required, "请选择性别"));
        }
        else if (!Enum.IsDefined(a.Sex))
        {
            v.Add(new("applicant.sex", ViolationReasons.InvalidChoice, "性别取值无效"));
        }

        CheckText("applicant.ethnicity", "民族", a.Ethnicity, required: false, 20, v);

        if (a.IdType == IdDocumentKind.Unspecified)
        {
            v.Add(new("applicant.id_document.type", ViolationReasons.Required, "请选择证件类型"));
        }
        else if (!Enum.IsDefined(a.IdType))
        {
            v.Add(new("applicant.id_document.type", ViolationReasons.InvalidChoice, "证件类型取值无效"));
        }

        const string idField = "applicant.id_document.number";
        if (string.IsNullOrWhiteSpace(a.IdNumber))
        {
            v.Add(new(idField, ViolationReasons.Required, "请填写证件号码"));
        }
        else if (a.IdType == IdDocumentKind.ResidentId)
        {
            var check = ResidentIdNumber.Check(a.IdNumber, today);
            if (check != IdNumberCheck.Valid)
            {
                v.Add(new(idField, ViolationReasons.InvalidResidentId, check switch
                {
                    IdNumberCheck.WrongLength => "居民身份证号码应为18位",
                    IdNumberCheck.BadCharacters => "居民身份证号码应为17位数字加1位数字或X",
                    IdNumberCheck.UnknownRegion => "居民身份证号码的地区码不正确",
                    IdNumberCheck.BadBirthDate => "居民身份证号码中的出生日期不正确",
                    _ => "居民身份证号码校验位不正确，请核对后重新填写",
                }));
            }
            else if (a.Sex is Sex.Male or Sex.Female && ResidentIdNumber.IsMale(a.IdNumber) != (a.Sex == Sex.Male))
            {
                v.Add(new("applicant.sex", ViolationReasons.SexMismatch, "性别与居民身份证号码不一致"));
            }
        }
        else if (a.IdNumber.Length > 30 || !IdDocumentNumber().IsMatch(a.IdNumber))
        {
            v.Add(new(idField, ViolationReasons.InvalidIdNumber, "证件号码格式不正确"));
        }

        if (string.IsNullOrWhiteSpace(a.Mobile))
        {
            v.Add(new("applicant.mobile", ViolationReasons.Required, "请填写联系电话"));
        }
        else if (!MobileNumber().IsMatch(a.Mobile))
        {
            v.Add(new("applicant.mobile", ViolationReasons.InvalidMobile, "联系电话应为11位手机号码"));
        }

        if (a.Residence is null)
        {
            if (residenceRequired)
            {
                v.Add(new("applicant.residence", ViolationReasons.Required, "请填写居住地址"));
            }
        }
        else
        {
            CheckAddress("applicant.residence", "居住地址", a.Residence, divisions, residenceLevel, v);
        }
    }

    private static void CheckAddress(string path, string label, AddressInfo address, AdministrativeDivisions? divisions, DivisionLevel requiredLevel, List<FieldViolation> v)
    {
        if (string.IsNullOrWhiteSpace(address.DivisionCode))
        {
            v.Add(new($"{path}.division_code", ViolationReasons.Required, $"请选择{label}所在行政区划"));
        }
        else if (!DivisionCode().IsMatch(address.DivisionCode))
        {
            v.Add(new($"{path}.division_code", ViolationReasons.InvalidDivisionCode, $"{label}的行政区划代码不正确"));
        }
        else if (divisions is not null && CheckDivision($"{path}.division_code", label, address.DivisionCode, divisions, requiredLevel) is { } violation)
        {
            v.Add(violation);
        }

        CheckText($"{path}.detail", $"{label}详细地址", address.Detail, required: true, MaxTextLength, v);
    }

    private static void CheckFields(ThemeDefinition theme, IReadOnlyDictionary<string, string> values, HashSet<string> selected, List<FieldViolation> v)
    {
        foreach (var key in values.Keys.Where(k => theme.FindField(k) is null).Order(StringComparer.Ordinal))
        {
            v.Add(new($"fields[{key}]", ViolationReasons.UnknownField, $"「{theme.Title}」没有填报项“{key}”"));
        }

        foreach (var field in theme.Fields)
        {
            var path = $"fields[{field.Key}]";
            values.TryGetValue(field.Key, out var value);
            var required = field.RequiredForItems.Any(selected.Contains);
            if (string.IsNullOrWhiteSpace(value))
            {
                if (required)
                {
                    v.Add(new(path, ViolationReasons.Required, $"请填写{field.Label}"));
                }

                continue;
            }

            if (value.Length > field.MaxLength)
            {
                v.Add(new(path, ViolationReasons.TooLong, $"{field.Label}不能超过{field.MaxLength}个字符"));
                continue;
            }

            if (CheckValue(field, value) is { } violation)
            {
                v.Add(violation with { Field = path });
            }
        }
    }

    /// <summary>Checks one value against its field's kind; null when it is fine.</summary>
    public static FieldViolation? CheckValue(FieldDefinition field, string value)
    {
        var path = $"fields[{field.Key}]";
        switch (field.Kind)
        {
            case FieldKind.Uscc when !UnifiedSocialCreditCode.IsValid(value):
                return new(path, ViolationReasons.InvalidUscc, $"{field.Label}格式或校验位不正确，应为18位统一社会信用代码");
            case FieldKind.Mobile when !MobileNumber().IsMatch(value):
                return new(path, ViolationReasons.InvalidMobile, $"{field.Label}应为11位手机号码");
            case FieldKind.BankAccount when !BankAccount().IsMatch(value):
                return new(path, ViolationReasons.InvalidBankAccount, $"{field.Label}应为12至19位数字");
            case FieldKind.Date when !DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _):
                return new(path, ViolationReasons.InvalidDate, $"{field.Label}应为日期，格式为yyyy-MM-dd");
            case FieldKind.Choice when field.Options.All(o => o.Value != value):
                return new(path, ViolationReasons.InvalidChoice,
                    $"{field.Label}应为以下之一：{string.Join("、", field.Options.Select(o => o.Label))}");
            case FieldKind.Money:
                if (!Money().IsMatch(value) || !decimal.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
                {
                    return new(path, ViolationReasons.InvalidMoney, $"{field.Label}应为金额（元），最多两位小数");
                }

                if ((field.MinAmount is { } min && amount < min) || (field.MaxAmount is { } max && amount > max))
                {
                    return new(path, ViolationReasons.AmountOutOfRange,
                        $"{field.Label}应在{field.MinAmount?.ToString("0.00", CultureInfo.InvariantCulture) ?? "0"}元至{field.MaxAmount?.ToString("0.00", CultureInfo.InvariantCulture) ?? "不限"}元之间");
                }

                return null;
            default:
                return null;
        }
    }

    private static void CheckPayment(ThemeDefinition theme, PaymentAccountInfo? payment, HashSet<string> selected, List<FieldViolation> v)
    {
        var required = theme.Requirements.PaymentAccountForItems.Any(selected.Contains);
        if (payment is null || (string.IsNullOrWhiteSpace(payment.BankName) && string.IsNullOrWhiteSpace(payment.AccountNumber)))
        {
            if (required)
            {
                v.Add(new("payment_account", ViolationReasons.Required, "申领补贴须填写社会保障卡开户银行及账号"));
            }

            return;
        }

        CheckText("payment_account.bank_name", "开户银行", payment.BankName, required: true, 50, v);
        if (string.IsNullOrWhiteSpace(payment.AccountNumber))
        {
            v.Add(new("payment_account.account_number", ViolationReasons.Required, "请填写银行账号"));
        }
        else if (!BankAccount().IsMatch(payment.AccountNumber))
        {
            v.Add(new("payment_account.account_number", ViolationReasons.InvalidBankAccount, "银行账号应为12至19位数字"));
        }
    }

    private static void CheckDelivery(ThemeDefinition theme, DeliveryInfo? delivery, AdministrativeDivisions? divisions, List<FieldViolation> v)
    {
        if (delivery is null || delivery.Method == DeliveryKind.Unspecified)
        {
            if (theme.Requirements.DeliveryRequired)
            {
                v.Add(new("delivery.method", ViolationReasons.Required, "请选择结果领取方式（邮寄或自取）"));
            }

            return;
        }

        if (!Enum.IsDefined(delivery.Method))
        {
            v.Add(new("delivery.method", ViolationReasons.InvalidChoice, "结果领取方式取值无效"));
            return;
        }

        if (delivery.Method == DeliveryKind.Mail)
        {
            if (delivery.Address is null)
            {
                v.Add(new("delivery.address", ViolationReasons.Required, "选择邮寄须填写收件地址"));
            }
            else
            {
                // Post is delivered to a street (街道/乡镇): checked against the dataset where it is at hand;
                // without it, a 6-digit (county) code is plainly not precise enough.
                CheckAddress("delivery.address", "收件地址", delivery.Address, divisions, DivisionLevel.Street, v);
                if (divisions is null && delivery.Address.DivisionCode.Length == 6 && DivisionCode().IsMatch(delivery.Address.DivisionCode))
                {
                    v.Add(new("delivery.address.division_code", DivisionViolationReasons.DivisionNotStreetLevel, "收件地址须填写至街道（乡镇）一级"));
                }
            }

            CheckText("delivery.recipient", "收件人", delivery.Recipient, required: true, MaxNameLength, v);
            if (string.IsNullOrWhiteSpace(delivery.RecipientMobile))
            {
                v.Add(new("delivery.recipient_mobile", ViolationReasons.Required, "请填写收件人电话"));
            }
            else if (!MobileNumber().IsMatch(delivery.RecipientMobile))
            {
                v.Add(new("delivery.recipient_mobile", ViolationReasons.InvalidMobile, "收件人电话应为11位手机号码"));
            }
        }
        else
        {
            CheckText("delivery.pickup_site", "领取地点", delivery.PickupSite, required: true, MaxTextLength, v);
        }
    }

    private static void CheckFiling(ClerkFiling? filing, List<FieldViolation> v)
    {
        if (filing is null)
        {
            return;
        }

        if (filing.Authorization == FilingAuthorization.Unspecified)
        {
            v.Add(new("filing.authorization", ViolationReasons.Required, "请选择申请人的授权方式：本人到场核验或书面委托"));
        }

        if (filing.Authorization == FilingAuthorization.Written)
        {
            if (string.IsNullOrWhiteSpace(filing.Reference))
            {
                v.Add(new("filing.authorization_reference", ViolationReasons.Required, "委托代办须填写授权委托书编号"));
            }

            if (string.IsNullOrWhiteSpace(filing.AgentName))
            {
                v.Add(new("filing.agent_name", ViolationReasons.Required, "委托代办须填写代办人姓名"));
            }
        }

        if (filing.Reference.Length > 64)
        {
            v.Add(new("filing.authorization_reference", ViolationReasons.TooLong, "授权编号不能超过64个字符"));
        }

        if (filing.AgentName.Length > 50)
        {
            v.Add(new("filing.agent_name", ViolationReasons.TooLong, "代办人姓名不能超过50个字符"));
        }
    }

    private static void CheckPledge(ThemeDefinition theme, PledgeInfo? pledge, List<FieldViolation> v)
    {
        if (!theme.Requirements.PledgeRequired)
        {
            return;
        }

        if (pledge is null || !pledge.Accepted)
        {
            v.Add(new("pledge.accepted", ViolationReasons.PledgeNotAccepted, "请阅读并签署承诺书"));
            return;
        }

        if (!DateOnly.TryParseExact(pledge.SignedDate, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            v.Add(new("pledge.signed_date", ViolationReasons.InvalidDate, "承诺书签署日期应为yyyy-MM-dd"));
        }
    }

    private static void CheckText(string path, string label, string? value, bool required, int maxLength, List<FieldViolation> v)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required)
            {
                v.Add(new(path, ViolationReasons.Required, $"请填写{label}"));
            }
        }
        else if (value.Length > maxLength)
        {
            v.Add(new(path, ViolationReasons.TooLong, $"{label}不能超过{maxLength}个字符"));
        }
    }

    [GeneratedRegex(@"^1[3-9]\d{9}$")]
    private static partial Regex MobileNumber();

    [GeneratedRegex(@"^\d{12,19}$")]
    private static partial Regex BankAccount();

    [GeneratedRegex(@"^\d{1,12}(\.\d{1,2})?$")]
    private static partial Regex Money();

    [GeneratedRegex(@"^[1-9]\d{5}(\d{3}(\d{3})?)?$")]
    private static partial Regex DivisionCode();

    [GeneratedRegex(@"^[A-Za-z0-9()（）\-]{5,30}$")]
    private static partial Regex IdDocumentNumber();
}
