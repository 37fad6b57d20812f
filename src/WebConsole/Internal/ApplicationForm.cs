using System.Text.RegularExpressions;
using Microsoft.Extensions.Primitives;
using OneThing.Hub.V1;

namespace OneThing.WebConsole.Internal;

/// <summary>
/// What the clerk typed into the application form. Inputs are named by the hub's own field paths
/// (<c>applicant.mobile</c>, <c>fields[licence.uscc]</c>, <c>guide_answers[has_card]</c>), so each violation the
/// hub reports finds its input without a translation table.
/// </summary>
public sealed partial class ApplicationForm
{
    /// <summary>The clerk's id input (sent as the <c>x-onething-clerk</c> request header).</summary>
    public const string ClerkId = "clerk.id";

    /// <summary>The authorisation note input (sent as the <c>x-onething-clerk-note-bin</c> request header).</summary>
    public const string ClerkNote = "clerk.note";

    /// <summary>The chosen items (checkboxes).</summary>
    public const string SelectedItems = "selected_items";

    /// <summary>The accepted pledges of a theme with several (checkboxes).</summary>
    public const string AcceptedPledges = "pledge.accepted_pledges";

    private static readonly string[] TypedInputs =
    [
        "theme", ClerkId, ClerkNote, "applicant.name", "applicant.sex", "applicant.ethnicity", "applicant.id_document.type",
        "applicant.id_document.number", "applicant.mobile", "applicant.residence", "applicant.residence.division_code",
        "applicant.residence.detail", SelectedItems, "payment_account", "payment_account.bank_name", "payment_account.account_number",
        "delivery.method", "delivery.address", "delivery.address.division_code", "delivery.address.detail", "delivery.recipient",
        "delivery.recipient_mobile", "delivery.pickup_site", "pledge.accepted", AcceptedPledges, "pledge.signed_date",
    ];

    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    /// <summary>The theme, "themes/{code}".</summary>
    public string Theme { get => Value("theme"); set => _values["theme"] = value; }

    /// <summary>The id of this submission, kept across re-posts of the same form so a repeated submit is idempotent.</summary>
    public string RequestId { get; set; } = string.Empty;

    /// <summary>The chosen item codes.</summary>
    public HashSet<string> Items { get; } = new(StringComparer.Ordinal);

    /// <summary>The items that could be chosen when the form was last shown (to choose newly available ones by default).</summary>
    public HashSet<string> OfferedItems { get; } = new(StringComparer.Ordinal);

    /// <summary>The pledges accepted (themes with several).</summary>
    public HashSet<string> Pledges { get; } = new(StringComparer.Ordinal);

    /// <summary>The value typed into an input, trimmed; empty when none.</summary>
    public string Value(string name) => _values.TryGetValue(name, out var value) ? value : string.Empty;

    /// <summary>Sets an input's value.</summary>
    public void Set(string name, string value) => _values[name] = value.Trim();

    /// <summary>Reads a posted form.</summary>
    public static ApplicationForm Read(IFormCollection posted)
    {
        var form = new ApplicationForm { RequestId = posted["request_id"].ToString() };
        foreach (var (name, values) in posted)
        {
            switch (name)
            {
                case SelectedItems:
                    form.Items.UnionWith(NonEmpty(values));
                    break;
                case AcceptedPledges:
                    form.Pledges.UnionWith(NonEmpty(values));
                    break;
                case "offered_items":
                    form.OfferedItems.UnionWith(NonEmpty(values));
                    break;
                case "request_id" or "__RequestVerificationToken":
                    break;
                default:
                    form.Set(name, values.ToString());
                    break;
            }
        }

        return form;
    }

    /// <summary>Every input or group a violation can be shown beside, for this theme.</summary>
    public static HashSet<string> Slots(Theme theme)
    {
        var slots = new HashSet<string>(TypedInputs, StringComparer.Ordinal);
        slots.UnionWith(theme.Fields.Select(f => $"fields[{f.Key}]"));
        slots.UnionWith(theme.Questions.Select(q => $"guide_answers[{q.Code}]"));
        slots.UnionWith(theme.Materials.Select(m => $"materials[{m.Code}]"));
        return slots;
    }

    /// <summary>
    /// The input or group a violation belongs beside: the path itself when an input has it, else the nearest
    /// enclosing group (<c>selected_items[2]</c> → <c>selected_items</c>, <c>applicant.residence</c> → its group);
    /// "form" when none (shown at the top only).
    /// </summary>
    public static string SlotOf(string path, IReadOnlySet<string> slots)
    {
        var candidate = path;
        while (candidate.Length > 0)
        {
            if (slots.Contains(candidate))
            {
                return candidate;
            }

            candidate = IndexSuffix().IsMatch(candidate) ? IndexSuffix().Replace(candidate, string.Empty)
                : candidate.LastIndexOf('.') is var dot and > 0 && !candidate.EndsWith(']') ? candidate[..dot]
                : string.Empty;
        }

        return "form";
    }

    /// <summary>Checks what only the console asks for: who files and on what authority.</summary>
    public IReadOnlyList<Violation> CheckClerk()
    {
        var problems = new List<Violation>();
        var clerk = Value(ClerkId);
        if (clerk.Length == 0)
        {
            problems.Add(new(ClerkId, "CLERK_REQUIRED", "请填写经办人工号"));
        }
        else if (!ClerkIdPattern().IsMatch(clerk))
        {
            problems.Add(new(ClerkId, "INVALID_CLERK_ID", "经办人工号只能由字母、数字、点、下划线或连字符组成（至多32位）"));
        }

        var note = Value(ClerkNote);
        if (note.Length == 0)
        {
            problems.Add(new(ClerkNote, "AUTHORISATION_REQUIRED", "请填写代办授权说明（如：申请人现场书面授权，已核验身份证原件）"));
        }
        else if (note.Length > 200)
        {
            problems.Add(new(ClerkNote, "TOO_LONG", "代办授权说明不能超过200个字符"));
        }

        return problems;
    }

    /// <summary>Builds the application the hub receives; empty inputs are left out so the hub names what is missing.</summary>
    public Application ToApplication(Theme theme, DateOnly today)
    {
        var idType = int.TryParse(Value("applicant.id_document.type"), out var type) ? (IdDocumentType)type : IdDocumentType.ResidentId;
        var idNumber = Value("applicant.id_document.number").ToUpperInvariant();
        var application = new Application
        {
            Theme = theme.Name,
            Applicant = new Applicant
            {
                Name = Value("applicant.name"),
                Sex = Value("applicant.sex") switch
                {
                    "1" => Sex.Male,
                    "2" => Sex.Female,
                    _ when idType == IdDocumentType.ResidentId => ResidentIdentity.SexOf(idNumber),
                    _ => Sex.Unspecified,
                },
                Ethnicity = Value("applicant.ethnicity"),
                IdDocument = new IdDocument { Type = idType, Number = idNumber },
                Mobile = Value("applicant.mobile"),
                Residence = AddressOf("applicant.residence"),
            },
        };
        application.SelectedItems.Add(theme.Items.Select(i => i.Code).Where(Items.Contains));
        foreach (var field in theme.Fields)
        {
            if (Value($"fields[{field.Key}]") is { Length: > 0 } value)
            {
                application.Fields[field.Key] = value;
            }
        }

        foreach (var question in theme.Questions)
        {
            if (Value($"guide_answers[{question.Code}]") is { Length: > 0 } answer)
            {
                application.GuideAnswers[question.Code] = answer;
            }
        }

        if (Value("payment_account.bank_name").Length > 0 || Value("payment_account.account_number").Length > 0)
        {
            application.PaymentAccount = new PaymentAccount { BankName = Value("payment_account.bank_name"), AccountNumber = Value("payment_account.account_number") };
        }

        application.Delivery = Value("delivery.method") switch
        {
            "mail" => new Delivery
            {
                Method = DeliveryMethod.Mail,
                Address = AddressOf("delivery.address"),
                Recipient = Value("delivery.recipient"),
                RecipientMobile = Value("delivery.recipient_mobile"),
            },
            "pickup" => new Delivery { Method = DeliveryMethod.Pickup, PickupSite = Value("delivery.pickup_site") },
            _ => null,
        };

        var signed = today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        if (theme.Pledges.Count > 1 && Pledges.Count > 0)
        {
            application.Pledge = new Pledge { Accepted = theme.Pledges.All(p => Pledges.Contains(p.Code)), SignedDate = signed };
            application.Pledge.AcceptedPledges.Add(theme.Pledges.Select(p => p.Code).Where(Pledges.Contains));
        }
        else if (Value("pledge.accepted") == "true")
        {
            application.Pledge = new Pledge { Accepted = true, SignedDate = signed };
            application.Pledge.AcceptedPledges.Add(theme.Pledges.Select(p => p.Code));
        }

        return application;
    }

    private Address? AddressOf(string prefix)
    {
        var division = Value(prefix + ".division_code");
        var detail = Value(prefix + ".detail");
        return division.Length == 0 && detail.Length == 0 ? null : new Address { DivisionCode = division, Detail = detail };
    }

    private static IEnumerable<string> NonEmpty(StringValues values) =>
        values.Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v!.Trim());

    [GeneratedRegex(@"\[[^\]]*\]$")]
    private static partial Regex IndexSuffix();

    [GeneratedRegex(@"^[A-Za-z0-9._-]{1,32}$")]
    private static partial Regex ClerkIdPattern();
}
