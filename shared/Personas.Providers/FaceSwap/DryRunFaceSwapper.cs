namespace Personas.Providers.FaceSwap;

/// <summary>
/// The stand-in when no face-swap provider is configured: it swaps nothing and hands the picture back as it was, so
/// the step, its check against the persona and its ledger row run end to end. The generation says so in its label.
/// </summary>
public sealed class DryRunFaceSwapper : IFaceSwapper
{
    public const string ProviderName = "dryrun";
    public const string Label = "DRY RUN · face swap not applied";
    public string Name => ProviderName;

    public Task<SwappedImage> SwapAsync(FaceSwapRequest request, CancellationToken ct) =>
        Task.FromResult(new SwappedImage(Name, null, request.TargetBytes, $"dryrun-swap-{request.TargetBytes.Length}"));

    public Task<Stream> OpenAsync(SwappedImage image, CancellationToken ct) =>
        Task.FromResult<Stream>(
            new MemoryStream(image.Bytes ?? throw new InvalidDataException("A dry-run swap carries its bytes.")));
}
