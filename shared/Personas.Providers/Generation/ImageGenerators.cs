namespace Personas.Providers.Generation;

/// <summary>
/// The configured image providers. A LoRA is run by the provider that trained it when that provider can, else by the
/// first configured one that can (Personas:Generation:Provider puts one first). The dry run is present only when
/// nothing else is configured.
/// </summary>
public sealed class ImageGenerators
{
    private readonly IReadOnlyList<IImageGenerator> _generators;
    private readonly IReadOnlyDictionary<string, decimal> _pricePerImage;

    public ImageGenerators(IEnumerable<IImageGenerator> configured, IImageGenerator dryRun, IReadOnlyDictionary<string, decimal>? pricePerImageUsd = null)
    {
        var list = configured.ToList();
        _generators = list.Count > 0 ? list : [dryRun];
        _pricePerImage = new Dictionary<string, decimal>(pricePerImageUsd ?? new Dictionary<string, decimal>(), StringComparer.OrdinalIgnoreCase);
    }

    public IReadOnlyList<string> Names => _generators.Select(g => g.Name).ToList();

    public decimal EstimateUsd(string provider, int images) => _pricePerImage.GetValueOrDefault(provider) * images;

    public IImageGenerator For(LoraReference lora) =>
        _generators.Where(g => g.CanRun(lora)).OrderBy(g => g.Name.Equals(lora.TrainedBy, StringComparison.OrdinalIgnoreCase) ? 0 : 1).FirstOrDefault()
        ?? throw new ImageGenerationException("all", null,
            $"No configured image provider can run a LoRA trained by {lora.TrainedBy} (configured: {string.Join(", ", Names)}).");
}
