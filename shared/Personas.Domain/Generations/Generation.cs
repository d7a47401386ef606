namespace Personas.Domain.Generations;

/// <summary>One stored picture and the seed that made it.</summary>
public sealed record GeneratedPicture(string Blob, long Seed, string? ProviderRequestId);

/// <summary>
/// A generate-with-persona request and what it made, with everything needed to make it again: the model version and
/// weights, the provider, prompt, LoRA scale, size and each image's seed.
/// </summary>
public sealed record Generation(
    string Id,
    string Owner,
    string PersonaId,
    int ModelVersion,
    string WeightsBlob,
    string Provider,
    string Prompt,
    double BlendStrength,
    string Platform,
    int Width,
    int Height,
    string Usage,
    IReadOnlyList<GeneratedPicture> Images,
    DateTimeOffset CreatedAt)
{
    /// <summary>Set on everything the dry run made.</summary>
    public string? Label { get; init; }
}
