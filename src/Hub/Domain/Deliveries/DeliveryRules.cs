using System.Text.RegularExpressions;
using OneThing.Hub.Domain.Applications;
using OneThing.Hub.Domain.Validation;

namespace OneThing.Hub.Domain.Deliveries;

/// <summary>
/// Checks what a clerk or operator records about a delivery, reporting every problem at once (一次告知),
/// each with a stable reason and a Chinese description. No I/O.
/// </summary>
public static partial class DeliveryRules
{
    /// <summary>The most characters of a request id.</summary>
    public const int MaxRequestIdLength = 64;

    /// <summary>The most characters of a carrier's name.</summary>
    public const int MaxCarrierLength = 50;

    /// <summary>The most characters of a window's or a collector's name, or of a note.</summary>
    public const int MaxTextLength = 100;

    /// <summary>The most characters of a carrier's delivery note.</summary>
    public const int MaxNoteLength = 200;

    // A clerk's or carrier's clock may run a little ahead of the hub's.
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    /// <summary>Checks a request id: required, at most <see cref="MaxRequestIdLength"/> characters.</summary>
    public static void CheckRequestId(string? requestId, List<FieldViolation> violations)
    {
        ArgumentNullException.ThrowIfNull(violations);
        if (string.IsNullOrWhiteSpace(requestId))
        {
            violations.Add(new("request_id", ViolationReasons.Required, "请提供请求标识 request_id（如 UUID），重复提交时据此只登记一次"));
        }
        else if (requestId.Length > MaxRequestIdLength)
        {
            violations.Add(new("request_id", ViolationReasons.TooLong, $"请求标识 request_id 不超过{MaxRequestIdLength}个字符"));
        }
    }

    /// <summary>Checks a shipment: carrier, tracking number (6 to 40 letters, digits or hyphens), a time not in the future.</summary>
    public static IReadOnlyList<FieldViolation> CheckShipment(ShipmentInput input, string? requestId, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(input);
        var v = new List<FieldViolation>();
        CheckText("carrier", "承运快递公司", input.Carrier, required: true, MaxCarrierLength, v);
        if (string.IsNullOrWhiteSpace(input.TrackingNumber))
        {
            v.Add(new("tracking_number", ViolationReasons.Required, "请填写快递运单号"));
        }
        else if (!TrackingNumber().IsMatch(input.TrackingNumber.Trim()))
        {
            v.Add(new("tracking_number", DeliveryReasons.InvalidTrackingNumber, "快递运单号应为6至40位字母、数字或连字符"));
        }

        CheckTime("ship_time", "寄出时间", input.ShippedAt, now, v);
        CheckRequestId(requestId, v);
        return v;
    }

    /// <summary>Checks a carrier's confirmation: a time not in the future and a short note.</summary>
    public static IReadOnlyList<FieldViolation> CheckDelivered(DeliveredInput input, string? requestId, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(input);
        var v = new List<FieldViolation>();
        CheckTime("deliver_time", "签收时间", input.DeliveredAt, now, v);
        CheckText("note", "签收说明", input.Note, required: false, MaxNoteLength, v);
        CheckRequestId(requestId, v);
        return v;
    }

    /// <summary>
    /// Checks a collection at a window: who (the applicant, whose ID must be the application's, or an
    /// authorised person with a checked written authorisation), their ID, and the window.
    /// </summary>
    public static IReadOnlyList<FieldViolation> CheckPickup(PickupInput input, ApplicantInfo applicant, string? requestId, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(applicant);
        var v = new List<FieldViolation>();
        if (input.Collector == CollectorKind.Unspecified)
        {
            v.Add(new("collector", ViolationReasons.Required, "请选择领取人：申请人本人或受托代领人"));
        }
        else if (!Enum.IsDefined(input.Collector))
        {
            v.Add(new("collector", ViolationReasons.InvalidChoice, "领取人取值无效"));
        }

        var idValid = CheckId(input.IdType, input.IdNumber, today, v);
        // The number decides, not the kind: a social security card carries the resident ID number.
        if (input.Collector == CollectorKind.Applicant && idValid &&
            !string.Equals(input.IdNumber.Trim(), applicant.IdNumber, StringComparison.OrdinalIgnoreCase))
        {
            v.Add(new("collector_id_document.number", DeliveryReasons.CollectorNotApplicant, "领取人证件与申请人不一致；他人代领请选择“受托代领”并核验授权委托书"));
        }

        if (input.Collector == CollectorKind.Authorised)
        {
            CheckText("collector_name", "代领人姓名", input.CollectorName, required: true, MaxTextLength, v);
            if (!input.AuthorisationChecked)
            {
                v.Add(new("authorisation_checked", DeliveryReasons.AuthorisationNotChecked, "他人代领须核验申请人签署的授权委托书"));
            }
        }

        CheckText("window", "领取窗口", input.Window, required: true, MaxTextLength, v);
        CheckRequestId(requestId, v);
        return v;
    }

    /// <summary>The last four characters of an ID number (all that is kept of it).</summary>
    public static string Last4(string idNumber)
    {
        ArgumentNullException.ThrowIfNull(idNumber);
        var trimmed = idNumber.Trim().ToUpperInvariant();
        return trimmed.Length <= 4 ? trimmed : trimmed[^4..];
    }

    private static bool CheckId(IdDocumentKind type, string? number, DateOnly today, List<FieldViolation> v)
    {
        const string TypeField = "collector_id_document.type";
        const string NumberField = "collector_id_document.number";
        var valid = true;
        if (type == IdDocumentKind.Unspecified || !Enum.IsDefined(type))
        {
            v.Add(new(TypeField, type == IdDocumentKind.Unspecified ? ViolationReasons.Required : ViolationReasons.InvalidChoice, "请选择领取人出示的证件类型"));
            valid = false;
        }

        var value = number?.Trim() ?? string.Empty;
        if (value.Length == 0)
        {
            v.Add(new(NumberField, ViolationReasons.Required, "请填写领取人的证件号码（窗口人员核验证件后录入，仅保留后4位）"));
            return false;
        }

        if (type == IdDocumentKind.ResidentId)
        {
            if (ResidentIdNumber.Check(value, today) != IdNumberCheck.Valid)
            {
                v.Add(new(NumberField, ViolationReasons.InvalidResidentId, "领取人居民身份证号码不正确，请核对证件后重新录入"));
                return false;
            }
        }
        else if (!IdDocumentNumber().IsMatch(value))
        {
            v.Add(new(NumberField, ViolationReasons.InvalidIdNumber, "领取人证件号码格式不正确"));
            return false;
        }

        return valid;
    }

    private static void CheckTime(string path, string label, DateTimeOffset? at, DateTimeOffset now, List<FieldViolation> v)
    {
        if (at is { } t && t > now + ClockSkew)
        {
            v.Add(new(path, DeliveryReasons.TimeInFuture, $"{label}不能晚于当前时间"));
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
        else if (value.Trim().Length > maxLength)
        {
            v.Add(new(path, ViolationReasons.TooLong, $"{label}不超过{maxLength}个字符"));
        }
    }

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9\-]{4,38}[A-Za-z0-9]$")]
    private static partial Regex TrackingNumber();

    [GeneratedRegex(@"^[A-Za-z0-9()（）\-]{5,30}$")]
    private static partial Regex IdDocumentNumber();
}
