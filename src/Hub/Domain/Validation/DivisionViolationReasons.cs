namespace OneThing.Hub.Domain.Validation;

/// <summary>
/// The stable reason codes of division-code violations found against the division dataset
/// (beside <see cref="ViolationReasons.InvalidDivisionCode"/>, which is about the format alone).
/// </summary>
public static class DivisionViolationReasons
{
    /// <summary>A well-formed division code that the division dataset does not hold.</summary>
    public const string UnknownDivisionCode = "UNKNOWN_DIVISION_CODE";

    /// <summary>A division code above street (街道/乡镇) level where street level is required.</summary>
    public const string DivisionNotStreetLevel = "DIVISION_NOT_STREET_LEVEL";

    /// <summary>A division code above county (区县) level, i.e. a province or city, where county level is required.</summary>
    public const string DivisionNotCountyLevel = "DIVISION_NOT_COUNTY_LEVEL";
}
