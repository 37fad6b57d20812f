namespace OneThing.Sandbox.Cli;

/// <summary>The simulated departments' stable names, with the short names testers type.</summary>
internal static class Departments
{
    /// <summary>Every department, in the simulators' order.</summary>
    public static readonly IReadOnlyList<string> Names = ["market-regulation", "tax", "human-resources", "social-insurance", "social-security-card"];

    private static readonly Dictionary<string, string> Aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["market"] = "market-regulation",
        ["hr"] = "human-resources",
        ["si"] = "social-insurance",
        ["sscard"] = "social-security-card",
        ["card"] = "social-security-card",
    };

    /// <summary>The stable name of <paramref name="code"/> (a stable name or a short name), or null when unknown.</summary>
    public static string? Resolve(string code) =>
        Names.FirstOrDefault(n => string.Equals(n, code, StringComparison.OrdinalIgnoreCase))
        ?? (Aliases.TryGetValue(code, out var name) ? name : null);

    /// <summary>How to write a department, for help and error texts.</summary>
    public static string Known => string.Join(", ", Names) + " (or market, hr, si, sscard)";
}
