namespace Personas.Domain.Generations;

/// <summary>One stored picture and the seed that made it; FaceSwap when the face-swap step ran on it.</summary>
public sealed record GeneratedPicture(string Blob, long Seed, string? ProviderRequestId)
{
    public FaceSwapOutcome? FaceSwap { get; init; }
}

/// <summary>
/// The face-swap step on one picture: which provider, whether the swapped picture was kept (its face passed the
/// same-person check, Similarity being its median cosine to the persona's photos), the photo whose face was used, and
/// a sentence saying what happened.
/// </summary>
public sealed record FaceSwapOutcome(string Provider, bool Kept, double? Similarity, string SourcePhotoId, string Note);

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
