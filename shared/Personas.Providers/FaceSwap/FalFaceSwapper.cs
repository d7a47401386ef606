using System.Text.Json.Nodes;
using Personas.Providers.Fal;

namespace Personas.Providers.FaceSwap;

/// <summary>
/// fal.ai's face-swap model (default <c>fal-ai/face-swap</c>) through the queue: <c>base_image_url</c> is the picture
/// to change, <c>swap_image_url</c> the face to put in; the answer is <c>image {url, width, height, content_type}</c>.
/// </summary>
public sealed class FalFaceSwapper(FalClient fal, string model, TimeSpan timeout, TimeSpan pollInterval,
    TimeProvider clock) : IFaceSwapper
{
    public string Name => "fal";

    public async Task<SwappedImage> SwapAsync(FaceSwapRequest request, CancellationToken ct)
    {
        var input = new JsonObject
        {
            ["base_image_url"] = Link(request.TargetUrl, "picture"),
            ["swap_image_url"] = Link(request.FaceUrl, "face photo"),
        };
        try
        {
            var queued = await fal.SubmitAsync(model, input, null, ct);
            var deadline = clock.GetUtcNow() + timeout;
            while ((await fal.GetStatusAsync(queued.StatusUrl, ct)).Status != "COMPLETED")
            {
                if (clock.GetUtcNow() > deadline)
                {
                    await fal.CancelAsync(queued.CancelUrl, ct);
                    throw new FaceSwapException(Name, null,
                        $"fal.ai did not finish the swap within {timeout.TotalSeconds:0} s.");
                }
                await Task.Delay(pollInterval, clock, ct);
            }
            var result = await fal.GetResultAsync(queued.ResponseUrl, ct);
            var url = result["image"]?["url"]?.ToString()
                ?? throw new FaceSwapException(Name, null, "fal.ai returned no image.");
            return new SwappedImage(Name, url, null, queued.RequestId);
        }
        catch (FalException ex)
        {
            throw new FaceSwapException(Name, ex.Status, ex.Message);
        }
    }

    public Task<Stream> OpenAsync(SwappedImage image, CancellationToken ct) => fal.DownloadAsync(image.Url!, ct);

    internal static string Link(Uri? url, string what) => url?.ToString()
        ?? throw new FaceSwapException("faceSwap", null, $"The {what} has no public link for the provider to fetch " +
            "(set Personas:PublicBaseUrl).");
}
