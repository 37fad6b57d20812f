using OneThing.Hub.Domain.Applications;
using OneThing.Hub.Domain.Catalog;

namespace OneThing.Hub.Domain.Validation;

/// <summary>The length limits of everything an application holds, drafts included.</summary>
public static partial class ApplicationValidator
{
    /// <summary>The longest item, material or pledge code.</summary>
    public const int MaxCodeLength = 100;

    /// <summary>The longest key of a form field or guide answer.</summary>
    public const int MaxKeyLength = 100;

    /// <summary>The longest value of a form field the theme does not define, or of a guide answer.</summary>
    public const int MaxFreeValueLength = 200;

    /// <summary>The most entries of the selected items, form fields, guide answers, pledges or attachments.</summary>
    public const int MaxEntries = 100;

    private const int MaxEthnicityLength = 20;
    private const int MaxIdNumberLength = 30;
    private const int MaxPhoneLength = 20;
    private const int MaxDivisionCodeLength = 12;
    private const int MaxBankNameLength = 50;
    private const int MaxAccountLength = 32;
    private const int MaxDateLength = 10;
    private const int MaxMaterialIdLength = 64;
    private const int MaxFilingReferenceLength = 64;
    private const int MaxShownKey = 40;

    /// <summary>
    /// Checks only the lengths and counts of an application's values, all of them at once: a draft may be
    /// incomplete, never oversized. Form fields are held to their catalog limits when
    /// <paramref name="theme"/> defines them. Empty when every value fits.
    /// </summary>
    public static IReadOnlyList<FieldViolation> CheckLengths(ThemeDefinition? theme, ApplicationContent content)
    {
        ArgumentNullException.ThrowIfNull(content);
        var v = new List<FieldViolation>();
        var a = content.Applicant;
        if (a is not null)
        {
            Length("applicant.name", "姓名", a.Name, MaxNameLength, v);
            Length("applicant.ethnicity", "民族", a.Ethnicity, MaxEthnicityLength, v);
            Length("applicant.id_document.number", "证件号码", a.IdNumber, MaxIdNumberLength, v);
            Length("applicant.mobile", "联系电话", a.Mobile, MaxPhoneLength, v);
            Address("applicant.residence", "居住地址", a.Residence, v);
        }

        Count("selected_items", "办理事项", content.SelectedItems.Count, v);
        for (var i = 0; i < content.SelectedItems.Count && i < MaxEntries; i++)
        {
            Length($"selected_items[{i}]", "事项代码", content.SelectedItems[i], MaxCodeLength, v);
        }

        Count("fields", "填报项", content.Fields.Count, v);
        foreach (var (key, value) in content.Fields.OrderBy(f => f.Key, StringComparer.Ordinal).Take(MaxEntries))
        {
            var field = theme?.FindField(key);
            if (!KeyFits($"fields[{Shown(key)}]", "填报项", key, v))
            {
                continue;
            }

            Length($"fields[{key}]", field?.Label ?? $"填报项“{key}”", value, field?.MaxLength ?? MaxFreeValueLength, v);
        }

        Count("guide_answers", "引导问题答案", content.Answers.Count, v);
        foreach (var (key, value) in content.Answers.OrderBy(f => f.Key, StringComparer.Ordinal).Take(MaxEntries))
        {
            if (KeyFits($"guide_answers[{Shown(key)}]", "引导问题", key, v))
            {
                Length($"guide_answers[{key}]", "引导问题的答案", value, MaxFreeValueLength, v);
            }
        }

        if (content.Payment is { } payment)
        {
            Length("payment_account.bank_name", "开户银行", payment.BankName, MaxBankNameLength, v);
            Length("payment_account.account_number", "银行账号", payment.AccountNumber, MaxAccountLength, v);
        }

        if (content.Delivery is { } delivery)
        {
            Address("delivery.address", "收件地址", delivery.Address, v);
            Length("delivery.recipient", "收件人", delivery.Recipient, MaxNameLength, v);
            Length("delivery.recipient_mobile", "收件人电话", delivery.RecipientMobile, MaxPhoneLength, v);
            Length("delivery.pickup_site", "领取地点", delivery.PickupSite, MaxTextLength, v);
        }

        if (content.Pledge is { } pledge)
        {
            Length("pledge.signed_date", "承诺书签署日期", pledge.SignedDate, MaxDateLength, v);
            var pledges = pledge.AcceptedPledges ?? [];
            Count("pledge.accepted_pledges", "承诺书", pledges.Count, v);
            for (var i = 0; i < pledges.Count && i < MaxEntries; i++)
            {
                Length($"pledge.accepted_pledges[{i}]", "承诺书代码", pledges[i], MaxCodeLength, v);
            }
        }

        if (content.Filing is { } filing)
        {
            Length("filing.authorization_reference", "授权编号", filing.Reference, MaxFilingReferenceLength, v);
            Length("filing.agent_name", "代办人姓名", filing.AgentName, MaxNameLength, v);
        }

        var materials = content.Materials ?? [];
        Count("materials", "材料", materials.Count, v);
        for (var i = 0; i < materials.Count && i < MaxEntries; i++)
        {
            Length($"materials[{i}].code", "材料代码", materials[i].Code, MaxCodeLength, v);
            Length($"materials[{i}].material_id", "材料标识", materials[i].MaterialId, MaxMaterialIdLength, v);
        }

        return v;
    }

    /// <summary>
    /// Adds the length violations of paths the checks of <see cref="Validate(ThemeDefinition, ApplicationContent, DateOnly, Divisions.AdministrativeDivisions?)"/>
    /// have not already reported, so every over-long value is named in the same answer.
    /// </summary>
    private static void AddLengthViolations(ThemeDefinition theme, ApplicationContent content, List<FieldViolation> v)
    {
        var reported = v.Select(x => x.Field).ToHashSet(StringComparer.Ordinal);
        v.AddRange(CheckLengths(theme, content).Where(x => !reported.Contains(x.Field) && !reported.Contains(Parent(x.Field))));
    }

    // A value's path reported as too long means its container (e.g. an address) may already be reported as a whole.
    private static string Parent(string path) => path.LastIndexOf('.') is > 0 and var dot ? path[..dot] : path;

    private static void Address(string path, string label, AddressInfo? address, List<FieldViolation> v)
    {
        if (address is null)
        {
            return;
        }

        Length($"{path}.division_code", $"{label}的行政区划代码", address.DivisionCode, MaxDivisionCodeLength, v);
        Length($"{path}.detail", $"{label}详细地址", address.Detail, MaxTextLength, v);
    }

    private static void Length(string path, string label, string? value, int max, List<FieldViolation> v)
    {
        if (value is not null && value.Length > max)
        {
            v.Add(new(path, ViolationReasons.TooLong, $"{label}不能超过{max}个字符（当前{value.Length}个字符）"));
        }
    }

    private static bool KeyFits(string path, string label, string key, List<FieldViolation> v)
    {
        if (key.Length <= MaxKeyLength)
        {
            return true;
        }

        v.Add(new(path, ViolationReasons.TooLong, $"{label}的键不能超过{MaxKeyLength}个字符（当前{key.Length}个字符）"));
        return false;
    }

    private static void Count(string path, string label, int count, List<FieldViolation> v)
    {
        if (count > MaxEntries)
        {
            v.Add(new(path, ViolationReasons.TooMany, $"{label}不能超过{MaxEntries}项（当前{count}项）"));
        }
    }

    // An oversized key is shown cut short: the answer must not echo it back in full.
    private static string Shown(string key) => key.Length <= MaxShownKey ? key : key[..MaxShownKey] + "…";
}
