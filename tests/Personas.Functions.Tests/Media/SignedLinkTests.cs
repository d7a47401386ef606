using System.Text.Json.Nodes;
using static Personas.Functions.Tests.HttpAssertions;

namespace Personas.Functions.Tests.Media;

/// <summary>
/// Every image in a payload carries a signed <c>url</c> a page can use without a key: fetched anonymously from the real
/// host, it returns the stored bytes as an image; a tampered signature is refused.
/// </summary>
public sealed class SignedLinkTests(DryRunApiHost host) : IClassFixture<DryRunApiHost>
{
    private readonly HttpClient _alice = host.Client(ApiHost.AliceKey);
    private readonly HttpClient _anonymous = host.Client(null);

    /// <summary>Fetches the link without a key and checks it is the blob's bytes, served as an image.</summary>
    private async Task AssertImageAsync(JsonNode? holder, string pathField = "blob", string urlField = "url")
    {
        var url = holder![urlField]!.GetValue<string>();
        Assert.StartsWith("/api/blobs/", url);
        using var response = await _anonymous.GetAsync(url);
        Assert.True(response.IsSuccessStatusCode, $"{url}: {(int)response.StatusCode}");
        Assert.StartsWith("image/", response.Content.Headers.ContentType!.MediaType);
        var stored = await File.ReadAllBytesAsync(
            Path.Combine(host.DataDir, "blobs", holder[pathField]!.GetValue<string>()));
        Assert.Equal(stored, await response.Content.ReadAsByteArrayAsync());
    }

    /// <summary>The persona's photos, as a bare list or a paged envelope's items (lists are being paged).</summary>
    private async Task<JsonArray> PhotosAsync(string id)
    {
        using var response = await _alice.GetAsync($"/api/personas/{id}/photos");
        Assert.True(response.IsSuccessStatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        return body as JsonArray ?? body["items"]!.AsArray();
    }

    [Fact]
    public async Task Photos_validation_images_versions_and_generations_link_to_their_images()
    {
        var id = await GenerationApiTests.ReadyPersonaAsync(_alice, "zqxlinks");

        var persona = await Json(await _alice.GetAsync($"/api/personas/{id}"), 200);
        var photos = persona["photos"]!.AsArray();
        Assert.Equal(2, photos.Count);
        foreach (var photo in photos)
        {
            await AssertImageAsync(photo);
            await AssertImageAsync(photo, "framedBlob", "framedUrl"); // framed when the dataset was prepared
        }
        await AssertImageAsync((await PhotosAsync(id))[0]);

        var status = await Json(await _alice.GetAsync($"/api/personas/{id}/status"), 200);
        var validationImage = status["models"]![0]!["validation"]!["candidates"]![0]!["images"]![0]!;
        await AssertImageAsync(validationImage);
        await AssertImageAsync(validationImage, "controlBlob", "controlUrl");

        var version = (await Json(await _alice.GetAsync($"/api/personas/{id}/versions"), 200))["items"]![0]!;
        await AssertImageAsync(version["validationImages"]![0], "path");

        var generation = await GenerationApiTests.GenerateAsync(_alice,
            new { personaId = id, prompt = "p", platform = "x" });
        await AssertImageAsync(generation["generation"]!["images"]![0]);
        var listed = await Json(await _alice.GetAsync($"/api/personas/{id}/generations"), 200);
        await AssertImageAsync(listed["items"]![0]!["generation"]!["images"]![0]);
    }

    [Fact]
    public async Task A_tampered_or_missing_signature_is_refused()
    {
        var id = await TrainingApiTests.PersonaWithPhotosAsync(_alice, "zqxtamper");
        var url = (await PhotosAsync(id))[0]!["url"]!.GetValue<string>();
        using (var good = await _anonymous.GetAsync(url)) Assert.True(good.IsSuccessStatusCode);

        var last = url[^1];
        var tampered = url[..^1] + (last == '0' ? '1' : '0');
        await Problem(await _anonymous.GetAsync(tampered), 401, "signature");
        await Problem(await _anonymous.GetAsync(url[..url.IndexOf("&signature=", StringComparison.Ordinal)]), 401,
            "signature");
        var otherPath = url.Replace("/api/blobs/", "/api/blobs/x", StringComparison.Ordinal);
        await Problem(await _anonymous.GetAsync(otherPath), 401, "signature");
    }
}
