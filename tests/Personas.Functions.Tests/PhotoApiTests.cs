using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Personas.TestPhotos;
using static Personas.Functions.Tests.HttpAssertions;
using static Personas.Functions.Tests.PersonaApiTests;

namespace Personas.Functions.Tests;

public sealed class PhotoApiTests(ApiHost host) : IClassFixture<ApiHost>
{
    private readonly HttpClient _alice = host.Client(ApiHost.AliceKey);

    private async Task<int> PhotoCount(string id) => (await Items(_alice, $"/api/personas/{id}/photos")).Count;

    [Fact]
    public async Task Good_photos_are_accepted_with_scores_and_a_repeat_is_refused_as_a_duplicate()
    {
        var id = await CreateAsync(_alice);
        var response = await _alice.PostAsync($"/api/personas/{id}/photos", Files(("front.jpg", Samples.Load("obama.jpg")), ("speech.jpg", Samples.Load("obama2.jpg"))));
        var intake = await Json(response, 201);
        Assert.Equal(2, intake["accepted"]!.GetValue<int>());
        var first = intake["photos"]![0]!;
        Assert.True(first["accepted"]!.GetValue<bool>());
        Assert.StartsWith("pho_", first["photoId"]!.GetValue<string>());
        Assert.InRange(first["scores"]!["overall"]!["value"]!.GetValue<int>(), 70, 100);
        Assert.False(string.IsNullOrEmpty(first["scores"]!["sharpness"]!["explanation"]!.GetValue<string>()));
        Assert.True(intake["readyForDataset"]!.GetValue<bool>()); // the test host needs 2 (ApiHost); the default is 5

        var again = await Problem(await _alice.PostAsync($"/api/personas/{id}/photos", Files(("front-again.jpg", Samples.Load("obama.jpg")))), 422);
        Assert.Contains("front.jpg", again["errors"]!["files[0]"]![0]!.GetValue<string>());
        var persona = await Json(await _alice.GetAsync($"/api/personas/{id}"), 200);
        Assert.Equal(2, persona["photos"]!.AsArray().Count);
    }

    [Fact]
    public async Task Hostile_files_are_each_named_with_their_reason_and_nothing_is_stored()
    {
        var id = await CreateAsync(_alice);
        var jpeg = Samples.Load("obama.jpg");
        var files = Files(
            ("truncated.jpg", jpeg[..(jpeg.Length * 6 / 10)]),
            ("notes.jpg", System.Text.Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("<script>alert(1)</script>", 800)))),
            ("bomb.png", Samples.PngBomb(8000, 8000)),
            ("empty.jpg", []),
            ("../../etc/passwd", jpeg[..200]));
        var problem = await Problem(await _alice.PostAsync($"/api/personas/{id}/photos", files), 422);
        var errors = problem["errors"]!.AsObject();
        Assert.Equal(5, errors.Count);
        Assert.Contains("truncated.jpg", errors["files[0]"]![0]!.GetValue<string>());
        Assert.Contains("decoded", errors["files[0]"]![0]!.GetValue<string>());
        Assert.Contains("not a JPEG", errors["files[1]"]![0]!.GetValue<string>());
        Assert.Contains("MP", errors["files[2]"]![0]!.GetValue<string>());
        Assert.Contains("empty", errors["files[3]"]![0]!.GetValue<string>());
        Assert.StartsWith("passwd:", errors["files[4]"]![0]!.GetValue<string>()); // folders never reach a name, let alone a path
        Assert.Equal(0, await PhotoCount(id));
        Assert.Equal(HttpStatusCode.OK, (await _alice.GetAsync("/api/health")).StatusCode); // and the host is fine
    }

    [Fact]
    public async Task Thirty_photos_in_one_request_are_refused_before_any_is_stored()
    {
        var id = await CreateAsync(_alice);
        var jpeg = Samples.Load("obama.jpg");
        var files = Files(Enumerable.Range(0, 30).Select(i => ($"p{i}.jpg", jpeg)).ToArray());
        var problem = await Problem(await _alice.PostAsync($"/api/personas/{id}/photos", files), 400, "files");
        Assert.Contains("20", problem["detail"]!.GetValue<string>());
        Assert.Equal(0, await PhotoCount(id));
    }

    [Fact]
    public async Task Wrong_content_type_and_an_empty_form_are_clear_errors()
    {
        var id = await CreateAsync(_alice);
        await Problem(await _alice.PostAsJsonAsync($"/api/personas/{id}/photos", new { url = "x" }), 415, "body");
        await Problem(await _alice.PostAsync($"/api/personas/{id}/photos", new MultipartFormDataContent { { new StringContent("x"), "note" } }), 400, "files");
        await Problem(await _alice.PostAsync("/api/personas/per_missing/photos", Files(("a.jpg", Samples.Load("obama.jpg")))), 404, "personaId");
    }

    [Fact]
    public async Task A_photo_can_be_deleted_and_its_original_is_gone()
    {
        var id = await CreateAsync(_alice);
        var intake = await Json(await _alice.PostAsync($"/api/personas/{id}/photos", Files(("front.jpg", Samples.Load("obama.jpg")))), 201);
        var photoId = intake["photos"]![0]!["photoId"]!.GetValue<string>();
        var blobsBefore = Directory.GetFiles(Path.Combine(host.DataDir, "blobs"), "*", SearchOption.AllDirectories).Length;
        Assert.Equal(HttpStatusCode.NoContent, (await _alice.DeleteAsync($"/api/personas/{id}/photos/{photoId}")).StatusCode);
        Assert.Equal(0, await PhotoCount(id));
        Assert.Equal(blobsBefore - 1, Directory.GetFiles(Path.Combine(host.DataDir, "blobs"), "*", SearchOption.AllDirectories).Length);
        await Problem(await _alice.DeleteAsync($"/api/personas/{id}/photos/{photoId}"), 404, "photoId");
    }
}
