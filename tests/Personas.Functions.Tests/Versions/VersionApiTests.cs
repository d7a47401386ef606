using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Personas.Domain.Stores;
using static Personas.Functions.Tests.HttpAssertions;

namespace Personas.Functions.Tests.Versions;

/// <summary>Model versions through the real host on the dry-run provider: list, compare, activate, roll back.</summary>
public sealed class VersionApiTests(DryRunApiHost host) : IClassFixture<DryRunApiHost>
{
    private readonly HttpClient _alice = host.Client(ApiHost.AliceKey);
    private readonly HttpClient _bob = host.Client(ApiHost.BobKey);

    /// <summary>A persona trained twice: versions 1 and 2, both passed.</summary>
    private async Task<string> TwiceTrainedAsync(string trigger)
    {
        var id = await GenerationApiTests.ReadyPersonaAsync(_alice, trigger);
        await Json(await _alice.PostAsync($"/api/personas/{id}/train", null), 202);
        await Eventually.GetAsync(async () =>
        {
            var status = await Json(await _alice.GetAsync($"/api/personas/{id}/status"), 200);
            return status["models"]!.AsArray().Count == 2 && status["status"]!.GetValue<string>() is "Ready" or "Failed"
                ? status : null;
        }, "the second version");
        return id;
    }

    private async Task<JsonArray> VersionsAsync(string id) =>
        (await Json(await _alice.GetAsync($"/api/personas/{id}/versions"), 200))["items"]!.AsArray();

    private Task<JsonObject> GenerateAsync(string id) =>
        GenerationApiTests.GenerateAsync(_alice, new { personaId = id, prompt = "p", platform = "x" });

    private static int Active(JsonArray versions) =>
        versions.Single(v => v!["active"]!.GetValue<bool>())!["version"]!.GetValue<int>();

    [Fact]
    public async Task Versions_list_newest_first_compare_roll_back_and_generation_uses_the_active_one()
    {
        var id = await TwiceTrainedAsync("zqxversions");

        var versions = await VersionsAsync(id);
        Assert.Equal([2, 1], versions.Select(v => v!["version"]!.GetValue<int>()));
        Assert.Equal(2, Active(versions));
        var newest = versions[0]!;
        Assert.StartsWith($"train-{id}-", newest["trainingInstanceId"]!.GetValue<string>());
        Assert.Equal("dryrun", newest["provider"]!.GetValue<string>());
        Assert.StartsWith("/api/blobs/", newest["loraUrl"]!.GetValue<string>());
        Assert.Equal(1.0, newest["scores"]!["faceDetected"]!.GetValue<double>());
        var image = newest["validationImages"]!.AsArray()[0]!;
        Assert.False(string.IsNullOrEmpty(image["prompt"]!.GetValue<string>()));
        Assert.Contains(Uri.EscapeDataString(image["path"]!.GetValue<string>()).Replace("%2F", "/"),
            image["url"]!.GetValue<string>());

        var page = await Json(await _alice.GetAsync($"/api/personas/{id}/versions?limit=1"), 200);
        Assert.Equal((2, 1), (page["total"]!.GetValue<int>(), page["items"]!.AsArray().Count));
        Assert.Equal($"/api/personas/{id}/versions?offset=1&limit=1", page["next"]!.GetValue<string>());

        var compared = await Json(await _alice.GetAsync($"/api/personas/{id}/versions/compare?a=1&b=2"), 200);
        Assert.Equal((1, 2), (compared["a"]!["version"]!.GetValue<int>(), compared["b"]!["version"]!.GetValue<int>()));
        var quality = compared["scoreDeltas"]!["quality"]!.GetValue<double>();
        Assert.Equal(compared["b"]!["scores"]!["quality"]!.GetValue<double>()
            - compared["a"]!["scores"]!["quality"]!.GetValue<double>(), quality, 9);
        Assert.Equal(compared["b"]!["scores"]!["faceConsistency"]!.GetValue<double>()
            - compared["a"]!["scores"]!["faceConsistency"]!.GetValue<double>(),
            compared["scoreDeltas"]!["faceConsistency"]!.GetValue<double>(), 9); // measured on both now

        var rolledBack = await Json(await _alice.PostAsync($"/api/personas/{id}/versions/rollback", null), 200);
        Assert.Equal(1, rolledBack["version"]!.GetValue<int>());
        Assert.True(rolledBack["active"]!.GetValue<bool>());
        Assert.Equal(1, Active(await VersionsAsync(id)));
        var status = await Json(await _alice.GetAsync($"/api/personas/{id}/status"), 200);
        Assert.Equal(1, status["activeVersion"]!.GetValue<int>());

        var generated = await GenerateAsync(id);
        Assert.Equal(1, generated["generation"]!["modelVersion"]!.GetValue<int>());

        await Problem(await _alice.PostAsync($"/api/personas/{id}/versions/rollback", null), 409, "version");
        var activated = await Json(await _alice.PostAsync($"/api/personas/{id}/versions/2/activate", null), 200);
        Assert.True(activated["active"]!.GetValue<bool>());
        Assert.Equal(2, Active(await VersionsAsync(id)));
        generated = await GenerateAsync(id);
        Assert.Equal(2, generated["generation"]!["modelVersion"]!.GetValue<int>());
    }

    [Fact]
    public async Task Unknown_versions_bad_numbers_and_other_owners_are_problems_naming_the_field()
    {
        var id = await GenerationApiTests.ReadyPersonaAsync(_alice, "zqxvermiss");

        var missing = await Problem(await _alice.PostAsync($"/api/personas/{id}/versions/9/activate", null), 404,
            "version");
        Assert.Contains("no version 9", missing["detail"]!.GetValue<string>());
        await Problem(await _alice.PostAsync($"/api/personas/{id}/versions/one/activate", null), 400, "version");
        await Problem(await _alice.GetAsync($"/api/personas/{id}/versions/compare?a=1&b=7"), 404, "b");
        await Problem(await _alice.GetAsync($"/api/personas/{id}/versions/compare?b=1"), 400, "a");
        await Problem(await _alice.GetAsync($"/api/personas/{id}/versions?limit=0"), 400, "limit");
        await Problem(await _alice.PostAsync($"/api/personas/{id}/versions/rollback", null), 409, "version");

        await Problem(await _bob.GetAsync($"/api/personas/{id}/versions"), 404, "personaId");
        await Problem(await _bob.GetAsync($"/api/personas/{id}/versions/compare?a=1&b=1"), 404, "personaId");
        await Problem(await _bob.PostAsync($"/api/personas/{id}/versions/1/activate", null), 404, "personaId");
        await Problem(await _bob.PostAsync($"/api/personas/{id}/versions/rollback", null), 404, "personaId");
    }

    [Fact]
    public async Task A_version_that_failed_validation_cannot_be_activated()
    {
        var id = await GenerationApiTests.ReadyPersonaAsync(_alice, "zqxverfail");
        var catalog = host.App.Services.GetRequiredService<ICatalog>();
        await catalog.UpdatePersonaAsync("alice", id, p => p with
        {
            Models = [.. p.Models, p.Models[0] with
            {
                Version = 2, Validation = p.Models[0].Validation! with { Passed = false, Summary = "failed the gate" },
            }],
        });

        await Problem(await _alice.PostAsync($"/api/personas/{id}/versions/2/activate", null), 409, "version");
        var versions = await VersionsAsync(id);
        Assert.Equal(1, Active(versions));
        Assert.False(versions[0]!["usable"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_persona_trained_before_versions_reads_its_lora_as_active_version_1()
    {
        var id = await GenerationApiTests.ReadyPersonaAsync(_alice, "zqxverold");
        var catalog = host.App.Services.GetRequiredService<ICatalog>();
        // What such a persona holds: its models without a run id, and no active version.
        await catalog.UpdatePersonaAsync("alice", id, p => p with
        {
            ActiveVersion = null, Models = [.. p.Models.Select(m => m with { TrainingInstanceId = null })],
        });

        var version = (await VersionsAsync(id)).Single()!;

        Assert.Equal((1, true), (version["version"]!.GetValue<int>(), version["active"]!.GetValue<bool>()));
        Assert.Null(version["trainingInstanceId"]);
        Assert.NotNull(version["loraUrl"]);
    }

    [Fact]
    public async Task Deleting_the_persona_removes_its_versions()
    {
        var id = await GenerationApiTests.ReadyPersonaAsync(_alice, "zqxverdel");
        Assert.Single(await VersionsAsync(id));

        await PersonaDeletion.DeleteAndWaitAsync(_alice, id);

        await Problem(await _alice.GetAsync($"/api/personas/{id}/versions"), 404, "personaId");
        Assert.Empty(PersonaDeletion.Leftovers(host.DataDir, id));
    }
}
