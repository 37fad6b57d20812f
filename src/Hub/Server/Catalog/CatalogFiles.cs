using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using OneThing.Hub.Domain.Calendar;
using OneThing.Hub.Domain.Catalog;
using OneThing.Hub.Domain.Divisions;

namespace OneThing.Hub.Catalog;

/// <summary>
/// Reads the catalog from its data files: <c>themes/*.json</c> (one file per region and theme) and
/// <c>calendar/*.json</c> (one file per year). A bad file stops the start with an error that names
/// the file, the place in it and what is wrong.
/// </summary>
public static class CatalogFiles
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        Converters = { new JsonStringEnumConverter(allowIntegerValues: false) },
    };

    /// <summary>Loads every theme and calendar year under <paramref name="directory"/>.</summary>
    /// <exception cref="CatalogException">A file is missing, malformed or inconsistent.</exception>
    public static CatalogSnapshot Load(string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw new CatalogException(directory, "", "the catalog directory does not exist");
        }

        var themes = new List<ThemeDefinition>();
        var seen = new Dictionary<(string, int), string>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(directory, "themes"), "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var theme = LoadTheme(file);
            if (seen.TryGetValue((theme.Code, theme.Version), out var other))
            {
                throw new CatalogException(file, "$.version", $"theme '{theme.Code}' version {theme.Version} is also defined in {other}");
            }

            seen[(theme.Code, theme.Version)] = file;
            themes.Add(theme);
        }

        var calendarDirectory = Path.Combine(directory, "calendar");
        var years = Directory.Exists(calendarDirectory)
            ? Directory.EnumerateFiles(calendarDirectory, "*.json").Order(StringComparer.Ordinal).Select(LoadYear).ToList()
            : [];
        if (years.Count == 0)
        {
            throw new CatalogException(calendarDirectory, "", "no working-day calendar data: deadlines cannot be computed");
        }

        var divisionsFile = Path.Combine(directory, DivisionFile.PathInCatalog);
        if (!File.Exists(divisionsFile))
        {
            throw new CatalogException(divisionsFile, "", "the administrative division data is missing: addresses cannot be checked (see catalog/divisions/SOURCE.md)");
        }

        return new CatalogSnapshot(themes, new WorkingDayCalendar(years), DivisionFile.Load(divisionsFile));
    }

    /// <summary>Loads and checks one theme file.</summary>
    public static ThemeDefinition LoadTheme(string file)
    {
        var dto = Read<ThemeFile>(file);
        var theme = dto.ToDefinition();
        var problems = CatalogRules.Check(theme);
        if (problems.Count > 0)
        {
            var (place, problem) = problems[0];
            throw new CatalogException(file, "$." + place, problem + (problems.Count > 1 ? $" (and {problems.Count - 1} more problem(s))" : string.Empty));
        }

        return theme;
    }

    private static CalendarYear LoadYear(string file)
    {
        var dto = Read<CalendarFile>(file);
        static HashSet<DateOnly> Dates(string file, string name, int year, IReadOnlyList<string> values)
        {
            var set = new HashSet<DateOnly>();
            for (var i = 0; i < values.Count; i++)
            {
                if (!DateOnly.TryParseExact(values[i], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) || d.Year != year)
                {
                    throw new CatalogException(file, $"$.{name}[{i}]", $"'{values[i]}' is not a date of {year} (yyyy-MM-dd)");
                }

                set.Add(d);
            }

            return set;
        }

        var holidays = Dates(file, "holidays", dto.Year, dto.Holidays);
        var makeUp = Dates(file, "makeUpWorkingDays", dto.Year, dto.MakeUpWorkingDays);
        if (holidays.Overlaps(makeUp))
        {
            throw new CatalogException(file, "$.makeUpWorkingDays", "a day cannot be both a holiday and a make-up working day");
        }

        return new CalendarYear(dto.Year, holidays, makeUp, dto.Source);
    }

    private static T Read<T>(string file)
    {
        try
        {
            using var stream = File.OpenRead(file);
            return JsonSerializer.Deserialize<T>(stream, Options) ?? throw new CatalogException(file, "$", "the file is empty");
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? $" (line {line + 1}, position {e.BytePositionInLine + 1})" : string.Empty;
            throw new CatalogException(file, e.Path ?? "$", FirstSentence(e.Message) + where);
        }
    }

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(". Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }

    private sealed record ThemeFile(
        string Code,
        int Version,
        string Title,
        RegionFile Region,
        string Source,
        int TimeLimitWorkingDays,
        IReadOnlyList<ItemFile> Items,
        IReadOnlyList<MaterialFile> Materials,
        IReadOnlyList<FieldFile> Fields,
        Dictionary<string, string>? StatusTexts,
        RequirementsFile? Requirements,
        IReadOnlyList<QuestionFile>? Questions = null,
        IReadOnlyList<PledgeFile>? Pledges = null,
        IReadOnlyList<WindowFile>? Windows = null,
        IReadOnlyList<RuleFile>? Rules = null,
        IReadOnlyList<SharedDataFile>? SharedData = null)
    {
        public ThemeDefinition ToDefinition() => new(
            Code,
            Version,
            Title,
            new ThemeRegion(Region.Code, Region.Name),
            Source,
            TimeLimitWorkingDays,
            Items.Select(i => new ItemDefinition(
                i.Code, i.Title, i.Department, i.DepartmentTitle, i.Prerequisites ?? [], i.TimeLimitWorkingDays, i.CompletesImmediately, i.Materials ?? [], i.Description ?? string.Empty,
                (i.Eligibility ?? []).Select(e => new EligibilityRule(e.Question, e.AllowedValues, e.ReasonCode, e.ReasonMessage)).ToList(),
                (i.Reminders ?? []).Select(r => new ReminderDefinition(r.Code, r.When, r.Anchor, r.Key, r.OffsetYears, r.OffsetWorkingDays, r.Repeat ?? 1, r.Text)).ToList(),
                i.Certificate is { } c ? new CertificateDefinition(c.Title, c.NumberKey, c.VerificationCodeKey, c.IssuedOnKey) : null,
                i.PaperResult is { } paper ? new PaperResultDefinition(paper.Title, paper.NumberKey) : null)).ToList(),
            Materials.Select(m => new MaterialDefinition(
                m.Code, m.Title, m.SharedData, m.Description ?? string.Empty,
                m.Photo is { } p ? new PhotoRuleDefinition(p.WidthPx, p.HeightPx, p.TolerancePx, p.MinKb, p.MaxKb) : null,
                m.RequiredWhenField, m.RequiredWhenValues)).ToList(),
            Fields.Select(f => new FieldDefinition(
                f.Key, f.Label, f.Kind, f.RequiredForItems ?? [], (f.Options ?? []).Select(o => new FieldOptionDefinition(o.Value, o.Label)).ToList(),
                f.MinAmount, f.MaxAmount, f.MaxLength, f.Hint ?? string.Empty, f.ImmutableOnceSaved, f.StreetLevel)).ToList(),
            StatusTexts,
            Requirements?.ToDefinition(),
            (Questions ?? []).Select(q => new GuideQuestionDefinition(
                q.Code, q.Text, q.Options.Select(o => new FieldOptionDefinition(o.Value, o.Label)).ToList(),
                (q.AskWhen ?? []).ToDictionary(kv => kv.Key, kv => (IReadOnlyList<string>)kv.Value, StringComparer.Ordinal))).ToList(),
            (Pledges ?? []).Select(p => new PledgeDefinition(p.Code, p.Text)).ToList(),
            (Windows ?? []).Select(w => w.ToDefinition()).ToList(),
            (Rules ?? []).Select(r => new FieldRuleDefinition(r.Kind, r.Field, r.Other, r.End, r.Years, r.Amount, r.ForItems ?? [], r.ReasonCode, r.Message)).ToList(),
            (SharedData ?? []).Select(d => new SharedDataDefinition(d.Code, d.Department, d.Kind, d.Material, d.Fills ?? new Dictionary<string, string>(), d.NotFoundMessage)).ToList());
    }

    private sealed record QuestionFile(string Code, string Text, IReadOnlyList<OptionFile> Options, Dictionary<string, List<string>>? AskWhen);

    private sealed record EligibilityFile(string Question, IReadOnlyList<string> AllowedValues, string ReasonCode, string ReasonMessage);

    private sealed record PledgeFile(string Code, string Text);

    private sealed record SharedDataFile(string Code, string Department, string Kind, string? Material, Dictionary<string, string>? Fills, string NotFoundMessage);

    private sealed record PhotoFile(int WidthPx, int HeightPx, int TolerancePx, int MinKb, int MaxKb);

    private sealed record RuleFile(FieldRuleKind Kind, string Field, string Other, string? End, int Years, decimal Amount, IReadOnlyList<string>? ForItems, string ReasonCode, string Message);

    private sealed record WindowFile(string Label, string YearField, int YearOffset, string Start, string End)
    {
        public ApplicationWindowDefinition ToDefinition()
        {
            static (int Month, int Day) MonthDay(string text)
            {
                var parts = text.Split('-');
                return parts.Length == 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var m) && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var d)
                    ? (m, d)
                    : (0, 0);
            }

            var (sm, sd) = MonthDay(Start);
            var (em, ed) = MonthDay(End);
            return new ApplicationWindowDefinition(Label, YearField, YearOffset, sm, sd, em, ed);
        }
    }

    private sealed record RegionFile(string Code, string Name);

    private sealed record ItemFile(string Code, string Title, string Department, string DepartmentTitle, IReadOnlyList<string>? Prerequisites, int TimeLimitWorkingDays, bool CompletesImmediately, IReadOnlyList<string>? Materials, string? Description, IReadOnlyList<EligibilityFile>? Eligibility = null, IReadOnlyList<ReminderFile>? Reminders = null, CertificateFile? Certificate = null, PaperResultFile? PaperResult = null);

    private sealed record CertificateFile(string Title, string NumberKey, string VerificationCodeKey, string IssuedOnKey);

    private sealed record PaperResultFile(string Title, string? NumberKey = null);

    private sealed record ReminderFile(string Code, ItemStateName When, ReminderAnchor Anchor, string? Key, int OffsetYears, int OffsetWorkingDays, int? Repeat, string Text);

    private sealed record MaterialFile(string Code, string Title, bool SharedData, string? Description, PhotoFile? Photo = null, string? RequiredWhenField = null, IReadOnlyList<string>? RequiredWhenValues = null);

    private sealed record FieldFile(string Key, string Label, FieldKind Kind, IReadOnlyList<string>? RequiredForItems, IReadOnlyList<OptionFile>? Options, decimal? MinAmount, decimal? MaxAmount, int MaxLength, string? Hint, bool ImmutableOnceSaved = false, bool StreetLevel = false);

    private sealed record OptionFile(string Value, string Label);

    private sealed record RequirementsFile(
        IReadOnlyList<string>? PaymentAccountForItems,
        bool DeliveryRequired,
        bool PledgeRequired,
        bool ResidenceRequired,
        [property: JsonConverter(typeof(ResidenceLevelConverter))] DivisionLevel ResidenceLevel = DivisionLevel.County)
    {
        public ThemeRequirements ToDefinition() => new(PaymentAccountForItems ?? [], DeliveryRequired, PledgeRequired, ResidenceRequired, ResidenceLevel);
    }

    /// <summary>Reads <c>"residenceLevel": "county" | "street"</c>; a residence is never asked for at province or city level.</summary>
    private sealed class ResidenceLevelConverter : JsonConverter<DivisionLevel>
    {
        public override DivisionLevel Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            (reader.TokenType == JsonTokenType.String ? reader.GetString() : null) switch
            {
                "county" => DivisionLevel.County,
                "street" => DivisionLevel.Street,
                var other => throw new JsonException($"residenceLevel must be \"county\" or \"street\", not {(other is null ? reader.TokenType.ToString() : $"'{other}'")}"),
            };

        public override void Write(Utf8JsonWriter writer, DivisionLevel value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value == DivisionLevel.Street ? "street" : "county");
    }

    private sealed record CalendarFile(int Year, string Source, IReadOnlyList<string> Holidays, IReadOnlyList<string> MakeUpWorkingDays);
}

/// <summary>A catalog file is missing, malformed or inconsistent.</summary>
public sealed class CatalogException(string file, string place, string problem)
    : Exception($"catalog file {file}: at {(place.Length == 0 ? "$" : place)}: {problem}")
{
    /// <summary>The file.</summary>
    public string File { get; } = file;

    /// <summary>The JSON path of the problem.</summary>
    public string Place { get; } = place;

    /// <summary>What is wrong.</summary>
    public string Problem { get; } = problem;
}

/// <summary>The loaded catalog: every version of every theme, and the working-day calendar.</summary>
public sealed class CatalogSnapshot
{
    private readonly Dictionary<string, ThemeDefinition[]> _versions;

    /// <summary>Creates the snapshot.</summary>
    public CatalogSnapshot(IEnumerable<ThemeDefinition> themes, WorkingDayCalendar calendar, AdministrativeDivisions divisions)
    {
        Divisions = divisions;
        _versions = themes.GroupBy(t => t.Code, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderByDescending(t => t.Version).ToArray(), StringComparer.Ordinal);
        Calendar = calendar;
    }

    /// <summary>The working-day calendar.</summary>
    public WorkingDayCalendar Calendar { get; }

    /// <summary>The administrative divisions down to street level.</summary>
    public AdministrativeDivisions Divisions { get; }

    /// <summary>The newest version of each theme, ordered by code.</summary>
    public IReadOnlyList<ThemeDefinition> LatestThemes => _versions.Values.Select(v => v[0]).OrderBy(t => t.Code, StringComparer.Ordinal).ToList();

    /// <summary>The newest version of a theme, or null.</summary>
    public ThemeDefinition? Latest(string code) => _versions.TryGetValue(code, out var v) ? v[0] : null;

    /// <summary>A given version of a theme, or null.</summary>
    public ThemeDefinition? Version(string code, int version) =>
        _versions.TryGetValue(code, out var v) ? Array.Find(v, t => t.Version == version) : null;
}
