namespace Personas.Providers.Generation;

/// <summary>
/// The LoRA to generate with: our stored copy (and a signed public link to it, for providers that fetch it), who
/// trained it, and the provider's own model handle where it keeps one. The dataset is what the dry run draws from.
/// </summary>
public sealed record LoraReference(string WeightsBlob, Uri? PublicUrl, string TrainedBy, string? ProviderModel, string? DatasetZipBlob);

/// <summary>One picture to make: one seed, one image, so every image can be made again from what is stored.</summary>
public sealed record ImageRequest(string PersonaId, string Prompt, LoraReference Lora, double LoraScale, int Width, int Height, long Seed);

/// <summary>A picture a provider made: a link to fetch it from, or its bytes (the dry run), and the provider's request id.</summary>
public sealed record GeneratedImage(string Provider, long Seed, string? Url, byte[]? Bytes, string? RequestId);

/// <summary>A place that renders pictures with a persona's LoRA (fal.ai flux-lora, Replicate, or the dry run).</summary>
public interface IImageGenerator
{
    string Name { get; }

    /// <summary>Whether this provider can use that LoRA (Replicate can only run the versions it trained).</summary>
    bool CanRun(LoraReference lora);

    Task<GeneratedImage> GenerateAsync(ImageRequest request, CancellationToken ct);

    Task<Stream> OpenAsync(GeneratedImage image, CancellationToken ct);
}

/// <summary>A provider refused or failed to make a picture, with its status and message.</summary>
public sealed class ImageGenerationException(string provider, int? status, string message) : Exception($"{provider}: {message}")
{
    public string Provider { get; } = provider;
    public int? Status { get; } = status;
}
