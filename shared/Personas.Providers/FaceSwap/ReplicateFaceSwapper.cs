using System.Text.Json.Nodes;
using Personas.Providers.Replicate;

namespace Personas.Providers.FaceSwap;

/// <summary>
/// A face-swap model on Replicate run by version through the predictions API (default: cdingram/face-swap, whose
/// input is <c>input_image</c>, the picture to change, and <c>swap_image</c>, the face; its output is one image URI).
/// </summary>
public sealed class ReplicateFaceSwapper(ReplicateClient replicate, string version, TimeSpan timeout,
    TimeSpan pollInterval, TimeProvider clock) : IFaceSwapper
{
    public string Name => "replicate";

    public async Task<SwappedImage> SwapAsync(FaceSwapRequest request, CancellationToken ct)
    {
        var input = new JsonObject
        {
            ["input_image"] = FalFaceSwapper.Link(request.TargetUrl, "picture"),
            ["swap_image"] = FalFaceSwapper.Link(request.FaceUrl, "face photo"),
        };
        try
        {
            var prediction = await replicate.CreatePredictionAsync(version, input, 60, ct);
            var deadline = clock.GetUtcNow() + timeout;
            while (!prediction.Finished)
            {
                if (clock.GetUtcNow() > deadline)
                    throw new FaceSwapException(Name, null,
                        $"Replicate did not finish the swap within {timeout.TotalSeconds:0} s.");
                await Task.Delay(pollInterval, clock, ct);
                prediction = await replicate.GetPredictionAsync(prediction.Id, ct);
            }
            if (prediction.Status != "succeeded" || prediction.Output.Count == 0)
                throw new FaceSwapException(Name, null,
                    prediction.Error ?? $"The prediction ended as {prediction.Status} without an image.");
            return new SwappedImage(Name, prediction.Output[0], null, prediction.Id);
        }
        catch (ReplicateException ex)
        {
            throw new FaceSwapException(Name, ex.Status, ex.Message);
        }
    }

    public Task<Stream> OpenAsync(SwappedImage image, CancellationToken ct) => replicate.DownloadAsync(image.Url!, ct);
}
