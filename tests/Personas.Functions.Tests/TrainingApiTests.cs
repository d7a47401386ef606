using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Personas.TestPhotos;
using static Personas.Functions.Tests.HttpAssertions;
using static Personas.Functions.Tests.PersonaApiTests;

namespace Personas.Functions.Tests;

/// <summary>The host with no provider configured, so the labelled dry-run provider trains, in one second.</summary>
public sealed class DryRunApiHost : ApiHost
{
    protected override Task<IDictionary<string, string?>> ExtraSettingsAsync() =>
        Task.FromResult<IDictionary<string, string?>>(new Dictionary<string, string?> { ["Personas:Training:DryRunSeconds"] = "1" });
}

/// <summary>A dry run slower than the training timeout, so runs time out.</summary>
public sealed class TimeoutApiHost : ApiHost
{
    protected override Task<IDictionary<string, string?>> ExtraSettingsAsync() => Task.FromResult<IDictionary<string, string?>>(new Dictionary<string, string?>
    {
        ["Personas:Training:DryRunSeconds"] = "600",
        ["Personas:Training:TimeoutMinutes"] = "0.03", // 1.8 s
    });
}

public sealed class TrainingTimeoutTests(TimeoutApiHost host) : IClassFixture<TimeoutApiHost>
{
    [Fact]
    public async Task A_run_past_the_timeout_is_canceled_and_fails_the_persona()
    {
        var alice = host.Client(ApiHost.AliceKey);
        var id = await TrainingApiTests.PersonaWithPhotosAsync(alice, "zqxtimeout");
        await Json(await alice.PostAsync($"/api/personas/{id}/train", null), 202);
        var failed = await TrainingApiTests.WaitForStatusAsync(alice, id, "Failed", "Ready");
        Assert.Equal("Failed", failed["status"]!.GetValue<string>());
        Assert.Contains("did not finish within 0.03 minutes and was canceled", failed["reason"]!.GetValue<string>());
    }
}

public sealed class TrainingApiTests(DryRunApiHost host) : IClassFixture<DryRunApiHost>
{
    private readonly HttpClient _alice = host.Client(ApiHost.AliceKey);
    private readonly HttpClient _bob = host.Client(ApiHost.BobKey);

    internal static async Task<string> PersonaWithPhotosAsync(HttpClient client, string trigger)
    {
        var id = await CreateAsync(client, trigger);
        await Json(await client.PostAsync($"/api/personas/{id}/photos", Files(("front.jpg", Samples.Load("obama.jpg")), ("speech.jpg", Samples.Load("obama2.jpg")))), 201);
        return id;
    }

    internal static Task<JsonObject> WaitForStatusAsync(HttpClient client, string id, params string[] statuses) => Eventually.GetAsync(async () =>
    {
        var status = await Json(await client.GetAsync($"/api/personas/{id}/status"), 200);
        return statuses.Contains(status["status"]!.GetValue<string>()) ? status : null;
    }, $"persona {id} to become {string.Join(" or ", statuses)}");

    [Fact]
    public async Task Training_on_dryrun_prepares_the_dataset_trains_copies_labelled_weights_and_retraining_adds_a_version()
    {
        var id = await PersonaWithPhotosAsync(_alice, "zqxtrain");
        var started = await Json(await _alice.PostAsync($"/api/personas/{id}/train", JsonContent.Create(new { steps = 500 })), 202);
        Assert.StartsWith($"train-{id}-", started["id"]!.GetValue<string>());

        var ready = await WaitForStatusAsync(_alice, id, "Ready", "Failed");
        Assert.Equal("Ready", ready["status"]!.GetValue<string>());
        Assert.Equal("dryrun", ready["provider"]!.GetValue<string>());
        Assert.Equal(500, ready["totalSteps"]!.GetValue<int>());
        var model = ready["models"]!.AsArray().Single()!;
        Assert.Equal(1, model["version"]!.GetValue<int>());
        Assert.Equal("dryrun", model["provider"]!.GetValue<string>());

        // The weights are in our store, and they are a valid safetensors file that says what it is.
        var weights = await File.ReadAllBytesAsync(Path.Combine(host.DataDir, "blobs", model["weightsBlob"]!.GetValue<string>()));
        var headerLength = (int)BitConverter.ToUInt64(weights, 0);
        var header = JsonNode.Parse(Encoding.UTF8.GetString(weights, 8, headerLength))!;
        Assert.Equal("dryrun", header["__metadata__"]!["provider"]!.GetValue<string>());
        var tensor = header["lora_unet_dryrun.lora_down.weight"]!;
        Assert.Equal(weights.Length - 8 - headerLength, tensor["data_offsets"]![1]!.GetValue<int>());

        await Json(await _alice.PostAsync($"/api/personas/{id}/train", null), 202);
        // The persona is still Ready from version 1 until the new run starts, so wait for the run's own outcome.
        var again = await Eventually.GetAsync(async () =>
        {
            var status = await Json(await _alice.GetAsync($"/api/personas/{id}/status"), 200);
            return status["status"]!.GetValue<string>() == "Failed" || status["models"]!.AsArray().Count == 2 && status["status"]!.GetValue<string>() == "Ready" ? status : null;
        }, "the second version");
        Assert.Equal([1, 2], again["models"]!.AsArray().Select(m => m!["version"]!.GetValue<int>()));
    }

    [Fact]
    public async Task A_cancel_stops_the_run_and_fails_the_persona_with_the_reason()
    {
        var id = await PersonaWithPhotosAsync(_alice, "zqxcancel");
        await Json(await _alice.PostAsync($"/api/personas/{id}/train", JsonContent.Create(new { steps = 10_000 })), 202);
        await WaitForStatusAsync(_alice, id, "Training");
        await Json(await _alice.PostAsync($"/api/personas/{id}/train/cancel", JsonContent.Create(new { reason = "changed my mind" })), 202);

        var failed = await WaitForStatusAsync(_alice, id, "Failed", "Ready");
        Assert.Equal("Failed", failed["status"]!.GetValue<string>());
        Assert.Contains("Canceled by the owner: changed my mind", failed["reason"]!.GetValue<string>());
        Assert.Empty(failed["models"]!.AsArray());
        await Problem(await _alice.PostAsync($"/api/personas/{id}/train/cancel", null), 409, "personaId");
    }

    [Theory]
    [InlineData("""{"steps": 5}""", "steps")]
    [InlineData("""{"steps": 100.5}""", "steps")]
    [InlineData("""{"learningRate": "fast"}""", "learningRate")]
    [InlineData("""{"provider": "midjourney"}""", "provider")]
    [InlineData("""{"epochs": 3}""", "epochs")]
    [InlineData("""[1, 2]""", "body")]
    public async Task Bad_training_settings_are_refused_by_field_before_anything_starts(string body, string field)
    {
        var id = await CreateAsync(_alice, $"zqxbad{field.ToLowerInvariant()[..3]}{body.Length}");
        await Problem(await _alice.PostAsync($"/api/personas/{id}/train", new StringContent(body, Encoding.UTF8, "application/json")), 400, field);
        var persona = await Json(await _alice.GetAsync($"/api/personas/{id}"), 200);
        Assert.Equal("Draft", persona["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Training_is_refused_without_consent_and_for_another_owners_persona()
    {
        var id = await PersonaWithPhotosAsync(_alice, "zqxconsent");
        await Problem(await _bob.PostAsync($"/api/personas/{id}/train", null), 404, "personaId");
        await Problem(await _bob.GetAsync($"/api/personas/{id}/status"), 404, "personaId");
        await Json(await _alice.PostAsync($"/api/personas/{id}/consent/withdraw", null), 200);
        await Problem(await _alice.PostAsync($"/api/personas/{id}/train", null), 403, "consent");
    }
}
