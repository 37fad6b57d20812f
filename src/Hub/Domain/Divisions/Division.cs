namespace OneThing.Hub.Domain.Divisions;

/// <summary>One administrative division, linked to the division it belongs to.</summary>
public sealed class Division
{
    internal Division(string code, string name, DivisionLevel level, Division? parent)
    {
        Code = code;
        Name = name;
        Level = level;
        Parent = parent;
    }

    /// <summary>The statistical division code: 2, 4, 6 or 9 digits by level, e.g. <c>410302001</c>.</summary>
    public string Code { get; }

    /// <summary>The division's own name as published, e.g. 西关街道 (placeholders such as 市辖区 included).</summary>
    public string Name { get; }

    /// <summary>The level, which follows from the code's length.</summary>
    public DivisionLevel Level { get; }

    /// <summary>The division one level up; null for a province.</summary>
    public Division? Parent { get; }

    /// <summary>The chain from the province down to this division (this one last).</summary>
    public IReadOnlyList<Division> Chain
    {
        get
        {
            var chain = new Division[(int)Level];
            for (Division? d = this; d is not null; d = d.Parent)
            {
                chain[(int)d.Level - 1] = d;
            }

            return chain;
        }
    }

    /// <summary>Whether <paramref name="region"/> is this division or one of the divisions above it.</summary>
    public bool IsWithin(Division region)
    {
        for (Division? d = this; d is not null; d = d.Parent)
        {
            if (ReferenceEquals(d, region))
            {
                return true;
            }
        }

        return false;
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Code} {Name}";
}
