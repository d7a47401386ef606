using System.Text.Json;
using System.Text.Json.Nodes;
using Personas.Domain.Training;
using Personas.Api.Problems;
using Personas.Providers.Training;

namespace Personas.Api.Training;

/// <summary>Reads and checks the body of <c>POST /api/personas/{id}/train</c>: every field optional, every one bounded.</summary>
public static class TrainingRequest
{
    private static readonly string[] Fields =
        ["provider", "steps", "learningRate", "rank", "resolution", "checkpointEvery", "budgetUsd"];

    private static readonly (string Field, double Min, double Max, bool Integer)[] Bounds =
    [
        ("steps", 100, 10_000, true), ("learningRate", 1e-6, 1e-2, false), ("rank", 1, 128, true),
        ("resolution", 512, 2048, true), ("checkpointEvery", 50, 10_000, true), ("budgetUsd", 0, 10_000, false),
    ];

    /// <summary>The options, or every problem with the body at once (null when there is none).</summary>
    public static (TrainingOptions? Options, IReadOnlyList<FieldProblem>? Problems) Parse(JsonObject? body,
        TrainingProviders providers)
    {
        body ??= [];
        var problems = new List<FieldProblem>();
        foreach (var key in body.Select(p => p.Key).Where(k => !Fields.Contains(k)))
            problems.Add(new(key, "is not a training setting; use provider, steps, learningRate, rank, resolution, "
                + "checkpointEvery or budgetUsd."));
        var (provider, providerProblem) = Provider(body, providers);
        problems.AddIfAny(providerProblem);
        foreach (var (field, min, max, integer) in Bounds)
            problems.AddIfAny(FieldProblem.OfNumber(body, field, min, max, integer));
        if (problems.Count > 0) return (null, problems);

        var options = new TrainingOptions(provider, (int?)Value(body, "steps"), Value(body, "learningRate"),
            (int?)Value(body, "rank"), (int?)Value(body, "resolution"), (int?)Value(body, "checkpointEvery"),
            (decimal?)Value(body, "budgetUsd"));
        return (options, null);
    }

    /// <summary>The configured provider's own spelling of the name asked for; null when none was asked for.</summary>
    private static (string? Name, FieldProblem? Problem) Provider(JsonObject body, TrainingProviders providers)
    {
        if (body["provider"] is not { } node) return (null, null);
        if (node.GetValueKind() != JsonValueKind.String) return (null, new("provider", "must be a string."));
        var asked = node.GetValue<string>();
        var name = providers.Names.FirstOrDefault(n => n.Equals(asked, StringComparison.OrdinalIgnoreCase));
        return name is not null ? (name, null)
            : (null, new("provider",
                $"'{Clip(asked)}' is not configured; configured: {string.Join(", ", providers.Names)}."));
    }

    private static double? Value(JsonObject body, string field) => body[field]?.GetValue<double>();

    private static string Clip(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
