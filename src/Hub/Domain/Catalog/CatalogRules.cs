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

            CheckReminders(theme, item, $"items[{i}].reminders", problems);
            if (item.Certificate is { } certificate &&
                new[] { certificate.Title, certificate.NumberKey, certificate.VerificationCodeKey, certificate.IssuedOnKey }.Any(string.IsNullOrWhiteSpace))
            {
                problems.Add(($"items[{i}].certificate", "a certificate needs a title and the result keys of its number, verification code and issue date"));
            }

            CheckPaperResult(theme, item, $"items[{i}].paperResult", problems);
        }

        CheckSharedData(theme, problems);

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

    // A paper result reaches the applicant by unified delivery, so the form must ask how (mail or pick-up).
    private static void CheckPaperResult(ThemeDefinition theme, ItemDefinition item, string at, List<(string, string)> problems)
    {
        if (item.PaperResult is not { } paper)
        {
            return;
        }

        if (string.IsNullOrWhiteSpace(paper.Title))
        {
            problems.Add(($"{at}.title", "a paper result needs a title (what the applicant receives)"));
        }

        if (paper.NumberKey is { } key && string.IsNullOrWhiteSpace(key))
        {
            problems.Add(($"{at}.numberKey", "a paper result's numberKey, when given, names a result key"));
        }

        if (!theme.Requirements.DeliveryRequired)
        {
            problems.Add((at, "an item with a paper result needs requirements.deliveryRequired: the applicant must choose mail or pick-up"));
        }
    }

    private static void CheckSharedData(ThemeDefinition theme, List<(string, string)> problems)
    {
        for (var d = 0; d < theme.SharedData.Count; d++)
        {
            var lookup = theme.SharedData[d];
            var at = $"sharedData[{d}]";
            if (string.IsNullOrWhiteSpace(lookup.Code) || string.IsNullOrWhiteSpace(lookup.Department) || string.IsNullOrWhiteSpace(lookup.Kind))
            {
                problems.Add((at, "a look-up needs a code, a department and a kind"));
            }

            if (lookup.Material is { } code && theme.Materials.FirstOrDefault(m => m.Code == code) is not { SharedData: true })
            {
                problems.Add(($"{at}.material", $"'{code}' is not a material of the theme marked sharedData"));
            }

            foreach (var field in lookup.Fills.Keys.Where(k => theme.FindField(k) is null))
            {
                problems.Add(($"{at}.fills.{field}", $"'{field}' is not a field of the theme"));
            }

            if (string.IsNullOrWhiteSpace(lookup.NotFoundMessage))
            {
                problems.Add(($"{at}.notFoundMessage", "say what the applicant must do when nothing is on record"));
            }
        }
    }

    private static void CheckReminders(ThemeDefinition theme, ItemDefinition item, string place, List<(string, string)> problems)
    {
        var codes = new HashSet<string>(StringComparer.Ordinal);
        for (var r = 0; r < item.ReminderRules.Count; r++)
        {
            var reminder = item.ReminderRules[r];
            var at = $"{place}[{r}]";
            if (string.IsNullOrWhiteSpace(reminder.Code) || !codes.Add(reminder.Code))
            {
                problems.Add(($"{at}.code", $"a reminder needs a code unique within item '{item.Code}'"));
            }

            if (!Enum.IsDefined(reminder.When) || !Enum.IsDefined(reminder.Anchor))
            {
                problems.Add(($"{at}.when", "unknown state or anchor"));
            }

            if (reminder.Anchor == ReminderAnchor.EligibleDate && reminder.When != ItemStateName.Deferred)
            {
                problems.Add(($"{at}.anchor", "only a reminder on Deferred can count from the eligible date"));
            }

            if (reminder.Anchor is ReminderAnchor.Field && !theme.Fields.Any(f => f.Key == reminder.Key && f.Kind == FieldKind.Date))
            {
                problems.Add(($"{at}.key", $"'{reminder.Key}' is not a date field of the theme"));
            }

            if (reminder.Anchor is ReminderAnchor.Result && string.IsNullOrWhiteSpace(reminder.Key))
            {
                problems.Add(($"{at}.key", "a reminder counting from a result needs the result key"));
            }

            if (reminder.OffsetYears is < 0 or > 10 || reminder.OffsetWorkingDays is < 0 or > 250 || reminder.Repeat is < 1 or > 10)
            {
                problems.Add(($"{at}", "offsets must lie within 0..10 years and 0..250 working days, and repeat within 1..10"));
            }

            if (string.IsNullOrWhiteSpace(reminder.Text))
            {
                problems.Add(($"{at}.text", "a reminder needs the text the applicant reads"));
            }
        }
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
