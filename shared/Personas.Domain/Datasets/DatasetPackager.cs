using System.Globalization;
using System.IO.Compression;
using System.Text;
using Personas.Domain.Blobs;

namespace Personas.Domain.Datasets;

/// <summary>One framed training image and its caption.</summary>
public sealed record DatasetImage(string Blob, Caption Caption);

/// <summary>
/// Writes a prepared dataset in the three forms trainers take:
/// <list type="bullet">
/// <item>fal.ai (flux-lora-portrait-trainer / flux-lora-fast-training): a zip of images, each with an &lt;image&gt;.txt caption;</item>
/// <item>Replicate (ostris/flux-dev-lora-trainer): a zip of images with &lt;image&gt;.txt captions (train with autocaption off);</item>
/// <item>Kohya sd-scripts: img/{repeats}_{trigger}/ with images and .txt captions, plus dataset.toml.</item>
/// </list>
/// Entry names are generated (NN_trigger.jpg), never taken from uploads. Zips are written straight to a file, one entry at a time.
/// </summary>
public sealed class DatasetPackager(IBlobStore blobs)
{
    public const int KohyaRepeats = 10;

    /// <summary>The name an image has in every package: NN_trigger, numbered from 01 in dataset order.</summary>
    public static string EntryName(int index, string triggerWord) => $"{index + 1:D2}_{triggerWord}";

    public async Task<(string FalZip, string ReplicateZip, string KohyaFolder, string KohyaConfig)> WriteAsync(
        string owner, string personaId, string triggerWord, int resolutionWidth, int resolutionHeight, IReadOnlyList<DatasetImage> images, CancellationToken ct)
    {
        var root = BlobPaths.Join(owner, personaId, "dataset");
        var named = images.Select((image, i) => (Name: EntryName(i, triggerWord), image)).ToList();

        var falZip = $"{root}/fal/{triggerWord}-fal.zip";
        var replicateZip = $"{root}/replicate/{triggerWord}-replicate.zip";
        await WriteZipAsync(falZip, named, ct);
        await WriteZipAsync(replicateZip, named, ct);

        var kohya = $"{root}/kohya";
        var imageFolder = $"{KohyaRepeats}_{triggerWord}";
        foreach (var (name, image) in named)
        {
            await CopyAsync(image.Blob, $"{kohya}/img/{imageFolder}/{name}.jpg", ct);
            await PutTextAsync($"{kohya}/img/{imageFolder}/{name}.txt", image.Caption.Text, ct);
        }
        var config = $"{kohya}/dataset.toml";
        await PutTextAsync(config, KohyaDatasetToml(imageFolder, triggerWord, resolutionWidth, resolutionHeight), ct);
        return (falZip, replicateZip, kohya, config);
    }

    /// <summary>sd-scripts dataset config: one subset, captions from .txt files, the trigger word kept first when captions shuffle.</summary>
    public static string KohyaDatasetToml(string imageFolder, string triggerWord, int width, int height) => string.Create(CultureInfo.InvariantCulture, $"""
        # Kohya sd-scripts dataset config, written by Personas. Train with: --dataset_config dataset.toml
        [general]
        caption_extension = ".txt"
        shuffle_caption = false
        keep_tokens = 1

        [[datasets]]
        resolution = [{width}, {height}]
        batch_size = 1
        enable_bucket = false

          [[datasets.subsets]]
          image_dir = "img/{imageFolder}"
          num_repeats = {KohyaRepeats}
          class_tokens = "{triggerWord}"

        """);

    private async Task WriteZipAsync(string path, List<(string Name, DatasetImage Image)> images, CancellationToken ct)
    {
        var temp = Path.Combine(Path.GetTempPath(), $"personas-{Guid.NewGuid():N}.zip");
        try
        {
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920, useAsync: true))
            using (var zip = new ZipArchive(file, ZipArchiveMode.Create))
            {
                foreach (var (name, image) in images)
                {
                    var imageEntry = zip.CreateEntry($"{name}.jpg", CompressionLevel.NoCompression); // JPEGs do not compress further
                    await using (var target = imageEntry.Open())
                    await using (var source = await blobs.OpenReadAsync(image.Blob, ct) ?? throw new FileNotFoundException(image.Blob))
                        await source.CopyToAsync(target, ct);
                    var captionEntry = zip.CreateEntry($"{name}.txt", CompressionLevel.Optimal);
                    await using var caption = captionEntry.Open();
                    await caption.WriteAsync(Encoding.UTF8.GetBytes(image.Caption.Text), ct);
                }
            }
            await using var read = File.OpenRead(temp);
            await blobs.PutAsync(path, read, ct);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    private async Task CopyAsync(string from, string to, CancellationToken ct)
    {
        await using var source = await blobs.OpenReadAsync(from, ct) ?? throw new FileNotFoundException(from);
        await blobs.PutAsync(to, source, ct);
    }

    private Task PutTextAsync(string path, string text, CancellationToken ct) => blobs.PutAsync(path, new MemoryStream(Encoding.UTF8.GetBytes(text)), ct);
}
