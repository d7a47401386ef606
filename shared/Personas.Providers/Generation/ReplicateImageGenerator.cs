using System.Text.Json.Nodes;
using Personas.Providers.Replicate;

namespace Personas.Providers.Generation;

public sealed class ReplicateImageOptions
{
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(5);
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);
}

/// <summary>
/// Renders on Replicate by running the version a training created (<c>owner/name:version</c>) through the predictions
/// API, with <c>lora_scale</c>, a custom size fitted within its 1440 px limit, and the seed. So it runs only the LoRAs
/// Replicate trained; the exact platform size is cut afterwards.
/// </summary>
public sealed class ReplicateImageGenerator(ReplicateClient replicate, ReplicateImageOptions options, TimeProvider clock) : IImageGenerator
{
    public string Name => "replicate";

    public bool CanRun(LoraReference lora) => lora.TrainedBy == Name && lora.ProviderModel is not null;

    public async Task<GeneratedImage> GenerateAsync(ImageRequest request, CancellationToken ct)
    {
        var (width, height) = FitWithin1440(request.Width, request.Height);
        var input = new JsonObject
        {
            ["prompt"] = request.Prompt,
            ["lora_scale"] = request.LoraScale,
            ["aspect_ratio"] = "custom",
            ["width"] = width,
            ["height"] = height,
            ["seed"] = request.Seed,
            ["num_outputs"] = 1,
            ["output_format"] = "jpg",
        };
        var version = request.Lora.ProviderModel!.Split(':')[^1];
        try
        {
            var prediction = await replicate.CreatePredictionAsync(version, input, 60, ct);
            var deadline = clock.GetUtcNow() + options.Timeout;
            while (!prediction.Finished)
            {
                if (clock.GetUtcNow() > deadline)
                    throw new ImageGenerationException(Name, null, $"Replicate did not finish the image within {options.Timeout.TotalSeconds:0} s.");
                await Task.Delay(options.PollInterval, clock, ct);
                prediction = await replicate.GetPredictionAsync(prediction.Id, ct);
            }
            if (prediction.Status != "succeeded" || prediction.Output.Count == 0)
                throw new ImageGenerationException(Name, null, prediction.Error ?? $"The prediction ended as {prediction.Status} without an image.");
            return new GeneratedImage(Name, request.Seed, prediction.Output[0], null, prediction.Id);
        }
        catch (ReplicateException ex)
        {
            throw new ImageGenerationException(Name, ex.Status, ex.Message);
        }
    }

    public Task<Stream> OpenAsync(GeneratedImage image, CancellationToken ct) => replicate.DownloadAsync(image.Url!, ct);

    /// <summary>The trained model takes 256–1440 px sides, rounded to multiples of 16.</summary>
    internal static (int Width, int Height) FitWithin1440(int width, int height)
    {
        var scale = Math.Min(1.0, 1440.0 / Math.Max(width, height));
        return (Math.Max(256, (int)(width * scale) / 16 * 16), Math.Max(256, (int)(height * scale) / 16 * 16));
    }
}
