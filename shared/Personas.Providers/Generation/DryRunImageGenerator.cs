using Personas.Domain.Blobs;
using Personas.Imaging.Rendering;
using Personas.Providers.Training;

namespace Personas.Providers.Generation;

/// <summary>
/// The stand-in used only when no image provider is configured. It generates nothing: it takes one of the persona's
/// own prepared photos (chosen by the seed, so the same seed gives the same picture), fits it to the size, and labels
/// it "DRY RUN". At LoRA scale 0 (validation's control) it takes the next photo and blurs it, as a base model that
/// does not know the face would draw somebody else. Its validation scores therefore measure the pipeline, not a model.
/// </summary>
public sealed class DryRunImageGenerator(IBlobStore blobs) : IImageGenerator
{
    public const string ProviderName = "dryrun";
    public const string Label = "DRY RUN · a prepared photo, not a generated image";
    public string Name => ProviderName;

    public bool CanRun(LoraReference lora) => lora.DatasetZipBlob is not null;

    public async Task<GeneratedImage> GenerateAsync(ImageRequest request, CancellationToken ct)
    {
        var withoutLora = request.LoraScale < 0.05;
        var source = await SourcePhotoAsync(request, ct);
        var picture = Pictures.DryRunStandIn(source, request.Width, request.Height, Label, obscured: withoutLora);
        return new GeneratedImage(Name, request.Seed, null, picture, $"dryrun-{request.PersonaId}-{request.Seed}");
    }

    /// <summary>
    /// The prepared photo the stand-in for this request shows, unlabelled: cards drawn over a dry-run picture use it
    /// and are labelled as a whole, so the picture's own label band does not end up in the middle of a card.
    /// </summary>
    public async Task<byte[]> SourcePhotoAsync(ImageRequest request, CancellationToken ct)
    {
        using var zip = await DatasetArchive.OpenAsync(blobs, request.Lora.DatasetZipBlob!, ct);
        var photos = DatasetArchive.Images(zip);
        if (photos.Count == 0) throw new InvalidDataException("The dataset holds no photos.");
        // Without the LoRA a model draws somebody else: the stand-in takes the next photo instead, blurred.
        return await DatasetArchive.ReadAsync(photos[(int)((Math.Abs(request.Seed) + (request.LoraScale < 0.05 ? 1 : 0)) % photos.Count)], ct);
    }

    public Task<Stream> OpenAsync(GeneratedImage image, CancellationToken ct) =>
        Task.FromResult<Stream>(new MemoryStream(image.Bytes ?? throw new InvalidDataException("A dry-run image carries its bytes.")));
}
