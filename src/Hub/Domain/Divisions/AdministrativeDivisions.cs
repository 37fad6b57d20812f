using System.Text;

namespace OneThing.Hub.Domain.Divisions;

/// <summary>
/// The administrative divisions of China down to street (街道/乡镇) level, built from a published dataset's
/// rows: finds a division by code, names it in full and tells whether it lies within a region. Pure: the
/// rows are read elsewhere. Immutable once built, so one instance may be shared by every request.
/// </summary>
public sealed class AdministrativeDivisions
{
    private readonly Dictionary<string, Division> _byCode;
    private readonly int[] _countByLevel = new int[5];

    /// <summary>Builds the tree and checks it.</summary>
    /// <param name="rows">Every province, city, county and street; in any order.</param>
    /// <exception cref="InvalidDivisionDataException">
    /// A code is not 2, 4, 6 or 9 digits, a name is empty, a code appears twice, or a parent is missing,
    /// is not one level up or is not the leading part of its child's code.
    /// </exception>
    public AdministrativeDivisions(IEnumerable<DivisionRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var checkedRows = new List<(DivisionRow Row, int Index, DivisionLevel Level)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var row in rows)
        {
            var level = LevelOf(row.Code)
                ?? throw new InvalidDivisionDataException(index, $"code '{row.Code}' is not 2, 4, 6 or 9 digits");
            if (string.IsNullOrWhiteSpace(row.Name) || row.Name.Trim().Length != row.Name.Length)
            {
                throw new InvalidDivisionDataException(index, $"code {row.Code}: the name is empty or has surrounding spaces");
            }

            var parent = row.ParentCode ?? string.Empty;
            if (level == DivisionLevel.Province ? parent.Length != 0 : LevelOf(parent) != level - 1 || !row.Code.StartsWith(parent, StringComparison.Ordinal))
            {
                throw new InvalidDivisionDataException(index, level == DivisionLevel.Province
                    ? $"code {row.Code}: a province has no parent, found '{parent}'"
                    : $"code {row.Code}: the parent should be its first {CodeLength(level - 1)} digits ({row.Code[..CodeLength(level - 1)]}), found '{parent}'");
            }

            if (!seen.Add(row.Code))
            {
                throw new InvalidDivisionDataException(index, $"code {row.Code} appears twice");
            }

            checkedRows.Add((row with { ParentCode = parent }, index, level));
            index++;
        }

        // Parents first, so every child finds its parent already built whatever the rows' order.
        _byCode = new Dictionary<string, Division>(checkedRows.Count, StringComparer.Ordinal);
        foreach (var (row, rowIndex, level) in checkedRows.OrderBy(r => r.Level).ThenBy(r => r.Index))
        {
            Division? parent = null;
            if (level != DivisionLevel.Province && !_byCode.TryGetValue(row.ParentCode, out parent))
            {
                throw new InvalidDivisionDataException(rowIndex, $"code {row.Code}: the parent {row.ParentCode} is not in the data");
            }

            _byCode.Add(row.Code, new Division(row.Code, row.Name, level, parent));
            _countByLevel[(int)level]++;
        }
    }

    /// <summary>The number of divisions of every level.</summary>
    public int Count => _byCode.Count;

    /// <summary>The number of divisions of one level.</summary>
    public int CountAt(DivisionLevel level) => level is >= DivisionLevel.Province and <= DivisionLevel.Street ? _countByLevel[(int)level] : 0;

    /// <summary>
    /// Finds a division by its code, or null when there is none. Besides the plain 2/4/6/9-digit code it
    /// accepts the zero-padded forms that name the level above: the 6-digit GB/T 2260 form of a city or
    /// province (<c>410300</c> → 4103 洛阳市) and the 12-digit NBS form (<c>410302001000</c> → 410302001).
    /// A 12-digit village code (e.g. <c>410302001001</c>) is below the dataset and gives null.
    /// </summary>
    public Division? Find(string? code)
    {
        if (code is null || code.Length is 0 or > 12 || !code.All(char.IsAsciiDigit))
        {
            return null;
        }

        var candidate = code;
        while (true)
        {
            if (LevelOf(candidate) is not null && _byCode.TryGetValue(candidate, out var division))
            {
                return division;
            }

            var shorter = candidate.Length switch { 12 => 9, 9 => 6, 6 => 4, 4 => 2, _ => 0 };
            if (shorter == 0 || candidate.AsSpan(shorter).ContainsAnyExcept('0'))
            {
                return null;
            }

            candidate = candidate[..shorter];
        }
    }

    /// <summary>
    /// The full name from the province down, e.g. 河南省洛阳市老城区西关街道; null for an unknown code.
    /// Placeholder levels (市辖区, 县, 省直辖县级行政区划) and a level that repeats the name above it
    /// (东莞市 under 东莞市) are left out, as an address is written.
    /// </summary>
    public string? FullName(string? code)
    {
        if (Find(code) is not { } division)
        {
            return null;
        }

        var text = new StringBuilder();
        string? previous = null;
        foreach (var d in division.Chain)
        {
            if (!IsPlaceholder(d.Name) && d.Name != previous)
            {
                text.Append(d.Name);
                previous = d.Name;
            }
        }

        return text.ToString();
    }

    /// <summary>
    /// Whether the division <paramref name="code"/> lies within the region <paramref name="regionPrefix"/>
    /// (or is that region). The region is a division code in any form <see cref="Find"/> accepts, e.g.
    /// <c>41</c>, <c>4103</c> or <c>410300</c>. False when either code is unknown.
    /// </summary>
    public bool IsUnder(string? code, string? regionPrefix) =>
        Find(code) is { } division && Find(regionPrefix) is { } region && division.IsWithin(region);

    /// <summary>The level a plain code's length implies (2, 4, 6 or 9 digits), or null.</summary>
    public static DivisionLevel? LevelOf(string? code)
    {
        if (code is null || !code.All(char.IsAsciiDigit))
        {
            return null;
        }

        return code.Length switch
        {
            2 => DivisionLevel.Province,
            4 => DivisionLevel.City,
            6 => DivisionLevel.County,
            9 => DivisionLevel.Street,
            _ => null,
        };
    }

    private static int CodeLength(DivisionLevel level) => level switch
    {
        DivisionLevel.Province => 2,
        DivisionLevel.City => 4,
        DivisionLevel.County => 6,
        _ => 9,
    };

    // The NBS tables keep a city level for municipalities (市辖区, 县) and for counties that a province
    // administers directly; these are not part of a written address.
    private static bool IsPlaceholder(string name) =>
        name is "市辖区" or "县" || name.EndsWith("直辖县级行政区划", StringComparison.Ordinal);
}
