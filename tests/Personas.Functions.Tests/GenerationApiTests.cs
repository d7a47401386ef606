using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Personas.Imaging.Analysis;
using static Personas.Functions.Tests.HttpAssertions;

namespace Personas.Functions.Tests;

public sealed class GenerationApiTests(DryRunApiHost host) : IClassFixture<DryRunApiHost>
{
    private readonly HttpClient _alice = host.Client(ApiHost.AliceKey);
    private readonly HttpClient _bob = host.Client(ApiHost.BobKey);

    internal static async Task<string> ReadyPersonaAsync(HttpClient client, string trigger)
    {
        var id = await TrainingApiTests.PersonaWithPhotosAsync(client, trigger);
        await Json(await client.PostAsync($"/api/personas/{id}/train", null), 202);
        var ready = await TrainingApiTests.WaitForStatusAsync(client, id, "Ready", "Failed");
        Assert.True(ready["status"]!.GetValue<string>() == "Ready", ready.ToJsonString());
        return id;
    }

    internal static async Task<JsonObject> GenerateAsync(HttpClient client, object request)
    {
        var accepted = await Json(await client.PostAsJsonAsync("/api/generate-with-persona", request), 202);
        return (await Eventually.GetAsync(async () =>
        {
            var response = await client.GetAsync(accepted["resultUri"]!.GetValue<string>());
            return response.IsSuccessStatusCode ? await Json(response, 200) : null;
        }, "the generation to finish"))!;
    }

    [Fact]
    public async Task Validation_scores_the_version_and_says_what_it_could_not_measure()
    {
        var id = await ReadyPersonaAsync(_alice, "zqxvalid");
        var model = (await Json(await _alice.GetAsync($"/api/personas/{id}/status"), 200))["models"]![0]!;
        var validation = model["validation"]!;
        Assert.True(validation["passed"]!.GetValue<bool>());
        Assert.Equal(0.8, validation["gate"]!.GetValue<double>());
        Assert.Equal("dryrun", validation["provider"]!.GetValue<string>());
        var final = validation["candidates"]!.AsArray().Single()!;
        Assert.Equal("final", final["label"]!.GetValue<string>());
        Assert.Equal(1.0, final["faceDetected"]!["value"]!.GetValue<double>());
        // The dry run shows the persona's own photos, so every face passes the same-person check.
        Assert.Equal(1.0, final["faceConsistency"]!["value"]!.GetValue<double>());
        Assert.Contains("same-person check", final["faceConsistency"]!["explanation"]!.GetValue<string>());

        // Each prompt was rendered with the trigger, stored with its control, and scored with the intake detector.
        var images = final["images"]!.AsArray();
        Assert.Equal(3, images.Count);
        foreach (var image in images)
        {
            Assert.Contains("zqxvalid", image!["prompt"]!.GetValue<string>());
            Assert.True(image["clearFace"]!.GetValue<bool>());
            Assert.True(image["faceChangeBits"]!.GetValue<int>() >= 10, image.ToJsonString());
            Assert.InRange(image["faceSimilarity"]!.GetValue<double>(), 0.3, 1.0);
            foreach (var blob in new[] { image["blob"]!, image["controlBlob"]! })
                Assert.True(File.Exists(Path.Combine(host.DataDir, "blobs", blob.GetValue<string>())));
        }
    }

    [Fact]
    public async Task Generation_makes_platform_sized_labelled_images_that_the_same_seed_makes_again()
    {
        var id = await ReadyPersonaAsync(_alice, "zqxgen");
        var first = (await GenerateAsync(_alice, new { personaId = id, prompt = "zqxgen on a beach", platform = "x", count = 2, seed = 41 }))["generation"]!;
        Assert.Equal(new long[] { 41, 42 }, first["images"]!.AsArray().Select(i => i!["seed"]!.GetValue<long>()));
        Assert.Equal(0.5, first["blendStrength"]!.GetValue<double>());
        Assert.Equal(1, first["modelVersion"]!.GetValue<int>());
        Assert.Contains("DRY RUN", first["label"]!.GetValue<string>());
        var firstImage = await File.ReadAllBytesAsync(Path.Combine(host.DataDir, "blobs", first["images"]![0]!["blob"]!.GetValue<string>()));
        var header = PhotoDecoder.ReadHeader(firstImage, 50_000_000);
        Assert.Equal((PhotoFormat.Jpeg, 1600, 900), (header.Format, header.Width, header.Height));

        var again = await GenerateAsync(_alice, new { personaId = id, prompt = "zqxgen on a beach", platform = "x", seed = 41 });
        var link = again["imageUrls"]![0]!.GetValue<string>();
        Assert.Equal(firstImage, await (await _bob.GetAsync(link)).Content.ReadAsByteArrayAsync()); // a signed link needs no key

        // A missing seed is drawn and reported, so the result can still be made again.
        var drawn = await Json(await _alice.PostAsJsonAsync("/api/generate-with-persona", new { personaId = id, prompt = "p", platform = "story" }), 202);
        Assert.True(drawn["seed"]!.GetValue<long>() >= 0);

        var listed = await Json(await _alice.GetAsync($"/api/personas/{id}/generations"), 200);
        Assert.True(listed["items"]!.AsArray().Count >= 2);
        await Problem(await _bob.GetAsync(again["generation"]!["id"] is { } gid ? $"/api/generations/{gid}" : ""), 404);
        await Problem(await _bob.GetAsync($"/api/personas/{id}/generations"), 404);
    }

    [Fact]
    public async Task Bad_requests_consent_and_restrictions_are_refused_before_anything_runs()
    {
        var untrained = await TrainingApiTests.PersonaWithPhotosAsync(_alice, "zqxnotyet");
        await Problem(await _alice.PostAsJsonAsync("/api/generate-with-persona", new { personaId = untrained, prompt = "p", platform = "x" }), 409, "modelVersion");

        var id = await ReadyPersonaAsync(_alice, "zqxrefuse");
        foreach (var (body, field) in new (object, string)[]
                 {
                     (new { personaId = id, platform = "x" }, "prompt"),
                     (new { personaId = id, prompt = "p", platform = "myspace" }, "platform"),
                     (new { personaId = id, prompt = "p", platform = "x", blendStrength = 3 }, "blendStrength"),
                     (new { personaId = id, prompt = "p", platform = "x", count = 5 }, "count"),
                     (new { personaId = id, prompt = "p", platform = "x", seed = -1 }, "seed"),
                     (new { personaId = id, prompt = "p", platform = "x", usage = "resale" }, "usage"),
                     (new { personaId = id, prompt = new string('p', 2001), platform = "x" }, "prompt"),
                     (new { personaId = id, prompt = "p", platform = "x", nsfw = true }, "nsfw"),
                 })
            await Problem(await _alice.PostAsJsonAsync("/api/generate-with-persona", body), 400, field);
        await Problem(await _bob.PostAsJsonAsync("/api/generate-with-persona", new { personaId = id, prompt = "p", platform = "x" }), 404);

        // The test personas forbid commercial use; then consent is withdrawn altogether.
        await Problem(await _alice.PostAsJsonAsync("/api/generate-with-persona", new { personaId = id, prompt = "p", platform = "x", usage = "commercial" }), 403, "consent");
        await Json(await _alice.PostAsync($"/api/personas/{id}/consent/withdraw", null), 200);
        await Problem(await _alice.PostAsJsonAsync("/api/generate-with-persona", new { personaId = id, prompt = "p", platform = "x" }), 403, "consent");
        Assert.Empty((await Json(await _alice.GetAsync($"/api/personas/{id}/generations"), 200))["items"]!.AsArray());
    }
}

/// <summary>Dry runs priced, and a small owner budget, so the owner-wide cap can be reached.</summary>
public sealed class BudgetApiHost : ApiHost
{
    protected override Task<IDictionary<string, string?>> ExtraSettingsAsync() => Task.FromResult<IDictionary<string, string?>>(new Dictionary<string, string?>
    {
        ["Personas:Training:DryRunSeconds"] = "1",
        ["Personas:Training:PricePerStepUsd"] = "dryrun=0.01",
        ["Personas:Generation:PricePerImageUsd"] = "dryrun=0.5",
        ["Personas:Training:OwnerBudgetUsd"] = "14",
    });
}

public sealed class OwnerBudgetTests(BudgetApiHost host) : IClassFixture<BudgetApiHost>
{
    [Fact]
    public async Task Work_that_would_take_the_owner_over_budget_is_refused_before_anything_is_spent()
    {
        var alice = host.Client(ApiHost.AliceKey);
        var id = await GenerationApiTests.ReadyPersonaAsync(alice, "zqxbudget"); // 1000 steps ($10) + 6 validation images ($3)
        await GenerationApiTests.GenerateAsync(alice, new { personaId = id, prompt = "p", platform = "square", count = 2 }); // $1: exactly at the cap
        var costs = await Json(await alice.GetAsync($"/api/personas/{id}/costs"), 200);
        Assert.Equal(14m, costs["totalEstimatedUsd"]!.GetValue<decimal>());

        await Problem(await alice.PostAsJsonAsync("/api/generate-with-persona", new { personaId = id, prompt = "p", platform = "square" }), 402, "ownerBudgetUsd");
        await Problem(await alice.PostAsJsonAsync($"/api/personas/{id}/train", new { steps = 100 }), 402, "ownerBudgetUsd");
        Assert.Equal(14m, (await Json(await alice.GetAsync($"/api/personas/{id}/costs"), 200))["totalEstimatedUsd"]!.GetValue<decimal>());

        // Another owner has their own budget.
        var bob = host.Client(ApiHost.BobKey);
        var bobs = await TrainingApiTests.PersonaWithPhotosAsync(bob, "zqxbobbudget");
        await Json(await bob.PostAsJsonAsync($"/api/personas/{bobs}/train", new { steps = 100 }), 202);
    }
}
