using System.Globalization;
using System.Text.RegularExpressions;
using OneThing.Hub.Domain.Applications;
using OneThing.Hub.Domain.Catalog;
using OneThing.Hub.Domain.Divisions;

namespace OneThing.Hub.Domain.Validation;

/// <summary>
/// The theme-specific rules the catalog states as data: guided-question eligibility, pledges,
/// field kinds beyond the basic ones, rules between fields, fields locked once saved, and
/// application windows. Pure; complements <see cref="ApplicationValidator"/>.
/// </summary>
public static partial class ThemeRules
{
    /// <summary>Returns every violation of the theme's own rules.</summary>
    /// <param name="theme">The theme.</param>
    /// <param name="content">The application.</param>
    /// <param name="divisions">The division data; null checks division fields by format only.</param>
    public static IReadOnlyList<FieldViolation> Check(ThemeDefinition theme, ApplicationContent content, AdministrativeDivisions? divisions = null)
    {
        var v = new List<FieldViolation>();
        CheckGuide(theme, content, v);
        CheckPledges(theme, content.Pledge, v);
        CheckExtraKinds(theme, content.Fields, divisions, v);
        CheckRules(theme, content, v);
        return v;
    }

    /// <summary>Violations for values of fields locked once saved that a draft update changes.</summary>
    public static IReadOnlyList<FieldViolation> CheckImmutable(ThemeDefinition theme, ApplicationContent saved, ApplicationContent updated)
    {
        var v = new List<FieldViolation>();
        foreach (var field in theme.Fields.Where(f => f.ImmutableOnceSaved))
        {
            if (saved.Fields.TryGetValue(field.Key, out var before) && before.Length > 0 &&
                (!updated.Fields.TryGetValue(field.Key, out var after) || after != before))
            {
                v.Add(new($"fields[{field.Key}]", "FIELD_LOCKED", $"{field.Label}填写并保存后不支持修改（已保存为“{before}”）"));
            }
        }

        return v;
    }

    /// <summary>
    /// Checks the theme's application windows (申报期) against <paramref name="today"/>. Returns null when
    /// the theme has none, when one is open, or when the base year is missing or malformed (validation
    /// reports that); otherwise the next window that opens, or a closed result when none will.
    /// </summary>
    public static WindowCheck? CheckWindows(ThemeDefinition theme, ApplicationContent content, DateOnly today)
    {
        if (theme.Windows.Count == 0)
        {
            return null;
        }

        var windows = new List<(ApplicationWindowDefinition Window, DateOnly Start, DateOnly End)>();
        foreach (var window in theme.Windows)
        {
            if (!content.Fields.TryGetValue(window.YearField, out var text) ||
                !int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var year) || year is < 1900 or > 9000)
            {
                return null;
            }

            var (start, end) = window.For(year);
            windows.Add((window, start, end));
        }

        if (windows.Any(w => w.Start <= today && today <= w.End))
        {
            return null;
        }

        var next = windows.Where(w => w.Start > today).OrderBy(w => w.Start).FirstOrDefault();
        return next.Window is null
            ? new WindowCheck(null, null, null, windows.Select(w => (w.Window.Label, w.Start, w.End)).ToList())
            : new WindowCheck(next.Window.Label, next.Start, next.End, windows.Select(w => (w.Window.Label, w.Start, w.End)).ToList());
    }

    private static void CheckGuide(ThemeDefinition theme, ApplicationContent content, List<FieldViolation> v)
    {
        if (theme.Questions.Count == 0)
        {
            return;
        }

        var guide = GuideEvaluator.Evaluate(theme, content.Answers);
        v.AddRange(guide.Problems);
        for (var i = 0; i < content.SelectedItems.Count; i++)
        {
            if (theme.FindItem(content.SelectedItems[i]) is null)
            {
                continue; // reported as UNKNOWN_ITEM
            }

            var availability = guide.For(content.SelectedItems[i]);
            if (availability.Reasons.Count > 0)
            {
                v.Add(new($"selected_items[{i}]", "ITEM_NOT_APPLICABLE",
                    $"「{availability.Item.Title}」不可办理：{string.Join("；", availability.Reasons.Select(r => r.Message))}"));
            }
            else if (availability.PendingQuestions.Count > 0)
            {
                foreach (var code in availability.PendingQuestions)
                {
                    var question = theme.Questions.First(q => q.Code == code);
                    v.Add(new($"guide_answers[{code}]", "GUIDE_QUESTION_UNANSWERED", $"请先回答导办问题：{question.Text}"));
                }
            }
        }
    }

    private static void CheckPledges(ThemeDefinition theme, PledgeInfo? pledge, List<FieldViolation> v)
    {
        if (theme.Pledges.Count == 0)
        {
            return;
        }

        var accepted = new HashSet<string>(pledge?.AcceptedPledges ?? [], StringComparer.Ordinal);
        if (pledge is { Accepted: true } && theme.Pledges.Count == 1)
        {
            accepted.Add(theme.Pledges[0].Code);
        }

        foreach (var required in theme.Pledges.Where(p => !accepted.Contains(p.Code)))
        {
            v.Add(new("pledge.accepted_pledges", "PLEDGE_NOT_ACCEPTED", $"请阅读并勾选承诺：{required.Text}"));
        }

        if (pledge is null || !DateOnly.TryParseExact(pledge.SignedDate, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            v.Add(new("pledge.signed_date", ViolationReasons.InvalidDate, "请填写承诺日期（yyyy-MM-dd）"));
        }
    }

    private static void CheckExtraKinds(ThemeDefinition theme, IReadOnlyDictionary<string, string> values, AdministrativeDivisions? divisions, List<FieldViolation> v)
    {
        foreach (var field in theme.Fields)
        {
            if (!values.TryGetValue(field.Key, out var value) || string.IsNullOrWhiteSpace(value) || value.Length > field.MaxLength)
            {
                continue;
            }

            var path = $"fields[{field.Key}]";
            switch (field.Kind)
            {
                case FieldKind.Integer:
                    if (!long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
                    {
                        v.Add(new(path, "INVALID_INTEGER", $"{field.Label}应为整数"));
                    }
                    else if ((field.MinAmount is { } min && number < min) || (field.MaxAmount is { } max && number > max))
                    {
                        v.Add(new(path, ViolationReasons.AmountOutOfRange,
                            $"{field.Label}应在{field.MinAmount?.ToString("0", CultureInfo.InvariantCulture) ?? "不限"}至{field.MaxAmount?.ToString("0", CultureInfo.InvariantCulture) ?? "不限"}之间"));
                    }

                    break;
                case FieldKind.Division:
                    if (!DivisionCode().IsMatch(value))
                    {
                        v.Add(new(path, ViolationReasons.InvalidDivisionCode, $"{field.Label}的行政区划代码格式不正确"));
                    }
                    else if (divisions is not null)
                    {
                        if (ApplicationValidator.CheckDivision(path, field.Label, value, divisions, field.StreetLevel ? DivisionLevel.Street : DivisionLevel.County) is { } problem)
                        {
                            v.Add(problem);
                        }
                    }
                    else if (field.StreetLevel && value.Length < 9)
                    {
                        v.Add(new(path, "DIVISION_NOT_STREET_LEVEL", $"{field.Label}须填写至街道（乡镇）一级"));
                    }

                    break;
            }
        }
    }

    private static void CheckRules(ThemeDefinition theme, ApplicationContent content, List<FieldViolation> v)
    {
        var selected = content.SelectedItems.ToHashSet(StringComparer.Ordinal);
        foreach (var rule in theme.Rules.Where(r => r.ForItems.Count == 0 || r.ForItems.Any(selected.Contains)))
        {
            var path = $"fields[{rule.Field}]";
            var broken = rule.Kind switch
            {
                FieldRuleKind.DateEquals => Dates(content, rule.Field, rule.Other) is (var a, var b) && a != b,
                FieldRuleKind.DateNotBefore => Dates(content, rule.Field, rule.Other) is (var a, var b) && a < b,
                FieldRuleKind.DateWithinYearsOf => Dates(content, rule.Field, rule.Other) is (var a, var b) && a > b.AddYears(rule.Years),
                FieldRuleKind.AmountPerYearCap => AmountOverCap(content, rule),
                _ => false,
            };
            if (broken)
            {
                v.Add(new(path, rule.ReasonCode, rule.Message));
            }
        }
    }

    private static bool AmountOverCap(ApplicationContent content, FieldRuleDefinition rule)
    {
        if (rule.End is null || Dates(content, rule.Other, rule.End) is not (var start, var end) ||
            !content.Fields.TryGetValue(rule.Field, out var text) ||
            !decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount) || end < start)
        {
            return false;
        }

        return amount > rule.Amount * StartedYears(start, end);
    }

    /// <summary>How many years of a period have started (a period of 1 day to 1 year is 1).</summary>
    public static int StartedYears(DateOnly start, DateOnly end)
    {
        var years = 1;
        while (start.AddYears(years) <= end)
        {
            years++;
        }

        return years;
    }

    private static (DateOnly, DateOnly)? Dates(ApplicationContent content, string first, string second) =>
        Date(content, first) is { } a && Date(content, second) is { } b ? (a, b) : null;

    private static DateOnly? Date(ApplicationContent content, string key) =>
        content.Fields.TryGetValue(key, out var text) &&
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;

    [GeneratedRegex(@"^[1-9]\d{5}(\d{3}(\d{3})?)?$")]
    private static partial Regex DivisionCode();
}

/// <summary>The theme takes no applications today.</summary>
/// <param name="NextLabel">The next window's label, or null when none will open.</param>
/// <param name="NextStart">The next window's first day.</param>
/// <param name="NextEnd">The next window's last day.</param>
/// <param name="Windows">Every window for the applicant's base year.</param>
public sealed record WindowCheck(string? NextLabel, DateOnly? NextStart, DateOnly? NextEnd, IReadOnlyList<(string Label, DateOnly Start, DateOnly End)> Windows);
