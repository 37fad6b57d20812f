namespace OneThing.Hub.Domain.Divisions;

/// <summary>
/// The levels of the statistical division codes (统计用区划代码) the hub holds, from the widest to the
/// most precise. A higher value is more precise, so "at least county level" is <c>level &gt;= County</c>.
/// </summary>
public enum DivisionLevel
{
    /// <summary>省级: province, autonomous region or municipality (2 digits, e.g. 41).</summary>
    Province = 1,

    /// <summary>地级: city, prefecture or league (4 digits, e.g. 4103).</summary>
    City = 2,

    /// <summary>县级: district, county or county-level city (6 digits, e.g. 410302).</summary>
    County = 3,

    /// <summary>乡级: street (街道), town (镇) or township (乡) (9 digits, e.g. 410302001).</summary>
    Street = 4,
}
