using System.Text.Json;
using System.Text.Json.Nodes;
using Personas.Domain.Generations;
using Personas.Domain.Personas;
using Personas.Api.Problems;

namespace Personas.Api.Generations;

/// <summary>
/// The checked body of <c>POST /api/generate-with-persona</c>. A missing seed is drawn here, so it is stored with the
/// result.
/// </summary>
public sealed record GenerationRequest(string PersonaId, string Prompt, double BlendStrength, string Platform, long Seed,
    int Count, string Usage, int? ModelVersion, bool FaceSwap = false)
{
    public const int MaxPromptLength = 2000, MaxCount = 4;
    public const double DefaultBlendStrength = 0.5;
    private static readonly string[] Fields =
        ["personaId", "prompt", "blendStrength", "platform", "seed", "count", "usage", "modelVersion", "faceSwap"];
    private static readonly (string Field, double Min, double Max)[] Numbers =
    [
        ("blendStrength", 0.0, 2.0), ("seed", 0.0, 9_007_199_254_740_991.0), ("count", 1.0, MaxCount),
        ("modelVersion", 1.0, 10_000.0),
    ];

    /// <summary>The request, or every problem with the body at once (null when there is none).</summary>
    public static (GenerationRequest? Request, IReadOnlyList<FieldProblem>? Problems) Parse(JsonObject? body)
    {
        if (body is null) return (null, [new("body", "Send a JSON object with personaId, prompt and platform.")]);
        var problems = new List<FieldProblem>();
        var (platform, usage) = PictureFields.Read(body, Fields, "generation", problems);
        var (personaId, idProblem) = FieldProblem.OfText(body, "personaId", 100);
        problems.AddIfAny(idProblem);
        var (prompt, promptProblem) = FieldProblem.OfText(body, "prompt", MaxPromptLength);
        problems.AddIfAny(promptProblem);
        foreach (var (field, min, max) in Numbers)
            problems.AddIfAny(FieldProblem.OfNumber(body, field, min, max, integer: field != "blendStrength"));
        var faceSwap = body["faceSwap"]?.GetValueKind();
        if (faceSwap is not (null or JsonValueKind.True or JsonValueKind.False))
            problems.Add(new("faceSwap", "must be true or false."));
        if (problems.Count > 0) return (null, problems);

        var seed = body["seed"] is { } s ? (long)s.GetValue<double>() : Random.Shared.NextInt64(0, int.MaxValue);
        var blend = body["blendStrength"]?.GetValue<double>() ?? DefaultBlendStrength;
        var count = (int?)body["count"]?.GetValue<double>() ?? 1;
        return (new GenerationRequest(personaId!, prompt!, blend, platform!.ToLowerInvariant(), seed, count, usage!,
            (int?)body["modelVersion"]?.GetValue<double>(), faceSwap == JsonValueKind.True), null);
    }
}
