namespace OneThing.Hub.Domain.Divisions;

/// <summary>One row of a division dataset, as a data file states it.</summary>
/// <param name="Code">The division code (2, 4, 6 or 9 digits).</param>
/// <param name="Name">The division's name.</param>
/// <param name="ParentCode">The code one level up; empty for a province.</param>
public sealed record DivisionRow(string Code, string Name, string ParentCode);
