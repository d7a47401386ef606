using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Personas.Api.Generations;
using Personas.Api.Problems;

namespace Personas.Api.Batches;

/// <summary>
/// The checked body of <c>POST /api/personas/{id}/batches</c>: a list of prompts, or a template whose
/// <c>{placeholders}</c> are filled with every combination of the variations. <c>{trigger}</c>, in prompts and
/// templates alike, is the persona's trigger word, filled in when the batch is stored. A missing seed is drawn;
/// item i gets seed + i.
/// </summary>
public sealed partial record BatchRequest(IReadOnlyList<string> Prompts, string? Template, double BlendStrength,
    string Platform, long Seed, string Usage, int? ModelVersion, decimal? BudgetUsd)
{
    public const int MaxItems = 500, MaxVariationLength = 200;

    /// <summary>
    /// All prompts of a batch together: a batch is one catalog record, and on Cosmos one item (2 MB at most, with
    /// non-ASCII text escaped to six bytes a character).
    /// </summary>
    public const int MaxTotalPromptLength = 200_000;
    public const string TriggerPlaceholder = "{trigger}";
    private static readonly string[] Fields =
    [
        "prompts", "template", "variations", "platform", "blendStrength", "seed", "usage", "modelVersion",
        "budgetUsd",
    ];
    private static readonly (string Field, double Min, double Max, bool Integer)[] Numbers =
    [
        ("blendStrength", 0.0, 2.0, false), ("seed", 0.0, 9_007_199_254_740_991.0, true),
        ("modelVersion", 1.0, 10_000.0, true), ("budgetUsd", 0.0, 1_000_000.0, false),
    ];

    [GeneratedRegex(@"\{([A-Za-z][A-Za-z0-9_]{0,39})\}")]
    private static partial Regex Placeholder();

    /// <summary>The request, or every problem with the body at once (null when there is none).</summary>
    public static (BatchRequest? Request, IReadOnlyList<FieldProblem>? Problems) Parse(JsonObject? body)
    {
        if (body is null) return (null, [new("body", "Send a JSON object with prompts or template, and platform.")]);
        var problems = new List<FieldProblem>();
        var (platform, usage) = PictureFields.Read(body, Fields, "batch", problems);
        foreach (var (field, min, max, integer) in Numbers)
            problems.AddIfAny(FieldProblem.OfNumber(body, field, min, max, integer));
        var (prompts, template) = (body.ContainsKey("prompts"), body.ContainsKey("template")) switch
        {
            (true, true) => Problem(problems, "template", "send prompts or template with variations, not both."),
            (false, false) => Problem(problems, "prompts", "is required (or template with variations)."),
            (true, false) => (ReadPrompts(body, problems), null),
            _ => Expand(body, problems),
        };
        if (!body.ContainsKey("template") && body.ContainsKey("variations"))
            problems.Add(new("variations", "go with a template."));
        if (prompts?.Sum(p => p.Length) > MaxTotalPromptLength)
            problems.Add(new(template is null ? "prompts" : "template",
                $"make more than {MaxTotalPromptLength:N0} characters of prompts together; split the batch."));
        if (problems.Count > 0) return (null, problems);

        var seed = body["seed"] is { } s ? (long)s.GetValue<double>() : Random.Shared.NextInt64(0, int.MaxValue);
        return (new BatchRequest(prompts!, template, body["blendStrength"]?.GetValue<double>()
                ?? GenerationRequest.DefaultBlendStrength, platform!.ToLowerInvariant(), seed, usage!,
            (int?)body["modelVersion"]?.GetValue<double>(), (decimal?)body["budgetUsd"]?.GetValue<double>()), null);
    }

    private static (List<string>?, string?) Problem(List<FieldProblem> problems, string field, string reason)
    {
        problems.Add(new(field, reason));
        return (null, null);
    }

    private static List<string>? ReadPrompts(JsonObject body, List<FieldProblem> problems)
    {
        var (prompts, problem) = FieldProblem.OfStrings(body, "prompts", MaxItems,
            GenerationRequest.MaxPromptLength);
        problems.AddIfAny(problem);
        if (prompts is { Count: 0 }) problems.Add(new("prompts", "must have at least one entry."));
        return problem is null && prompts is { Count: > 0 } ? prompts : null;
    }

    /// <summary>Every combination of the variations, in the template's placeholder order; all checked first.</summary>
    private static (List<string>?, string?) Expand(JsonObject body, List<FieldProblem> problems)
    {
        var (template, problem) = FieldProblem.OfText(body, "template", GenerationRequest.MaxPromptLength);
        if (problem is not null) return Problem(problems, problem.Field, problem.Reason);
        var names = Placeholder().Matches(template!).Select(m => m.Groups[1].Value)
            .Where(n => n != "trigger").Distinct().ToList();
        if (body["variations"] is not JsonObject variations)
            return body.ContainsKey("variations") || names.Count > 0
                ? Problem(problems, "variations", "must be an object of placeholder → list of values.")
                : ([template!], template);
        var values = new List<List<string>>();
        foreach (var name in names)
        {
            if (variations[name] is not JsonArray list || list.Count == 0
                || list.Any(v => v?.GetValueKind() != JsonValueKind.String))
            {
                problems.Add(new($"variations.{name}", "is required by the template, as a non-empty list of strings."));
                continue;
            }
            var texts = list.Select(v => v!.GetValue<string>().Trim()).ToList();
            if (texts.Any(t => t.Length == 0 || t.Length > MaxVariationLength))
                problems.Add(new($"variations.{name}", $"entries must be 1–{MaxVariationLength} characters."));
            values.Add(texts);
        }
        foreach (var unused in variations.Select(p => p.Key).Where(k => !names.Contains(k)))
            problems.Add(new($"variations.{unused}", "is not a placeholder of the template."));
        if (problems.Count > 0) return (null, null);
        var total = values.Aggregate(1L, (n, v) => n * v.Count);
        if (total > MaxItems)
            return Problem(problems, "variations", $"make {total} prompts; a batch has at most {MaxItems}.");
        var prompts = new List<string> { template! };
        foreach (var (name, options) in names.Zip(values))
            prompts = prompts.SelectMany(p => options.Select(o => p.Replace($"{{{name}}}", o))).ToList();
        if (prompts.Any(p => p.Length > GenerationRequest.MaxPromptLength))
            return Problem(problems, "template",
                $"makes prompts longer than {GenerationRequest.MaxPromptLength} characters with these variations.");
        return (prompts, template);
    }
}
