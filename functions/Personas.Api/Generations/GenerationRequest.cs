using System.Text.Json;
using System.Text.Json.Nodes;
using Personas.Domain.Generations;
using Personas.Domain.Personas;
using Personas.Api.Problems;

namespace Personas.Api.Generations;

/// <summary>The checked body of <c>POST /api/generate-with-persona</c>. A missing seed is drawn here, so it is stored with the result.</summary>
public sealed record GenerationRequest(string PersonaId, string Prompt, double BlendStrength, string Platform, long Seed, int Count, string Usage, int? ModelVersion)
{
    public const int MaxPromptLength = 2000, MaxCount = 4;
    public const double DefaultBlendStrength = 0.5;
    private static readonly string[] Fields = ["personaId", "prompt", "blendStrength", "platform", "seed", "count", "usage", "modelVersion"];

    public static (GenerationRequest? Request, FieldProblem? Problem) Parse(JsonObject? body)
    {
        if (body is null) return (null, new("body", "Send a JSON object with personaId, prompt and platform."));
        foreach (var key in body.Select(p => p.Key))
            if (!Fields.Contains(key)) return (null, new(key, $"is not a generation setting; use {string.Join(", ", Fields)}."));
        if (FieldProblem.OfText(body, "personaId", 100) is var (personaId, idProblem) && idProblem is not null) return (null, idProblem);
        if (FieldProblem.OfText(body, "prompt", MaxPromptLength) is var (prompt, promptProblem) && promptProblem is not null) return (null, promptProblem);
        if (FieldProblem.OfText(body, "platform", 40) is var (platform, platformProblem) && platformProblem is not null) return (null, platformProblem);
        if (!PlatformSizes.TryGet(platform!, out _)) return (null, new("platform", $"must be one of {string.Join(", ", PlatformSizes.Names)}."));
        var (usage, usageProblem) = FieldProblem.OfChoice(body, "usage", Usages.All, Usages.Personal);
        if (usageProblem is not null) return (null, usageProblem);
        foreach (var (field, min, max) in new[] { ("blendStrength", 0.0, 2.0), ("seed", 0.0, 9_007_199_254_740_991.0), ("count", 1.0, MaxCount), ("modelVersion", 1.0, 10_000.0) })
            if (FieldProblem.OfNumber(body, field, min, max, integer: field != "blendStrength") is { } problem) return (null, problem);
        var seed = body["seed"] is { } s ? (long)s.GetValue<double>() : Random.Shared.NextInt64(0, int.MaxValue);
        return (new GenerationRequest(personaId!, prompt!, body["blendStrength"]?.GetValue<double>() ?? DefaultBlendStrength, platform!.ToLowerInvariant(), seed,
            (int?)body["count"]?.GetValue<double>() ?? 1, usage!, (int?)body["modelVersion"]?.GetValue<double>()), null);
    }
}
