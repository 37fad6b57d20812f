using OneThing.Hub.Domain.Applications;
using OneThing.Hub.Domain.Validation;

namespace OneThing.Hub.Domain.Catalog;

/// <summary>Whether an item applies, given the guided-question answers.</summary>
/// <param name="Item">The item.</param>
/// <param name="Available">True when it may be chosen.</param>
/// <param name="Reasons">Why it does not apply.</param>
/// <param name="PendingQuestions">Questions still to answer before it can be decided.</param>
public sealed record ItemAvailability(ItemDefinition Item, bool Available, IReadOnlyList<ItemReason> Reasons, IReadOnlyList<string> PendingQuestions);

/// <summary>A material needed, and by which chosen items.</summary>
public sealed record MaterialNeed(MaterialDefinition Material, IReadOnlyList<string> ForItems);

/// <summary>What the answers so far mean.</summary>
/// <param name="NextQuestions">Applicable questions not answered yet, in order.</param>
/// <param name="Items">Every item with whether it applies.</param>
/// <param name="Complete">Every applicable question is answered.</param>
/// <param name="Problems">Answers to unknown questions or with values that are not options.</param>
public sealed record GuideResult(
    IReadOnlyList<GuideQuestionDefinition> NextQuestions,
    IReadOnlyList<ItemAvailability> Items,
    bool Complete,
    IReadOnlyList<FieldViolation> Problems)
{
    /// <summary>The availability of one item.</summary>
    public ItemAvailability For(string itemCode) => Items.First(i => i.Item.Code == itemCode);
}

/// <summary>Evaluates a theme's guided questions (主题导办). Pure.</summary>
public static class GuideEvaluator
{
    /// <summary>Evaluates the answers given so far.</summary>
    public static GuideResult Evaluate(ThemeDefinition theme, IReadOnlyDictionary<string, string> answers)
    {
        var problems = new List<FieldViolation>();
        foreach (var (code, value) in answers.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            var question = theme.Questions.FirstOrDefault(q => q.Code == code);
            if (question is null)
            {
                problems.Add(new($"guide_answers[{code}]", "UNKNOWN_QUESTION", $"「{theme.Title}」没有导办问题“{code}”"));
            }
            else if (question.Options.All(o => o.Value != value))
            {
                problems.Add(new($"guide_answers[{code}]", "INVALID_ANSWER",
                    $"问题“{question.Text}”的回答应为以下之一：{string.Join("、", question.Options.Select(o => o.Label))}"));
            }
        }

        var valid = answers.Where(a => problems.All(p => p.Field != $"guide_answers[{a.Key}]"))
            .ToDictionary(a => a.Key, a => a.Value, StringComparer.Ordinal);
        var applicable = theme.Questions.Where(q => Applies(q, valid)).ToList();
        var next = applicable.Where(q => !valid.ContainsKey(q.Code)).ToList();

        var items = theme.Items.Select(item =>
        {
            var reasons = new List<ItemReason>();
            var pending = new List<string>();
            foreach (var rule in item.EligibilityRules)
            {
                var question = theme.Questions.First(q => q.Code == rule.Question);
                if (!Applies(question, valid))
                {
                    // The question is not asked for this applicant (an earlier answer made it moot):
                    // if an earlier answer already excluded the item, that rule reports it.
                    continue;
                }

                if (!valid.TryGetValue(rule.Question, out var answer))
                {
                    pending.Add(rule.Question);
                }
                else if (!rule.AllowedValues.Contains(answer, StringComparer.Ordinal))
                {
                    reasons.Add(new ItemReason(rule.ReasonCode, rule.ReasonMessage));
                }
            }

            return new ItemAvailability(item, reasons.Count == 0 && pending.Count == 0, reasons, pending);
        }).ToList();

        return new GuideResult(next, items, next.Count == 0, problems);
    }

    /// <summary>
    /// Every material the items need, each once, with the items that need it. A material required
    /// only for some values of a field is included when the field has one of them.
    /// </summary>
    public static IReadOnlyList<MaterialNeed> Materials(ThemeDefinition theme, IEnumerable<string> itemCodes, IReadOnlyDictionary<string, string> fields)
    {
        var needs = new List<MaterialNeed>();
        var items = itemCodes.Select(theme.FindItem).OfType<ItemDefinition>().ToList();
        foreach (var material in theme.Materials)
        {
            if (material.RequiredWhenField is { } field &&
                !(fields.TryGetValue(field, out var value) && (material.RequiredWhenValues ?? []).Contains(value, StringComparer.Ordinal)))
            {
                continue;
            }

            var forItems = items.Where(i => i.Materials.Contains(material.Code, StringComparer.Ordinal)).Select(i => i.Code).ToList();
            if (forItems.Count > 0)
            {
                needs.Add(new MaterialNeed(material, forItems));
            }
        }

        return needs;
    }

    private static bool Applies(GuideQuestionDefinition question, IReadOnlyDictionary<string, string> answers) =>
        question.AskWhen.All(c => answers.TryGetValue(c.Key, out var a) && c.Value.Contains(a, StringComparer.Ordinal));
}
