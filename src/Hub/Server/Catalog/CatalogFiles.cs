using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using OneThing.Hub.Domain.Calendar;
using OneThing.Hub.Domain.Catalog;

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

        return new CatalogSnapshot(themes, new WorkingDayCalendar(years));
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
        RequirementsFile? Requirements)
    {
        public ThemeDefinition ToDefinition() => new(
            Code,
            Version,
            Title,
            new ThemeRegion(Region.Code, Region.Name),
            Source,
            TimeLimitWorkingDays,
            Items.Select(i => new ItemDefinition(i.Code, i.Title, i.Department, i.DepartmentTitle, i.Prerequisites ?? [], i.TimeLimitWorkingDays, i.CompletesImmediately, i.Materials ?? [], i.Description ?? string.Empty)).ToList(),
            Materials.Select(m => new MaterialDefinition(m.Code, m.Title, m.SharedData, m.Description ?? string.Empty)).ToList(),
            Fields.Select(f => new FieldDefinition(f.Key, f.Label, f.Kind, f.RequiredForItems ?? [], (f.Options ?? []).Select(o => new FieldOptionDefinition(o.Value, o.Label)).ToList(), f.MinAmount, f.MaxAmount, f.MaxLength, f.Hint ?? string.Empty)).ToList(),
            StatusTexts,
            Requirements is null ? null : new ThemeRequirements(Requirements.PaymentAccountForItems ?? [], Requirements.DeliveryRequired, Requirements.PledgeRequired, Requirements.ResidenceRequired));
    }

    private sealed record RegionFile(string Code, string Name);

    private sealed record ItemFile(string Code, string Title, string Department, string DepartmentTitle, IReadOnlyList<string>? Prerequisites, int TimeLimitWorkingDays, bool CompletesImmediately, IReadOnlyList<string>? Materials, string? Description);

    private sealed record MaterialFile(string Code, string Title, bool SharedData, string? Description);

    private sealed record FieldFile(string Key, string Label, FieldKind Kind, IReadOnlyList<string>? RequiredForItems, IReadOnlyList<OptionFile>? Options, decimal? MinAmount, decimal? MaxAmount, int MaxLength, string? Hint);

    private sealed record OptionFile(string Value, string Label);

    private sealed record RequirementsFile(IReadOnlyList<string>? PaymentAccountForItems, bool DeliveryRequired, bool PledgeRequired, bool ResidenceRequired);

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
    public CatalogSnapshot(IEnumerable<ThemeDefinition> themes, WorkingDayCalendar calendar)
    {
        _versions = themes.GroupBy(t => t.Code, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderByDescending(t => t.Version).ToArray(), StringComparer.Ordinal);
        Calendar = calendar;
    }

    /// <summary>The working-day calendar.</summary>
    public WorkingDayCalendar Calendar { get; }

    /// <summary>The newest version of each theme, ordered by code.</summary>
    public IReadOnlyList<ThemeDefinition> LatestThemes => _versions.Values.Select(v => v[0]).OrderBy(t => t.Code, StringComparer.Ordinal).ToList();

    /// <summary>The newest version of a theme, or null.</summary>
    public ThemeDefinition? Latest(string code) => _versions.TryGetValue(code, out var v) ? v[0] : null;

    /// <summary>A given version of a theme, or null.</summary>
    public ThemeDefinition? Version(string code, int version) =>
        _versions.TryGetValue(code, out var v) ? Array.Find(v, t => t.Version == version) : null;
}
