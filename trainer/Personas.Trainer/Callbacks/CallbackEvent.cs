using System.Text.Json.Serialization;

namespace Personas.Trainer.Callbacks;

/// <summary>One callback body (docs/training.md, "Job callback contract"); null fields are left out.</summary>
public sealed record CallbackEvent
{
    [JsonPropertyName("status")] public required string Status { get; init; }
    [JsonPropertyName("step")] public int? Step { get; init; }
    [JsonPropertyName("totalSteps")] public int? TotalSteps { get; init; }
    [JsonPropertyName("message")] public string? Message { get; init; }
    [JsonPropertyName("error")] public string? Error { get; init; }
    [JsonPropertyName("artifacts")] public IReadOnlyList<CallbackArtifact>? Artifacts { get; init; }

    public static CallbackEvent Running(int? step, int total, string message) =>
        new() { Status = "running", Step = step, TotalSteps = total, Message = message };

    public static CallbackEvent Succeeded(int total, IReadOnlyList<CallbackArtifact> artifacts) =>
        new() { Status = "succeeded", Step = total, TotalSteps = total, Artifacts = artifacts };

    public static CallbackEvent Failed(string error) => new() { Status = "failed", Error = error };
}

/// <summary>An uploaded file: <c>weights</c> or <c>checkpoint</c>, and a short-lived read link.</summary>
public sealed record CallbackArtifact(
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("url")] string Url)
{
    public const string Weights = "weights";
    public const string Checkpoint = "checkpoint";
}
