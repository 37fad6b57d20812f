namespace OneThing.Hub.Domain.Catalog;

/// <summary>The dependency graph of a theme's items: what runs first, what waits for what.</summary>
public static class ItemGraph
{
    /// <summary>
    /// Orders the selected items so that every item comes after its prerequisites; ties keep
    /// catalog order. Prerequisites that were not selected are ignored (validation refuses them).
    /// </summary>
    public static IReadOnlyList<ItemDefinition> Order(ThemeDefinition theme, IEnumerable<string> selected)
    {
        var wanted = selected.ToHashSet(StringComparer.Ordinal);
        var ordered = new List<ItemDefinition>();
        var placed = new HashSet<string>(StringComparer.Ordinal);
        var remaining = theme.Items.Where(i => wanted.Contains(i.Code)).ToList();
        while (remaining.Count > 0)
        {
            var ready = remaining.FirstOrDefault(i => i.Prerequisites.All(p => placed.Contains(p) || !wanted.Contains(p)))
                ?? throw new InvalidOperationException($"theme '{theme.Code}' has a prerequisite cycle");
            ordered.Add(ready);
            placed.Add(ready.Code);
            remaining.Remove(ready);
        }

        return ordered;
    }

    /// <summary>Returns the items that list <paramref name="itemCode"/> as a prerequisite.</summary>
    public static IEnumerable<ItemDefinition> Dependants(ThemeDefinition theme, string itemCode) =>
        theme.Items.Where(i => i.Prerequisites.Contains(itemCode, StringComparer.Ordinal));

    /// <summary>Returns one cycle among the prerequisites, or null if there is none.</summary>
    public static IReadOnlyList<string>? FindCycle(ThemeDefinition theme)
    {
        var state = new Dictionary<string, int>(StringComparer.Ordinal); // 1 visiting, 2 done
        var path = new Stack<string>();

        IReadOnlyList<string>? Visit(ItemDefinition item)
        {
            state[item.Code] = 1;
            path.Push(item.Code);
            foreach (var p in item.Prerequisites)
            {
                if (theme.FindItem(p) is not { } prerequisite)
                {
                    continue;
                }

                var s = state.GetValueOrDefault(p);
                if (s == 1)
                {
                    var cycle = path.Reverse().SkipWhile(c => c != p).ToList();
                    cycle.Add(p);
                    return cycle;
                }

                if (s == 0 && Visit(prerequisite) is { } found)
                {
                    return found;
                }
            }

            path.Pop();
            state[item.Code] = 2;
            return null;
        }

        foreach (var item in theme.Items)
        {
            if (state.GetValueOrDefault(item.Code) == 0 && Visit(item) is { } cycle)
            {
                return cycle;
            }
        }

        return null;
    }
}
