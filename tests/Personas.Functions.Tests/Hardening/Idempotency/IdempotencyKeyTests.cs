using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Personas.Functions.Tests.Posts;
using static Personas.Functions.Tests.HttpAssertions;

namespace Personas.Functions.Tests.Hardening.Idempotency;

/// <summary>
/// Idempotency-Key on every POST that starts work or spends money: the same key and request replays the first
/// answer (and does the work once); the same key with another request is 422 naming the header, not a replay.
/// </summary>
public sealed class IdempotencyKeyTests(PostsApiHost host) : IClassFixture<PostsApiHost>
{
    private readonly HttpClient _alice = host.Client(ApiHost.AliceKey);

    private Task<HttpResponseMessage> PostAsync(string path, object? body, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = body is null ? null : JsonContent.Create(body),
        };
        request.Headers.Add("Idempotency-Key", key);
        return _alice.SendAsync(request);
    }

    private static bool Replayed(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Idempotent-Replayed", out var values) && values.Single() == "true";

    /// <summary>Sends the request twice with one key: the second is a replay of the first, body for body.</summary>
    private async Task<JsonObject> TwiceAsync(string path, object? body, string key)
    {
        var firstResponse = await PostAsync(path, body, key);
        var first = await Json(firstResponse, 202);
        Assert.False(Replayed(firstResponse));
        var secondResponse = await PostAsync(path, body, key);
        var second = await Json(secondResponse, 202);
        Assert.True(Replayed(secondResponse));
        Assert.Equal(Settled(first), Settled(second));
        return first;
    }

    /// <summary>The answer without the instance's live state, which a replay reports as it is now.</summary>
    private static string Settled(JsonObject answer)
    {
        var copy = answer.DeepClone().AsObject();
        foreach (var holder in new[] { copy, copy["instance"] as JsonObject })
        {
            holder?.Remove("runtimeStatus");
            holder?.Remove("customStatus");
        }
        return copy.ToJsonString();
    }

    private async Task RefusedAsync(string path, object? body, string key)
    {
        var response = await PostAsync(path, body, key);
        await Problem(response, 422, "Idempotency-Key");
        Assert.False(Replayed(response));
    }

    private static object Smart(string title) => new
    {
        projectTitle = title,
        transcript = "Consistency beats intensity. Small releases get feedback sooner. Show the work every week.",
        settings = new { contentTypes = new[] { "single", "quote" }, platforms = new[] { "linkedin" } },
    };

    [Fact]
    public async Task Two_generate_with_persona_calls_with_one_key_make_one_generation()
    {
        var personaId = await GenerationApiTests.ReadyPersonaAsync(_alice, "zqxonce");
        var key = Guid.NewGuid().ToString();
        var body = new { personaId, prompt = "zqxonce at a desk", platform = "x" }; // no seed: the drawn one replays
        var first = await TwiceAsync("/api/generate-with-persona", body, key);
        var other = new { personaId, prompt = "zqxonce outside", platform = "x" };
        await RefusedAsync("/api/generate-with-persona", other, key);

        var generationId = first["generationId"]!.GetValue<string>();
        await Eventually.GetAsync(async () =>
            (await _alice.GetAsync($"/api/generations/{generationId}")).IsSuccessStatusCode ? "" : null,
            "the generation");
        var list = await Json(await _alice.GetAsync($"/api/personas/{personaId}/generations"), 200);
        Assert.Single(list["items"]!.AsArray());
        var again = await Json(await PostAsync("/api/generate-with-persona", body, key), 202); // finished, it replays
        Assert.Equal(generationId, again["generationId"]!.GetValue<string>());
    }

    [Fact]
    public async Task Dataset_and_train_with_one_key_start_one_run_each_and_replay_after_it_ends()
    {
        var personaId = await TrainingApiTests.PersonaWithPhotosAsync(_alice, "zqxkeyrun");
        await TwiceAsync($"/api/personas/{personaId}/dataset", null, Guid.NewGuid().ToString());
        await TrainingApiTests.WaitForStatusAsync(_alice, personaId, "Prepared", "Failed");

        var key = Guid.NewGuid().ToString();
        var train = $"/api/personas/{personaId}/train";
        var first = await TwiceAsync(train, new { steps = 500 }, key);
        await RefusedAsync(train, new { steps = 600 }, key);
        var ready = await TrainingApiTests.WaitForStatusAsync(_alice, personaId, "Ready", "Failed");
        Assert.Equal("Ready", ready["status"]!.GetValue<string>());

        // After the run, the key still replays it instead of training version 2.
        var late = await PostAsync(train, new { steps = 500 }, key);
        Assert.True(Replayed(late));
        Assert.Equal(first["id"]!.GetValue<string>(), (await Json(late, 202))["id"]!.GetValue<string>());
        var status = await Json(await _alice.GetAsync($"/api/personas/{personaId}/status"), 200);
        Assert.Single(status["models"]!.AsArray());
    }

    [Fact]
    public async Task Generate_smart_with_one_key_writes_one_batch()
    {
        var key = Guid.NewGuid().ToString();
        var first = await TwiceAsync("/api/posts/generate-smart", Smart("Once"), key);
        await RefusedAsync("/api/posts/generate-smart", Smart("Twice"), key);
        var batchId = first["batchId"]!.GetValue<string>();
        foreach (var post in first["posts"]!.AsArray())
            await PostFlowTests.WaitForAsync(_alice, post!["id"]!.GetValue<string>(), "AwaitingApproval");
        var batch = await Json(await _alice.GetAsync($"/api/posts?batchId={batchId}"), 200);
        Assert.Equal(2, batch["total"]!.GetValue<int>());
        var all = await Json(await _alice.GetAsync("/api/posts?limit=100"), 200);
        Assert.Equal(2, all["items"]!.AsArray().Count(p => p!["projectTitle"]!.GetValue<string>() == "Once"));
    }

    [Fact]
    public async Task Regenerate_with_one_key_writes_one_revision()
    {
        var id = (await PostFlowTests.GenerateAsync(_alice, null, ["single"], ["linkedin"])).Single()["id"]!
            .GetValue<string>();
        var key = Guid.NewGuid().ToString();
        var first = await TwiceAsync($"/api/posts/{id}/regenerate", new { feedback = "Shorter" }, key);
        await RefusedAsync($"/api/posts/{id}/regenerate", new { feedback = "Longer" }, key);
        Assert.Equal(2, first["revision"]!.GetValue<int>());

        var instance = first["instance"]!["id"]!.GetValue<string>();
        await Eventually.GetAsync(async () =>
            (await _alice.GetFromJsonAsync<JsonObject>($"/api/instances/{instance}"))!["runtimeStatus"]!
                .GetValue<string>() == "Completed" ? "" : null,
            "the regeneration");
        await Json(await PostAsync($"/api/posts/{id}/regenerate", new { feedback = "Shorter" }, key), 202); // finished
        var post = await Json(await _alice.GetAsync($"/api/posts/{id}"), 200);
        Assert.Equal(2, post["revisions"]!.AsArray().Count);
    }

    [Fact]
    public async Task Publish_now_with_one_key_publishes_once()
    {
        var ids = (await PostFlowTests.GenerateAsync(_alice, null, ["single", "quote"], ["linkedin"]))
            .Select(p => p["id"]!.GetValue<string>()).ToList();
        foreach (var id in ids) await Json(await _alice.PostAsync($"/api/posts/{id}/approve", null), 202);
        foreach (var id in ids) await PostFlowTests.WaitForAsync(_alice, id, "Staged");
        var key = Guid.NewGuid().ToString();
        var first = await TwiceAsync($"/api/posts/{ids[0]}/publish-now", null, key);
        Assert.Equal("publish-now", first["action"]!.GetValue<string>());
        await RefusedAsync($"/api/posts/{ids[1]}/publish-now", null, key); // the key was for the other post

        var published = await PostFlowTests.WaitForAsync(_alice, ids[0], "Published");
        Assert.Single(published["attempts"]!.AsArray());
        await Json(await PostAsync($"/api/posts/{ids[0]}/publish-now", null, key), 202); // still a replay, not a 409
        var untouched = await Json(await _alice.GetAsync($"/api/posts/{ids[1]}"), 200);
        Assert.Equal("Staged", untouched["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Bulk_routes_refuse_a_key_and_the_instance_api_refuses_a_reused_one_without_the_replay_header()
    {
        await Problem(await PostAsync("/api/posts/bulk/approve", new { ids = new[] { "p1" } }, "k-1"), 400,
            "Idempotency-Key");
        var generation = new { personaId = "p", prompt = "p", platform = "x" };
        await Problem(await PostAsync("/api/generate-with-persona", generation, "has space"), 400, "Idempotency-Key");

        var key = Guid.NewGuid().ToString();
        await TwiceAsync("/api/orchestrators/RuntimeDemo", new { sentences = new[] { "one two" } }, key);
        await RefusedAsync("/api/orchestrators/RuntimeDemo", new { sentences = new[] { "three" } }, key);
    }
}
