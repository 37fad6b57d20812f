namespace OneThing.Hub.Domain.Catalog;

/// <summary>A guided question (主题导办提问); the answers decide which items apply.</summary>
/// <param name="Code">Stable code, e.g. <c>has_business</c>.</param>
/// <param name="Text">The question a citizen reads.</param>
/// <param name="Options">The allowed answers.</param>
/// <param name="AskWhen">Asked only when these earlier answers hold (question → accepted values).</param>
public sealed record GuideQuestionDefinition(
    string Code,
    string Text,
    IReadOnlyList<FieldOptionDefinition> Options,
    IReadOnlyDictionary<string, IReadOnlyList<string>> AskWhen);

/// <summary>An item applies only when a question's answer is one of <paramref name="AllowedValues"/>.</summary>
/// <param name="Question">The question code.</param>
/// <param name="AllowedValues">Answers for which the item applies.</param>
/// <param name="ReasonCode">Stable code of the refusal when it does not.</param>
/// <param name="ReasonMessage">The refusal in Chinese, as the seed words it.</param>
public sealed record EligibilityRule(string Question, IReadOnlyList<string> AllowedValues, string ReasonCode, string ReasonMessage);

/// <summary>A pledge the applicant must accept.</summary>
public sealed record PledgeDefinition(string Code, string Text);

/// <summary>When applications are taken, relative to a year in the form.</summary>
/// <param name="Label">E.g. 申报期.</param>
/// <param name="YearField">The form field holding the base year.</param>
/// <param name="YearOffset">Years added to the base year.</param>
/// <param name="StartMonth">First month.</param>
/// <param name="StartDay">First day.</param>
/// <param name="EndMonth">Last month.</param>
/// <param name="EndDay">Last day.</param>
public sealed record ApplicationWindowDefinition(string Label, string YearField, int YearOffset, int StartMonth, int StartDay, int EndMonth, int EndDay)
{
    /// <summary>The window's dates for a base year.</summary>
    public (DateOnly Start, DateOnly End) For(int baseYear) =>
        (new DateOnly(baseYear + YearOffset, StartMonth, StartDay), new DateOnly(baseYear + YearOffset, EndMonth, EndDay));
}

/// <summary>The kinds of cross-field rule the catalog can state.</summary>
public enum FieldRuleKind
{
    /// <summary>Two date fields must be equal.</summary>
    DateEquals = 1,

    /// <summary>The field's date must not be after the other date plus <see cref="FieldRuleDefinition.Years"/> years.</summary>
    DateWithinYearsOf = 2,

    /// <summary>The field's date must not be before the other date.</summary>
    DateNotBefore = 3,

    /// <summary>The amount must not exceed <see cref="FieldRuleDefinition.Amount"/> per started year of the period from <see cref="FieldRuleDefinition.Other"/> to <see cref="FieldRuleDefinition.End"/>.</summary>
    AmountPerYearCap = 4,
}

/// <summary>A rule between fields, checked when every field it names is present and well-formed.</summary>
/// <param name="Kind">The kind of rule.</param>
/// <param name="Field">The field the violation is reported on.</param>
/// <param name="Other">The other field (the base date, or the period start).</param>
/// <param name="End">For <see cref="FieldRuleKind.AmountPerYearCap"/>: the period end field.</param>
/// <param name="Years">For <see cref="FieldRuleKind.DateWithinYearsOf"/>: how many years.</param>
/// <param name="Amount">For <see cref="FieldRuleKind.AmountPerYearCap"/>: the yearly cap in yuan.</param>
/// <param name="ForItems">The rule applies when any of these items is selected (empty: always).</param>
/// <param name="ReasonCode">Stable reason code.</param>
/// <param name="Message">What a citizen reads, in Chinese.</param>
public sealed record FieldRuleDefinition(
    FieldRuleKind Kind,
    string Field,
    string Other,
    string? End,
    int Years,
    decimal Amount,
    IReadOnlyList<string> ForItems,
    string ReasonCode,
    string Message);

/// <summary>The rule a photo must meet.</summary>
public sealed record PhotoRuleDefinition(int WidthPx, int HeightPx, int TolerancePx, int MinKb, int MaxKb)
{
    /// <summary>Checks a photo's dimensions and size; returns the broken rule in Chinese, or null.</summary>
    public string? Check(int widthPx, int heightPx, long bytes)
    {
        if (Math.Abs(widthPx - WidthPx) > TolerancePx || Math.Abs(heightPx - HeightPx) > TolerancePx)
        {
            return $"相片像素应约为{WidthPx}×{HeightPx}（允许相差{TolerancePx}像素），实际为{widthPx}×{heightPx}";
        }

        if (bytes < MinKb * 1024L || bytes > MaxKb * 1024L)
        {
            return $"相片大小应在{MinKb}KB至{MaxKb}KB之间，实际为{bytes / 1024.0:0.#}KB";
        }

        return null;
    }
}
