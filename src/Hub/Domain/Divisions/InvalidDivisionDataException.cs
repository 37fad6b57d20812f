namespace OneThing.Hub.Domain.Divisions;

/// <summary>A row of a division dataset is malformed or does not fit the tree.</summary>
/// <param name="rowIndex">The zero-based index of the row among the rows given.</param>
/// <param name="problem">What is wrong with it.</param>
public sealed class InvalidDivisionDataException(int rowIndex, string problem)
    : Exception($"division row {rowIndex}: {problem}")
{
    /// <summary>The zero-based index of the offending row among the rows given.</summary>
    public int RowIndex { get; } = rowIndex;

    /// <summary>What is wrong with the row.</summary>
    public string Problem { get; } = problem;
}
