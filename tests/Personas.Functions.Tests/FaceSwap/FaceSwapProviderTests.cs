using Personas.Providers.Fal;
using Personas.Providers.FaceSwap;
using Personas.Providers.Replicate;

namespace Personas.Functions.Tests.FaceSwap;

/// <summary>The face-swap clients against local fakes speaking fal.ai's queue and Replicate's predictions.</summary>
public sealed class FaceSwapProviderTests
{
    private static readonly FaceSwapRequest Request = new(new Uri("http://127.0.0.1:9/picture.jpg"),
        new Uri("http://127.0.0.1:9/face.jpg"), []);

    private static async Task<byte[]> ReadAsync(IFaceSwapper swapper, SwappedImage image)
    {
        await using var stream = await swapper.OpenAsync(image, CancellationToken.None);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    [Fact]
    public async Task Fal_gets_the_picture_as_base_image_and_the_face_as_swap_image()
    {
        await using var fake = await FakeFal.StartAsync();
        var client = new FalClient(new HttpClient(),
            new FalClientOptions { Key = FakeFal.Key, QueueEndpoint = fake.BaseAddress });
        var swapper = new FalFaceSwapper(client, FakeFal.FaceSwapModel, TimeSpan.FromSeconds(30),
            TimeSpan.FromMilliseconds(20), TimeProvider.System);
        var swapped = await swapper.SwapAsync(Request, CancellationToken.None);
        var job = fake.Jobs[swapped.RequestId!];
        Assert.Equal(Request.TargetUrl!.ToString(), job.Input["base_image_url"]!.GetValue<string>());
        Assert.Equal(Request.FaceUrl!.ToString(), job.Input["swap_image_url"]!.GetValue<string>());
        Assert.Equal(FakeRenders.WithLora, await ReadAsync(swapper, swapped));
    }

    [Fact]
    public async Task Replicate_gets_input_image_and_swap_image_and_its_errors_keep_status_and_message()
    {
        await using var fake = await FakeReplicate.StartAsync();
        ReplicateClient Client() => new(new HttpClient(), new ReplicateClientOptions
        {
            Token = FakeReplicate.Token, Endpoint = new Uri($"{fake.BaseAddress}v1/"),
        });
        var swapper = new ReplicateFaceSwapper(Client(), FakeReplicate.FaceSwapVersion, TimeSpan.FromSeconds(30),
            TimeSpan.FromMilliseconds(20), TimeProvider.System);
        var swapped = await swapper.SwapAsync(Request, CancellationToken.None);
        var (input, _) = fake.Renders.Requests[swapped.RequestId!];
        Assert.Equal(Request.TargetUrl!.ToString(), input["input_image"]!.GetValue<string>());
        Assert.Equal(Request.FaceUrl!.ToString(), input["swap_image"]!.GetValue<string>());
        Assert.Equal(FakeRenders.WithLora, await ReadAsync(swapper, swapped));

        var wrongVersion = new ReplicateFaceSwapper(Client(), "nope", TimeSpan.FromSeconds(30),
            TimeSpan.FromMilliseconds(20), TimeProvider.System);
        var refused = await Assert.ThrowsAsync<FaceSwapException>(() =>
            wrongVersion.SwapAsync(Request, CancellationToken.None));
        Assert.Equal((422, "replicate"), (refused.Status, refused.Provider));
        Assert.Contains("Invalid version", refused.Message);
    }

    [Fact]
    public async Task Without_a_public_link_nothing_is_sent()
    {
        var swapper = new FalFaceSwapper(new FalClient(new HttpClient(), new FalClientOptions { Key = "k",
            QueueEndpoint = new Uri("http://127.0.0.1:9/") }), "m", TimeSpan.FromSeconds(1), TimeSpan.Zero,
            TimeProvider.System);
        var refused = await Assert.ThrowsAsync<FaceSwapException>(() =>
            swapper.SwapAsync(Request with { TargetUrl = null }, CancellationToken.None));
        Assert.Contains("PublicBaseUrl", refused.Message);
    }
}
