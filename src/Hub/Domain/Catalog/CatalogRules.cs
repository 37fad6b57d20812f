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

        CheckGuideAndRules(theme, itemCodes, fieldKeys, problems);
        return problems;
    }

    private static void CheckGuideAndRules(ThemeDefinition theme, HashSet<string> itemCodes, HashSet<string> fieldKeys, List<(string, string)> problems)
    {
        var earlier = new Dictionary<string, GuideQuestionDefinition>(StringComparer.Ordinal);
        for (var q = 0; q < theme.Questions.Count; q++)
        {
            var question = theme.Questions[q];
            if (question.Options.Count == 0)
            {
                problems.Add(($"questions[{q}].options", "a question needs options"));
            }

            foreach (var (code, values) in question.AskWhen)
            {
                if (!earlier.TryGetValue(code, out var before))
                {
                    problems.Add(($"questions[{q}].askWhen.{code}", $"'{code}' is not an earlier question"));
                }
                else if (values.Any(value => before.Options.All(o => o.Value != value)))
                {
                    problems.Add(($"questions[{q}].askWhen.{code}", $"a value is not an option of '{code}'"));
                }
            }

            if (!earlier.TryAdd(question.Code, question))
            {
                problems.Add(($"questions[{q}].code", $"question '{question.Code}' is defined twice"));
            }
        }

        for (var i = 0; i < theme.Items.Count; i++)
        {
            for (var r = 0; r < theme.Items[i].EligibilityRules.Count; r++)
            {
                var rule = theme.Items[i].EligibilityRules[r];
                if (!earlier.TryGetValue(rule.Question, out var question))
                {
                    problems.Add(($"items[{i}].eligibility[{r}].question", $"unknown question '{rule.Question}'"));
                }
                else if (rule.AllowedValues.Any(value => question.Options.All(o => o.Value != value)))
                {
                    problems.Add(($"items[{i}].eligibility[{r}].allowedValues", $"a value is not an option of '{rule.Question}'"));
                }
            }
        }

        for (var r = 0; r < theme.Rules.Count; r++)
        {
            var rule = theme.Rules[r];
            foreach (var key in new[] { rule.Field, rule.Other, rule.End }.OfType<string>().Where(k => !fieldKeys.Contains(k)))
            {
                problems.Add(($"rules[{r}]", $"unknown field '{key}'"));
            }

            foreach (var item in rule.ForItems.Where(i => !itemCodes.Contains(i)))
            {
                problems.Add(($"rules[{r}].forItems", $"unknown item '{item}'"));
            }
        }

        for (var w = 0; w < theme.Windows.Count; w++)
        {
            var window = theme.Windows[w];
            if (!fieldKeys.Contains(window.YearField))
            {
                problems.Add(($"windows[{w}].yearField", $"unknown field '{window.YearField}'"));
            }

            if (!IsDate(window.StartMonth, window.StartDay) || !IsDate(window.EndMonth, window.EndDay))
            {
                problems.Add(($"windows[{w}]", "start and end must be real dates (MM-dd)"));
            }
        }

        for (var m = 0; m < theme.Materials.Count; m++)
        {
            if (theme.Materials[m].RequiredWhenField is { } field && !fieldKeys.Contains(field))
            {
                problems.Add(($"materials[{m}].requiredWhenField", $"unknown field '{field}'"));
            }
        }
    }

    private static bool IsDate(int month, int day) => month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(2024, month);
}
