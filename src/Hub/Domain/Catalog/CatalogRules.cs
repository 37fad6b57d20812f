namespace OneThing.Hub.Domain.Catalog;

/// <summary>Checks that a theme is internally consistent before the hub serves it.</summary>
public static class CatalogRules
{
    /// <summary>
    /// Returns every problem with the theme, each as (place, message), e.g.
    /// (<c>items[2].prerequisites[0]</c>, <c>unknown item 'x'</c>). Empty when the theme is sound.
    /// </summary>
    public static IReadOnlyList<(string Place, string Problem)> Check(ThemeDefinition theme)
    {
        var problems = new List<(string, string)>();
        if (string.IsNullOrWhiteSpace(theme.Code))
        {
            problems.Add(("code", "a theme needs a code"));
        }

        if (theme.Version < 1)
        {
            problems.Add(("version", "the version must be 1 or more"));
        }

        if (theme.Items.Count == 0)
        {
            problems.Add(("items", "a theme needs at least one item"));
        }

        var itemCodes = new HashSet<string>(StringComparer.Ordinal);
        var materialCodes = theme.Materials.Select(m => m.Code).ToHashSet(StringComparer.Ordinal);
        for (var i = 0; i < theme.Items.Count; i++)
        {
            var item = theme.Items[i];
            if (!itemCodes.Add(item.Code))
            {
                problems.Add(($"items[{i}].code", $"item '{item.Code}' is defined twice"));
            }

            if (string.IsNullOrWhiteSpace(item.Department))
            {
                problems.Add(($"items[{i}].department", "an item needs a department"));
            }

            if (item.TimeLimitWorkingDays < 0)
            {
                problems.Add(($"items[{i}].timeLimitWorkingDays", "a time limit cannot be negative"));
            }

            for (var m = 0; m < item.Materials.Count; m++)
            {
                if (!materialCodes.Contains(item.Materials[m]))
                {
                    problems.Add(($"items[{i}].materials[{m}]", $"unknown material '{item.Materials[m]}'"));
                }
            }
        }

        for (var i = 0; i < theme.Items.Count; i++)
        {
            var item = theme.Items[i];
            for (var p = 0; p < item.Prerequisites.Count; p++)
            {
                var prerequisite = item.Prerequisites[p];
                if (!itemCodes.Contains(prerequisite))
                {
                    problems.Add(($"items[{i}].prerequisites[{p}]", $"unknown item '{prerequisite}'"));
                }
                else if (prerequisite == item.Code)
                {
                    problems.Add(($"items[{i}].prerequisites[{p}]", "an item cannot be its own prerequisite"));
                }
            }
        }

        if (problems.Count == 0 && ItemGraph.FindCycle(theme) is { } cycle)
        {
            problems.Add(("items", $"the prerequisites form a cycle: {string.Join(" → ", cycle)}"));
        }

        var fieldKeys = new HashSet<string>(StringComparer.Ordinal);
        for (var f = 0; f < theme.Fields.Count; f++)
        {
            var field = theme.Fields[f];
            if (string.IsNullOrWhiteSpace(field.Key) || !fieldKeys.Add(field.Key))
            {
                problems.Add(($"fields[{f}].key", $"field key '{field.Key}' is empty or defined twice"));
            }

            for (var r = 0; r < field.RequiredForItems.Count; r++)
            {
                if (!itemCodes.Contains(field.RequiredForItems[r]))
                {
                    problems.Add(($"fields[{f}].requiredForItems[{r}]", $"unknown item '{field.RequiredForItems[r]}'"));
                }
            }

            if (field.Kind == FieldKind.Choice && field.Options.Count == 0)
            {
                problems.Add(($"fields[{f}].options", "a choice field needs options"));
            }

            if (field.MinAmount is { } min && field.MaxAmount is { } max && min > max)
            {
                problems.Add(($"fields[{f}]", "minAmount is larger than maxAmount"));
            }

            if (field.MaxLength <= 0)
            {
                problems.Add(($"fields[{f}].maxLength", "maxLength must be positive"));
            }
        }

        return problems;
    }
}
