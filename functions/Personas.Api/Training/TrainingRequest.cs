using System.Text.Json;
using System.Text.Json.Nodes;
using Personas.Domain.Training;
using Personas.Api.Problems;
using Personas.Providers.Training;

namespace Personas.Api.Training;

/// <summary>Reads and checks the body of <c>POST /api/personas/{id}/train</c>: every field optional, every one bounded.</summary>
public static class TrainingRequest
{
    public static (TrainingOptions? Options, FieldProblem? Problem) Parse(JsonObject? body, TrainingProviders providers)
    {
        body ??= [];
        foreach (var key in body.Select(p => p.Key))
            if (key is not ("provider" or "steps" or "learningRate" or "rank" or "resolution" or "checkpointEvery" or "budgetUsd"))
                return (null, new FieldProblem(key, "is not a training setting; use provider, steps, learningRate, rank, resolution, checkpointEvery or budgetUsd."));
        string? provider = null;
        if (body["provider"] is { } p)
        {
            if (p.GetValueKind() != JsonValueKind.String) return (null, new FieldProblem("provider", "must be a string."));
            provider = p.GetValue<string>();
            if (!providers.Names.Contains(provider, StringComparer.OrdinalIgnoreCase))
                return (null, new FieldProblem("provider", $"'{Clip(provider)}' is not configured; configured: {string.Join(", ", providers.Names)}."));
            provider = providers.Names.First(n => n.Equals(provider, StringComparison.OrdinalIgnoreCase));
        }
        foreach (var (field, min, max, integer) in Bounds)
            if (FieldProblem.OfNumber(body, field, min, max, integer) is { } problem) return (null, problem);
        var options = new TrainingOptions(provider, (int?)Value(body, "steps"), Value(body, "learningRate"), (int?)Value(body, "rank"),
            (int?)Value(body, "resolution"), (int?)Value(body, "checkpointEvery"), (decimal?)Value(body, "budgetUsd"));
        return (options, null);
    }

    private static readonly (string Field, double Min, double Max, bool Integer)[] Bounds =
    [
        ("steps", 100, 10_000, true), ("learningRate", 1e-6, 1e-2, false), ("rank", 1, 128, true),
        ("resolution", 512, 2048, true), ("checkpointEvery", 50, 10_000, true), ("budgetUsd", 0, 10_000, false),
    ];

    private static double? Value(JsonObject body, string field) => body[field]?.GetValue<double>();

    private static string Clip(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
