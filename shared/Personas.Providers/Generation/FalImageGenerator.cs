using System.Text.Json.Nodes;
using Personas.Providers.Fal;

namespace Personas.Providers.Generation;

public sealed class FalImageOptions
{
    public string Model { get; set; } = "fal-ai/flux-lora";
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(5);
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);
}

/// <summary>
/// Renders with fal.ai's <c>fal-ai/flux-lora</c> through the queue: the LoRA goes by signed link in
/// <c>loras:[{path, scale}]</c>, the size as explicit <c>image_size {width, height}</c> (rounded to multiples of 16;
/// the exact platform size is cut afterwards), one image per seed.
/// </summary>
public sealed class FalImageGenerator(FalClient fal, FalImageOptions options, TimeProvider clock) : IImageGenerator
{
    public string Name => "fal";

    public bool CanRun(LoraReference lora) => lora.PublicUrl is not null;

    public async Task<GeneratedImage> GenerateAsync(ImageRequest request, CancellationToken ct)
    {
        var input = new JsonObject
        {
            ["prompt"] = request.Prompt,
            ["loras"] = new JsonArray(new JsonObject { ["path"] = request.Lora.PublicUrl!.ToString(), ["scale"] = request.LoraScale }),
            ["image_size"] = new JsonObject { ["width"] = Multiple16(request.Width), ["height"] = Multiple16(request.Height) },
            ["seed"] = request.Seed,
            ["num_images"] = 1,
            ["output_format"] = "jpeg",
            ["enable_safety_checker"] = true,
        };
        try
        {
            var queued = await fal.SubmitAsync(options.Model, input, null, ct);
            var deadline = clock.GetUtcNow() + options.Timeout;
            while ((await fal.GetStatusAsync(queued.StatusUrl, ct)).Status != "COMPLETED")
            {
                if (clock.GetUtcNow() > deadline)
                {
                    await fal.CancelAsync(queued.CancelUrl, ct);
                    throw new ImageGenerationException(Name, null, $"fal.ai did not finish the image within {options.Timeout.TotalSeconds:0} s.");
                }
                await Task.Delay(options.PollInterval, clock, ct);
            }
            var result = await fal.GetResultAsync(queued.ResponseUrl, ct);
            if (result["has_nsfw_concepts"] is JsonArray flags && flags.Any(f => f?.GetValue<bool>() == true))
                throw new ImageGenerationException(Name, null, "fal.ai's safety checker flagged the image; it was not kept.");
            var url = result["images"]?[0]?["url"]?.ToString() ?? throw new ImageGenerationException(Name, null, "fal.ai returned no image.");
            var seed = result["seed"] is JsonValue s && s.TryGetValue<long>(out var used) ? used : request.Seed;
            return new GeneratedImage(Name, seed, url, null, queued.RequestId);
        }
        catch (FalException ex)
        {
            throw new ImageGenerationException(Name, ex.Status, ex.Message);
        }
    }

    public Task<Stream> OpenAsync(GeneratedImage image, CancellationToken ct) => fal.DownloadAsync(image.Url!, ct);

    private static int Multiple16(int side) => Math.Max(256, (side + 8) / 16 * 16);
}
