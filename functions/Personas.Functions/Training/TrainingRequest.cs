using System.Text.Json;
using System.Text.Json.Nodes;
using Personas.Domain.Training;
using Personas.Providers.Training;

namespace Personas.Functions.Training;

/// <summary>Reads and checks the body of <c>POST /api/personas/{id}/train</c>: every field optional, every one bounded.</summary>
public static class TrainingRequest
{
    public sealed record Problem(string Field, string Reason);

    public static (TrainingOptions? Options, Problem? Problem) Parse(JsonObject? body, TrainingProviders providers)
    {
        body ??= [];
        foreach (var key in body.Select(p => p.Key))
            if (key is not ("provider" or "steps" or "learningRate" or "rank" or "resolution" or "checkpointEvery" or "budgetUsd"))
                return (null, new Problem(key, "is not a training setting; use provider, steps, learningRate, rank, resolution, checkpointEvery or budgetUsd."));
        string? provider = null;
        if (body["provider"] is { } p)
        {
            if (p.GetValueKind() != JsonValueKind.String) return (null, new Problem("provider", "must be a string."));
            provider = p.GetValue<string>();
            if (!providers.Names.Contains(provider, StringComparer.OrdinalIgnoreCase))
                return (null, new Problem("provider", $"'{Clip(provider)}' is not configured; configured: {string.Join(", ", providers.Names)}."));
            provider = providers.Names.First(n => n.Equals(provider, StringComparison.OrdinalIgnoreCase));
        }
        foreach (var (field, min, max, integer) in Bounds)
            if (Check(body, field, min, max, integer) is { } problem) return (null, problem);
        var options = new TrainingOptions(provider, (int?)Value(body, "steps"), Value(body, "learningRate"), (int?)Value(body, "rank"),
            (int?)Value(body, "resolution"), (int?)Value(body, "checkpointEvery"), (decimal?)Value(body, "budgetUsd"));
        return (options, null);
    }

    private static readonly (string Field, double Min, double Max, bool Integer)[] Bounds =
    [
        ("steps", 100, 10_000, true), ("learningRate", 1e-6, 1e-2, false), ("rank", 1, 128, true),
        ("resolution", 512, 2048, true), ("checkpointEvery", 50, 10_000, true), ("budgetUsd", 0, 10_000, false),
    ];

    /// <summary>An optional number field within [min, max] (and whole, when asked); null when absent or fine.</summary>
    internal static Problem? Check(JsonObject body, string field, double min, double max, bool integer)
    {
        if (body[field] is not { } node) return null;
        if (node.GetValueKind() != JsonValueKind.Number) return new Problem(field, "must be a number.");
        var value = node.GetValue<double>();
        if (integer && value != Math.Floor(value)) return new Problem(field, "must be a whole number.");
        return value < min || value > max ? new Problem(field, $"must be between {min} and {max}.") : null;
    }

    private static double? Value(JsonObject body, string field) => body[field]?.GetValue<double>();

    private static string Clip(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
