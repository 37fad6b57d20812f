using OneThing.Hub.Domain.Divisions;

namespace OneThing.Hub.Domain.Catalog;

/// <summary>A theme ("one thing") as the catalog defines it: items, materials, form fields.</summary>
public sealed class ThemeDefinition
{
    private readonly Dictionary<string, ItemDefinition> _items;
    private readonly Dictionary<string, FieldDefinition> _fields;

    /// <summary>Creates a theme; <see cref="CatalogRules.Check"/> has already vetted it.</summary>
    public ThemeDefinition(
        string code,
        int version,
        string title,
        ThemeRegion region,
        string source,
        int timeLimitWorkingDays,
        IReadOnlyList<ItemDefinition> items,
        IReadOnlyList<MaterialDefinition> materials,
        IReadOnlyList<FieldDefinition> fields,
        IReadOnlyDictionary<string, string>? statusTexts = null,
        ThemeRequirements? requirements = null,
        IReadOnlyList<GuideQuestionDefinition>? questions = null,
        IReadOnlyList<PledgeDefinition>? pledges = null,
        IReadOnlyList<ApplicationWindowDefinition>? windows = null,
        IReadOnlyList<FieldRuleDefinition>? rules = null,
        IReadOnlyList<SharedDataDefinition>? sharedData = null)
    {
        SharedData = sharedData ?? [];
        Questions = questions ?? [];
        Pledges = pledges ?? [];
        Windows = windows ?? [];
        Rules = rules ?? [];
        Requirements = requirements ?? ThemeRequirements.None;
        Code = code;
        Version = version;
        Title = title;
        Region = region;
        Source = source;
        TimeLimitWorkingDays = timeLimitWorkingDays;
        Items = items;
        Materials = materials;
        Fields = fields;
        StatusTexts = statusTexts ?? new Dictionary<string, string>();
        _items = items.ToDictionary(i => i.Code, StringComparer.Ordinal);
        _fields = fields.ToDictionary(f => f.Key, StringComparer.Ordinal);
    }

    /// <summary>The stable code, e.g. <c>luoyang.personal-startup</c>.</summary>
    public string Code { get; }

    /// <summary>The catalog version.</summary>
    public int Version { get; }

    /// <summary>The title a citizen reads.</summary>
    public string Title { get; }

    /// <summary>The publishing region.</summary>
    public ThemeRegion Region { get; }

    /// <summary>The policy document the theme implements.</summary>
    public string Source { get; }

    /// <summary>The promised limit for the whole application in working days (0: none).</summary>
    public int TimeLimitWorkingDays { get; }

    /// <summary>The items, in catalog order.</summary>
    public IReadOnlyList<ItemDefinition> Items { get; }

    /// <summary>The materials.</summary>
    public IReadOnlyList<MaterialDefinition> Materials { get; }

    /// <summary>The theme-specific form fields, in display order.</summary>
    public IReadOnlyList<FieldDefinition> Fields { get; }

    /// <summary>The theme's own status words by item state name (e.g. <c>Pending</c> → 待办).</summary>
    public IReadOnlyDictionary<string, string> StatusTexts { get; }

    /// <summary>What the typed parts of the form must hold for this theme.</summary>
    public ThemeRequirements Requirements { get; }

    /// <summary>The guided questions, in order.</summary>
    public IReadOnlyList<GuideQuestionDefinition> Questions { get; }

    /// <summary>The pledges the applicant must accept.</summary>
    public IReadOnlyList<PledgeDefinition> Pledges { get; }

    /// <summary>When applications are taken; empty when always.</summary>
    public IReadOnlyList<ApplicationWindowDefinition> Windows { get; }

    /// <summary>Rules between fields.</summary>
    public IReadOnlyList<FieldRuleDefinition> Rules { get; }

    /// <summary>What the hub looks up from departments instead of asking the applicant (数据共享).</summary>
    public IReadOnlyList<SharedDataDefinition> SharedData { get; }

    /// <summary>Finds an item by code.</summary>
    public ItemDefinition? FindItem(string code) => _items.GetValueOrDefault(code);

    /// <summary>Finds a field by key.</summary>
    public FieldDefinition? FindField(string key) => _fields.GetValueOrDefault(key);
}

/// <summary>What the typed parts of a theme's form must hold.</summary>
/// <param name="PaymentAccountForItems">A payment account is required when any of these items is selected.</param>
/// <param name="DeliveryRequired">Whether a delivery choice (mail or pick-up) is required.</param>
/// <param name="PledgeRequired">Whether the signed pledge (承诺书) is required.</param>
/// <param name="ResidenceRequired">Whether the applicant's residence is required.</param>
/// <param name="ResidenceLevel">
/// How precise the residence's division code must be: <see cref="DivisionLevel.County"/> (区县) or
/// <see cref="DivisionLevel.Street"/> (街道/乡镇), checked when a division dataset is at hand.
/// </param>
public sealed record ThemeRequirements(
    IReadOnlyList<string> PaymentAccountForItems,
    bool DeliveryRequired,
    bool PledgeRequired,
    bool ResidenceRequired,
    DivisionLevel ResidenceLevel = DivisionLevel.County)
{
    /// <summary>Nothing beyond the applicant.</summary>
    public static ThemeRequirements None { get; } = new([], false, false, false);
}

/// <summary>
/// A look-up of what a department holds about the applicant (数据共享免提交): its values prefill the
/// form, and when it finds the record the material it stands for need not be uploaded; when it finds
/// nothing, the material becomes a required upload with <paramref name="NotFoundMessage"/>.
/// </summary>
/// <param name="Code">Stable code, e.g. <c>licence-by-holder</c>.</param>
/// <param name="Department">The department's stable name.</param>
/// <param name="Kind">The kind of record the department's adapter looks up, e.g. <c>business-licence</c>.</param>
/// <param name="Material">The material the record stands for, if any (a material with sharedData).</param>
/// <param name="Fills">Form field key to the record's value key, e.g. <c>unit.uscc</c> → <c>uscc</c>.</param>
/// <param name="NotFoundMessage">What the applicant reads when nothing is on record.</param>
public sealed record SharedDataDefinition(
    string Code,
    string Department,
    string Kind,
    string? Material,
    IReadOnlyDictionary<string, string> Fills,
    string NotFoundMessage);

/// <summary>A region that publishes themes.</summary>
/// <param name="Code">Administrative division code, e.g. 410300.</param>
/// <param name="Name">The region's name.</param>
public sealed record ThemeRegion(string Code, string Name);

/// <summary>One item of a theme, handled by one department.</summary>
/// <param name="Code">Stable item code, e.g. <c>tax.taxpayer-confirmation</c>.</param>
/// <param name="Title">Title a citizen reads.</param>
/// <param name="Department">The department's stable name.</param>
/// <param name="DepartmentTitle">The department's name a citizen reads.</param>
/// <param name="Prerequisites">Items that must succeed first; their results flow to this one.</param>
/// <param name="TimeLimitWorkingDays">Time limit in working days (0 with <paramref name="CompletesImmediately"/>: at once).</param>
/// <param name="CompletesImmediately">Whether the department completes it at once (即办).</param>
/// <param name="Materials">Material codes it needs.</param>
/// <param name="Description">A short explanation.</param>
/// <param name="Eligibility">Guided-question answers the item needs; all must hold.</param>
/// <param name="PaperResult">The paper result a grant hands over for unified delivery (统一出件), if any.</param>
public sealed record ItemDefinition(
    string Code,
    string Title,
    string Department,
    string DepartmentTitle,
    IReadOnlyList<string> Prerequisites,
    int TimeLimitWorkingDays,
    bool CompletesImmediately,
    IReadOnlyList<string> Materials,
    string Description,
    IReadOnlyList<EligibilityRule>? Eligibility = null,
    IReadOnlyList<ReminderDefinition>? Reminders = null,
    CertificateDefinition? Certificate = null,
    PaperResultDefinition? PaperResult = null)
{
    /// <summary>The eligibility rules (never null).</summary>
    public IReadOnlyList<EligibilityRule> EligibilityRules => Eligibility ?? [];

    /// <summary>The reminders the item schedules (never null).</summary>
    public IReadOnlyList<ReminderDefinition> ReminderRules => Reminders ?? [];
}

/// <summary>
/// The electronic certificate (电子证照) an item's department issues when it grants the item: where its
/// number, verification code and issue date are in the item's result.
/// </summary>
/// <param name="Title">What it is called, e.g. 就业创业证.</param>
/// <param name="NumberKey">The result key of its number.</param>
/// <param name="VerificationCodeKey">The result key of the code anyone holding it can verify it with.</param>
/// <param name="IssuedOnKey">The result key of its issue date (yyyy-MM-dd).</param>
public sealed record CertificateDefinition(string Title, string NumberKey, string VerificationCodeKey, string IssuedOnKey);

/// <summary>
/// The paper result (纸质结果、实体证照) a department hands over when it grants the item, which reaches the
/// applicant through unified delivery (统一出件: by post or pick-up at a service window).
/// </summary>
/// <param name="Title">What the applicant receives, e.g. 《就业创业证》.</param>
/// <param name="NumberKey">The result key of the number printed on it, if any (e.g. <c>certificate_number</c>).</param>
public sealed record PaperResultDefinition(string Title, string? NumberKey = null);

/// <summary>What a reminder's date counts from.</summary>
public enum ReminderAnchor
{
    /// <summary>The day the item entered the state (e.g. the day it was returned).</summary>
    StateChanged = 1,

    /// <summary>A deferred item's eligible date.</summary>
    EligibleDate = 2,

    /// <summary>A date (yyyy-MM-dd) the applicant gave in a form field, named by <see cref="ReminderDefinition.Key"/>.</summary>
    Field = 3,

    /// <summary>A date (yyyy-MM-dd) in the item's result, named by <see cref="ReminderDefinition.Key"/>.</summary>
    Result = 4,
}

/// <summary>
/// A reminder an item schedules when it enters a state (提醒): e.g. Luoyang's startup-subsidy reminder
/// when the year since registration is up, Shaoguan's yearly rent-subsidy claims, a returned item's
/// correction deadline. It is sent on the first working day on or after its date, at 09:00 China time,
/// unless the item has left the state by then.
/// </summary>
/// <param name="Code">Stable code, unique within the item.</param>
/// <param name="When">The item state that schedules it.</param>
/// <param name="Anchor">What the date counts from.</param>
/// <param name="Key">The field or result key for <see cref="ReminderAnchor.Field"/> and <see cref="ReminderAnchor.Result"/>.</param>
/// <param name="OffsetYears">Years added to the anchor.</param>
/// <param name="OffsetWorkingDays">Working days added after the years (0 for none).</param>
/// <param name="Repeat">How many reminders, a year apart (1 for one).</param>
/// <param name="Text">What the applicant reads; <c>{title}</c> and <c>{date}</c> are filled in.</param>
public sealed record ReminderDefinition(
    string Code,
    ItemStateName When,
    ReminderAnchor Anchor,
    string? Key,
    int OffsetYears,
    int OffsetWorkingDays,
    int Repeat,
    string Text);

/// <summary>The item states a catalog may name (the domain's ItemState, without depending on it here).</summary>
public enum ItemStateName
{
    /// <summary>Completed and granted.</summary>
    Succeeded = 3,

    /// <summary>Returned for correction.</summary>
    Returned = 5,

    /// <summary>Not yet eligible.</summary>
    Deferred = 7,
}

/// <summary>A material an item may need.</summary>
/// <param name="Code">Stable code.</param>
/// <param name="Title">Title a citizen reads.</param>
/// <param name="SharedData">Whether the hub can fetch it instead of an upload (免提交).</param>
/// <param name="Description">Notes.</param>
/// <param name="Photo">For a photo: its rule.</param>
/// <param name="RequiredWhenField">Required only for some values of this field.</param>
/// <param name="RequiredWhenValues">Those values.</param>
public sealed record MaterialDefinition(
    string Code,
    string Title,
    bool SharedData,
    string Description,
    PhotoRuleDefinition? Photo = null,
    string? RequiredWhenField = null,
    IReadOnlyList<string>? RequiredWhenValues = null);

/// <summary>The kinds of theme-specific field, each with its validator.</summary>
public enum FieldKind
{
    /// <summary>Free text.</summary>
    Text = 1,

    /// <summary>One of the options.</summary>
    Choice = 2,

    /// <summary>A date, yyyy-MM-dd.</summary>
    Date = 3,

    /// <summary>Money in yuan, at most two decimals, optionally within a range.</summary>
    Money = 4,

    /// <summary>A unified social credit code (GB 32100).</summary>
    Uscc = 5,

    /// <summary>A mainland mobile number.</summary>
    Mobile = 6,

    /// <summary>A bank card or account number.</summary>
    BankAccount = 7,

    /// <summary>A whole number, optionally within MinAmount..MaxAmount.</summary>
    Integer = 8,

    /// <summary>An administrative division code.</summary>
    Division = 9,
}

/// <summary>A theme-specific form field.</summary>
/// <param name="Key">Stable key, e.g. <c>licence.uscc</c>.</param>
/// <param name="Label">Label a citizen reads.</param>
/// <param name="Kind">The kind, which decides the validator.</param>
/// <param name="RequiredForItems">Required whenever any of these items is selected.</param>
/// <param name="Options">For <see cref="FieldKind.Choice"/>: the allowed values and labels.</param>
/// <param name="MinAmount">For money: the smallest allowed amount.</param>
/// <param name="MaxAmount">For money: the largest allowed amount.</param>
/// <param name="MaxLength">The most characters allowed.</param>
/// <param name="Hint">A hint shown under the field.</param>
/// <param name="ImmutableOnceSaved">Once saved in a draft, the value cannot change.</param>
/// <param name="StreetLevel">For a division: it must be street level (街道/乡镇).</param>
public sealed record FieldDefinition(
    string Key,
    string Label,
    FieldKind Kind,
    IReadOnlyList<string> RequiredForItems,
    IReadOnlyList<FieldOptionDefinition> Options,
    decimal? MinAmount,
    decimal? MaxAmount,
    int MaxLength,
    string Hint,
    bool ImmutableOnceSaved = false,
    bool StreetLevel = false);

/// <summary>One allowed value of a choice field.</summary>
public sealed record FieldOptionDefinition(string Value, string Label);
