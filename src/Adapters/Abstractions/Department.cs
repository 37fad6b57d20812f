namespace OneThing.Adapters;

/// <summary>The department systems behind the hub.</summary>
public enum Department
{
    /// <summary>市场监管: market regulation (business registry).</summary>
    MarketRegulation = 1,

    /// <summary>税务: tax.</summary>
    Tax = 2,

    /// <summary>人社: human resources (employment services).</summary>
    HumanResources = 3,

    /// <summary>社保经办: social insurance agency.</summary>
    SocialInsurance = 4,

    /// <summary>社保卡: social security card.</summary>
    SocialSecurityCard = 5,
}

/// <summary>Stable, lower-case names for departments, used in configuration, pipelines and metrics.</summary>
public static class DepartmentNames
{
    /// <summary>Returns the stable name, e.g. <c>market-regulation</c>.</summary>
    public static string ToName(this Department department) => department switch
    {
        Department.MarketRegulation => "market-regulation",
        Department.Tax => "tax",
        Department.HumanResources => "human-resources",
        Department.SocialInsurance => "social-insurance",
        Department.SocialSecurityCard => "social-security-card",
        _ => throw new ArgumentOutOfRangeException(nameof(department), department, "unknown department"),
    };

    /// <summary>Parses a stable name; returns false for an unknown one.</summary>
    public static bool TryParse(string name, out Department department)
    {
        foreach (var d in Enum.GetValues<Department>())
        {
            if (string.Equals(d.ToName(), name, StringComparison.OrdinalIgnoreCase))
            {
                department = d;
                return true;
            }
        }

        department = default;
        return false;
    }
}
