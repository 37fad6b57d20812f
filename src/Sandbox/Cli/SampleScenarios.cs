using OneThing.Hub.V1;
using OneThing.Simulators;

namespace OneThing.Sandbox.Cli;

/// <summary>
/// The samples of the five seed themes and the prepared people the simulators keep for each: which
/// person a tester means by "luoyang no-licence", and the complete application built for them.
/// </summary>
public static class SampleScenarios
{
    /// <summary>The samples, one per seed theme.</summary>
    public static readonly IReadOnlyList<string> Samples = ["luoyang", "shaoguan", "baotou", "jieyang", "jiangsu"];

    /// <summary>The prepared people of each sample; "ready" is the one whose every item succeeds.</summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> People = new Dictionary<string, IReadOnlyList<string>>
    {
        ["luoyang"] = ["ready", "no-licence", "recent-licence", "existing-card", "no-employee-unit", "insured-by-employer"],
        ["shaoguan"] = ["ready", "card-holder", "no-employee-unit"],
        ["baotou"] = ["ready", "no-certificate", "over-age"],
        ["jieyang"] = ["ready", "employed", "short-contribution"],
        ["jiangsu"] = ["ready", "no-card"],
    };

    /// <summary>The theme's resource name of a sample.</summary>
    public static string ThemeOf(string sample) => sample switch
    {
        "luoyang" => SampleApplications.LuoyangTheme,
        "shaoguan" => SampleApplications.ShaoguanTheme,
        "baotou" => SampleApplications.BaotouTheme,
        "jieyang" => SampleApplications.JieyangTheme,
        "jiangsu" => SampleApplications.JiangsuTheme,
        _ => throw new ArgumentException($"unknown sample '{sample}'", nameof(sample)),
    };

    /// <summary>
    /// The sample of a theme written as a sample ("luoyang"), a code ("luoyang.personal-startup") or a
    /// resource name ("themes/luoyang.personal-startup"); null when no seed theme matches.
    /// </summary>
    public static string? SampleOf(string theme)
    {
        var code = theme.StartsWith("themes/", StringComparison.Ordinal) ? theme["themes/".Length..] : theme;
        return Samples.FirstOrDefault(s => s == code || ThemeOf(s) == "themes/" + code);
    }

    /// <summary>The prepared person <paramref name="person"/> of <paramref name="sample"/>, or null when there is none by that name.</summary>
    public static SimulatedPerson? Find(ScenarioPeople people, string sample, string person) => (sample, person) switch
    {
        ("luoyang", "ready") => people.Ready,
        ("luoyang", "no-licence") => people.NoLicence,
        ("luoyang", "recent-licence") => people.RecentLicence,
        ("luoyang", "existing-card") => people.ExistingCard,
        ("luoyang", "no-employee-unit") => people.NoEmployeeUnit,
        ("luoyang", "insured-by-employer") => people.InsuredByEmployer,
        ("shaoguan", "ready") => people.ShaoguanNoCard,
        ("shaoguan", "card-holder") => people.ShaoguanReady,
        ("shaoguan", "no-employee-unit") => people.ShaoguanNoEmployeeUnit,
        ("baotou", "ready") => people.BaotouReady,
        ("baotou", "no-certificate") => people.BaotouNoCertificate,
        ("baotou", "over-age") => people.BaotouOverAge,
        ("jieyang", "ready") => people.JieyangUnemployed,
        ("jieyang", "employed") => people.JieyangEmployed,
        ("jieyang", "short-contribution") => people.JieyangShortContribution,
        ("jiangsu", "ready") => people.JiangsuStudent,
        ("jiangsu", "no-card") => people.JiangsuStudentNoCard,
        _ => null,
    };

    /// <summary>
    /// The sample application of <paramref name="sample"/> for <paramref name="person"/>, signed on
    /// <paramref name="today"/> (a day in China). A Jiangsu student graduates in the school year that
    /// contains <paramref name="today"/>.
    /// </summary>
    public static Application Build(string sample, SimulatedPerson person, DateOnly today) => sample switch
    {
        "luoyang" => SampleApplications.Luoyang(person, today),
        "shaoguan" => SampleApplications.Shaoguan(person, today),
        "baotou" => SampleApplications.Baotou(person, today),
        "jieyang" => SampleApplications.Jieyang(person, today),
        "jiangsu" => SampleApplications.Jiangsu(person, today.Month >= 9 ? today.Year + 1 : today.Year, today),
        _ => throw new ArgumentException($"unknown sample '{sample}'", nameof(sample)),
    };

}
