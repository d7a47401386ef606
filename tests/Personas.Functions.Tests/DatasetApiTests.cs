using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Personas.Imaging.Analysis;
using Personas.TestPhotos;
using static Personas.Functions.Tests.HttpAssertions;
using static Personas.Functions.Tests.PersonaApiTests;

namespace Personas.Functions.Tests;

public sealed class DatasetApiTests(ApiHost host) : IClassFixture<ApiHost>
{
    private readonly HttpClient _alice = host.Client(ApiHost.AliceKey);
    private readonly HttpClient _anonymous = host.Client(null);

    private async Task<string> PersonaWithPhotosAsync(string trigger)
    {
        var id = await CreateAsync(_alice, trigger);
        await Json(await _alice.PostAsync($"/api/personas/{id}/photos", Files(("front.jpg", Samples.Load("obama.jpg")), ("speech.jpg", Samples.Load("obama2.jpg")))), 201);
        return id;
    }

    private async Task<JsonObject> PrepareAsync(string id)
    {
        var started = await Json(await _alice.PostAsync($"/api/personas/{id}/dataset", null), 202);
        var status = started["statusQueryGetUri"]!.GetValue<string>();
        return await Eventually.GetAsync(async () => await _alice.GetAsync(status) is { StatusCode: HttpStatusCode.OK } done ? await Json(done, 200) : null,
            $"dataset preparation of {id} to finish");
    }

    [Fact]
    public async Task Preparing_a_dataset_frames_captions_and_packages_for_fal_replicate_and_kohya()
    {
        var id = await PersonaWithPhotosAsync("zqxdata");
        var done = await PrepareAsync(id);
        Assert.Equal("Completed", done["runtimeStatus"]!.GetValue<string>());

        var persona = await Json(await _alice.GetAsync($"/api/personas/{id}"), 200);
        Assert.Equal("Prepared", persona["status"]!.GetValue<string>());
        var dataset = persona["dataset"]!;
        Assert.Equal(2, dataset["images"]!.GetValue<int>());
        var entries = dataset["entries"]!.AsArray();
        Assert.Equal(["01_zqxdata.jpg", "02_zqxdata.jpg"], entries.Select(e => e!["image"]!.GetValue<string>()));
        Assert.All(entries, e => Assert.Equal("template", e!["captionSource"]!.GetValue<string>()));
        Assert.All(entries, e => Assert.Contains("zqxdata", e!["caption"]!.GetValue<string>()));
        Assert.NotEqual(entries[0]!["caption"]!.GetValue<string>(), entries[1]!["caption"]!.GetValue<string>()); // varied

        foreach (var zipUrl in new[] { dataset["falZipUrl"]!.GetValue<string>(), dataset["replicateZipUrl"]!.GetValue<string>() })
        {
            var zipResponse = await _anonymous.GetAsync(zipUrl); // the signature is the credential
            Assert.Equal(HttpStatusCode.OK, zipResponse.StatusCode);
            Assert.Equal("application/zip", zipResponse.Content.Headers.ContentType!.MediaType);
            using var zip = new ZipArchive(await zipResponse.Content.ReadAsStreamAsync());
            Assert.Equal(["01_zqxdata.jpg", "01_zqxdata.txt", "02_zqxdata.jpg", "02_zqxdata.txt"], zip.Entries.Select(e => e.FullName).Order());
            using var caption = new StreamReader(zip.GetEntry("01_zqxdata.txt")!.Open());
            Assert.Contains("zqxdata", await caption.ReadToEndAsync());
            using var image = new MemoryStream();
            await zip.GetEntry("01_zqxdata.jpg")!.Open().CopyToAsync(image);
            var header = PhotoDecoder.ReadHeader(image.ToArray(), 50_000_000);
            Assert.Equal((1024, 1024), (header.Width, header.Height));
        }

        var toml = await _anonymous.GetStringAsync(dataset["kohyaConfigUrl"]!.GetValue<string>());
        Assert.Contains("image_dir = \"img/10_zqxdata\"", toml);
        Assert.Contains("caption_extension = \".txt\"", toml);
        Assert.Contains("num_repeats = 10", toml);
        var kohyaImages = Path.Combine(host.DataDir, "blobs", dataset["kohyaFolder"]!.GetValue<string>(), "img", "10_zqxdata");
        Assert.Equal(4, Directory.GetFiles(kohyaImages).Length);
    }

    [Fact]
    public async Task Download_links_are_refused_when_tampered_with_or_expired()
    {
        var id = await PersonaWithPhotosAsync("zqxlinks");
        await PrepareAsync(id);
        var url = (await Json(await _alice.GetAsync($"/api/personas/{id}"), 200))["dataset"]!["falZipUrl"]!.GetValue<string>();
        await Problem(await _anonymous.GetAsync(url.Replace("signature=", "signature=0")), 401, "signature");
        await Problem(await _anonymous.GetAsync(url.Replace("zqxlinks-fal.zip", "zqxlinks-replicate.zip")), 401, "signature");
        var expired = System.Text.RegularExpressions.Regex.Replace(url, "expires=\\d+", "expires=1000");
        await Problem(await _anonymous.GetAsync(expired), 401, "signature");
        await Problem(await _anonymous.GetAsync(url.Split('?')[0]), 401, "signature");
    }

    [Fact]
    public async Task A_preparation_that_was_terminated_does_not_leave_the_persona_stuck()
    {
        var id = await PersonaWithPhotosAsync("zqxstuck");
        var first = await Json(await _alice.PostAsync($"/api/personas/{id}/dataset", null), 202);
        var again = await Json(await _alice.PostAsync($"/api/personas/{id}/dataset", null), 202);
        var firstId = first["id"]!.GetValue<string>();
        if (again["id"]!.GetValue<string>() == firstId) // still running: asking again returned it, so stop it
            await _alice.PostAsync($"/api/instances/{firstId}/terminate?reason=test", null);
        await Eventually.GetAsync(async () => await _alice.GetAsync($"/api/instances/{firstId}") is { StatusCode: HttpStatusCode.OK } done ? done : null,
            $"{firstId} to finish", seconds: 30);

        var restarted = await PrepareAsync(id);
        Assert.Equal("Completed", restarted["runtimeStatus"]!.GetValue<string>());
        Assert.Equal("Prepared", (await Json(await _alice.GetAsync($"/api/personas/{id}"), 200))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Deleting_a_persona_removes_its_photos_crops_and_packages_and_leaves_an_audit_entry()
    {
        var id = await PersonaWithPhotosAsync("zqxgone2");
        await PrepareAsync(id);
        var personaFiles = Path.Combine(host.DataDir, "blobs", "alice", id);
        Assert.True(Directory.GetFiles(personaFiles, "*", SearchOption.AllDirectories).Length > 5);

        await Problem(await host.Client(ApiHost.BobKey).DeleteAsync($"/api/personas/{id}"), 404, "personaId");
        var deleted = await PersonaDeletion.DeleteAndWaitAsync(_alice, id);
        Assert.Equal(2, deleted["photos"]!.GetValue<int>());
        Assert.Empty(PersonaDeletion.Leftovers(host.DataDir, id));
        Assert.Empty(PersonaDeletion.RawDatabaseHits(host.DataDir, "zqxgone2"));
        Assert.False(Directory.Exists(personaFiles));
        await Problem(await _alice.GetAsync($"/api/personas/{id}"), 404);
        await Problem(await _alice.DeleteAsync($"/api/personas/{id}"), 404);
        var audit = await Items(_alice, "/api/audit");
        var entry = Assert.Single(audit, e => e!["personaId"]!.GetValue<string>() == id
            && e["action"]!.GetValue<string>() == "persona.deleted")!;
        Assert.DoesNotContain("zqxgone2", entry["details"]!.GetValue<string>());
        Assert.Matches(@"trigger hmac:[0-9a-f]{16}\)", entry["details"]!.GetValue<string>());
        Assert.DoesNotContain(await Items(host.Client(ApiHost.BobKey), "/api/audit"),
            e => e!["personaId"]!.GetValue<string>() == id);
        await CreateAsync(_alice, "zqxgone2"); // the trigger word is free again
    }

    [Fact]
    public async Task A_dataset_needs_enough_photos_and_valid_consent()
    {
        var empty = await CreateAsync(_alice, "zqxempty");
        await Problem(await _alice.PostAsync($"/api/personas/{empty}/dataset", null), 409, "photos");
        var withdrawn = await PersonaWithPhotosAsync("zqxgone");
        await _alice.PostAsJsonAsync($"/api/personas/{withdrawn}/consent/withdraw", new { reason = "no" });
        await Problem(await _alice.PostAsync($"/api/personas/{withdrawn}/dataset", null), 403, "consent");
        await Problem(await host.Client(ApiHost.BobKey).PostAsync($"/api/personas/{withdrawn}/dataset", null), 404, "personaId");
    }
}
