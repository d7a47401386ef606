using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Personas.Domain.Analytics;
using Personas.Domain.Posts;
using Personas.Domain.Stores;
using Personas.Functions.Tests.Posts;
using Personas.TestPhotos;
using static Personas.Functions.Tests.HttpAssertions;

namespace Personas.Functions.Tests.OpenApi;

/// <summary>
/// Real answers from the running host on the dry-run flow (persona, photos, training, generation, posts from draft
/// to scheduled, lists, instances, brand kit, health), each checked against the schema the document gives for its
/// route and status: every property a client receives must be declared.
/// </summary>
public sealed class OpenApiResponsesTests(PostsApiHost host) : IClassFixture<PostsApiHost>
{
    private readonly HttpClient _alice = host.Client(ApiHost.AliceKey);
    private readonly List<string> _undeclared = [];
    private JsonObject _doc = null!;
    private SchemaWalker _walker = null!;

    /// <summary>Checks one answer against the document; returns its body for the flow to go on with.</summary>
    private async Task<JsonNode?> CheckAsync(HttpResponseMessage response, string method, string template,
        int status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == (int)response.StatusCode,
            $"{method} {template}: expected {status}, got {(int)response.StatusCode}: {text}");
        var media = response.Content.Headers.ContentType?.MediaType ?? "";
        var operation = _doc["paths"]?[template]?[method.ToLowerInvariant()];
        Assert.True(operation is not null, $"{method} {template} is not in the document");
        var schema = operation!["responses"]?[status.ToString()]?["content"]?[media]?["schema"];
        Assert.True(schema is not null, $"{method} {template} {status} {media} has no schema in the document");
        var body = text.Length == 0 ? null : JsonNode.Parse(text);
        _undeclared.AddRange(_walker.Undeclared(body, schema, $"{method} {template} {status}"));
        return body;
    }

    [Fact]
    public async Task Real_answers_on_the_dry_run_flow_declare_every_field()
    {
        _doc = await OpenApiRoutesTests.DocumentAsync(host.Client(null));
        _walker = new SchemaWalker(_doc);
        var (posts, persona) = ("/api/posts/{postId}", "/api/personas/{personaId}");

        await CheckAsync(await host.Client(null).GetAsync("/api/health/live"), "GET", "/api/health/live", 200);
        await CheckAsync(await _alice.GetAsync("/api/health"), "GET", "/api/health", 200);
        var created = await CheckAsync(await _alice.PostAsJsonAsync("/api/personas",
            PersonaApiTests.NewPersona("zqxdoc")), "POST", "/api/personas", 201);
        var id = created!["id"]!.GetValue<string>();
        await CheckAsync(await _alice.PostAsync($"/api/personas/{id}/photos", PersonaApiTests.Files(
                ("front.jpg", Samples.Load("obama.jpg")), ("speech.jpg", Samples.Load("obama2.jpg")))),
            "POST", $"{persona}/photos", 201);
        await CheckAsync(await _alice.PostAsync($"/api/personas/{id}/photos", PersonaApiTests.Files(
            ("again.jpg", Samples.Load("obama.jpg")))), "POST", $"{persona}/photos", 422);
        await CheckAsync(await _alice.GetAsync($"/api/personas/{id}/photos"), "GET", $"{persona}/photos", 200);
        await CheckAsync(await _alice.PostAsync($"/api/personas/{id}/train", null), "POST", $"{persona}/train", 202);
        await TrainingApiTests.WaitForStatusAsync(_alice, id, "Ready", "Failed");
        await CheckAsync(await _alice.GetAsync($"/api/personas/{id}"), "GET", persona, 200);
        await CheckAsync(await _alice.GetAsync("/api/personas"), "GET", "/api/personas", 200);
        await CheckAsync(await _alice.GetAsync($"/api/personas/{id}/status"), "GET", $"{persona}/status", 200);
        await CheckAsync(await _alice.GetAsync($"/api/personas/{id}/costs"), "GET", $"{persona}/costs", 200);
        await CheckAsync(await _alice.GetAsync("/api/audit"), "GET", "/api/audit", 200);
        var versions = $"{persona}/versions";
        await CheckAsync(await _alice.GetAsync($"/api/personas/{id}/versions"), "GET", versions, 200);
        await CheckAsync(await _alice.GetAsync($"/api/personas/{id}/versions/compare?a=1&b=1"), "GET",
            $"{versions}/compare", 200);
        await CheckAsync(await _alice.PostAsync($"/api/personas/{id}/versions/1/activate", null), "POST",
            $"{versions}/{{version}}/activate", 200);
        await CheckAsync(await _alice.PostAsync($"/api/personas/{id}/versions/rollback", null), "POST",
            $"{versions}/rollback", 409);

        var generation = await CheckAsync(await _alice.PostAsJsonAsync("/api/generate-with-persona",
            new { personaId = id, prompt = "zqxdoc on a stage", platform = "square" }),
            "POST", "/api/generate-with-persona", 202);
        var generationId = generation!["generationId"]!.GetValue<string>();
        await Eventually.GetAsync(async () =>
            (await _alice.GetAsync($"/api/generations/{generationId}")).IsSuccessStatusCode ? "" : null, "generation");
        await CheckAsync(await _alice.GetAsync($"/api/generations/{generationId}"), "GET",
            "/api/generations/{generationId}", 200);
        await CheckAsync(await _alice.GetAsync($"/api/personas/{id}/generations"), "GET", $"{persona}/generations",
            200);

        var pictures = await CheckAsync(await _alice.PostAsJsonAsync($"/api/personas/{id}/batches",
            new { template = "zqxdoc at {place}", variations = new { place = new[] { "a desk" } }, platform = "x" }),
            "POST", $"{persona}/batches", 202);
        var batchUri = pictures!["batch"]!["resultUri"]!.GetValue<string>();
        await Eventually.GetAsync(async () => (await _alice.GetFromJsonAsync<JsonObject>(batchUri))!["batch"]!
            ["status"]!.GetValue<string>() == "Completed" ? "" : null, "batch");
        await CheckAsync(await _alice.GetAsync(batchUri), "GET", $"{persona}/batches/{{batchId}}", 200);
        await CheckAsync(await _alice.GetAsync($"/api/personas/{id}/batches"), "GET", $"{persona}/batches", 200);
        await CheckAsync(await _alice.PostAsync($"{batchUri}/pause", null), "POST",
            $"{persona}/batches/{{batchId}}/pause", 409);

        var batch = await CheckAsync(await _alice.PostAsJsonAsync("/api/posts/generate-smart", new
        {
            projectTitle = "Launch week", transcript = "We shipped the new editor. Small releases get feedback sooner.",
            settings = new { contentTypes = new[] { "carousel" }, platforms = new[] { "instagram" }, personaId = id,
                usePersona = true },
        }), "POST", "/api/posts/generate-smart", 202);
        var postId = batch!["posts"]![0]!["id"]!.GetValue<string>();
        await PostFlowTests.WaitForAsync(_alice, postId, "AwaitingApproval");
        var draft = await CheckAsync(await _alice.GetAsync($"/api/posts/{postId}"), "GET", posts, 200);
        // One name in every state: present and null before scheduling, a time after.
        Assert.True(draft!.AsObject().ContainsKey("scheduledAt") && draft["scheduledAt"] is null);
        await CheckAsync(await _alice.PatchAsJsonAsync($"/api/posts/{postId}", new { caption = "Five lessons." }),
            "PATCH", posts, 200);
        await CheckAsync(await _alice.PostAsJsonAsync($"/api/posts/{postId}/approve", new { }), "POST",
            $"{posts}/approve", 202);
        await PostFlowTests.WaitForAsync(_alice, postId, "Staged");
        var past = await CheckAsync(await _alice.PostAsJsonAsync($"/api/posts/{postId}/schedule",
            new { at = host.Clock.GetUtcNow().AddDays(-1) }), "POST", $"{posts}/schedule", 400);
        Assert.NotNull(past!["errors"]!["at"]);
        await CheckAsync(await _alice.PostAsJsonAsync($"/api/posts/{postId}/schedule",
            new { at = host.Clock.GetUtcNow().AddHours(2) }), "POST", $"{posts}/schedule", 202);
        var best = await CheckAsync(await _alice.PostAsJsonAsync($"/api/posts/{postId}/schedule",
            new { bestTime = true }), "POST", $"{posts}/schedule", 202);
        Assert.Equal("default", best!["bestTime"]!.GetValue<string>());
        await PostFlowTests.WaitForAsync(_alice, postId, "Scheduled");
        var scheduled = await CheckAsync(await _alice.GetAsync($"/api/posts/{postId}"), "GET", posts, 200);
        Assert.NotNull(scheduled!["scheduledAt"]);
        await CheckAsync(await _alice.GetAsync("/api/posts"), "GET", "/api/posts", 200);
        await host.App.Services.GetRequiredService<IAnalyticsCatalog>().SaveSampleAsync(new EngagementSample("alice",
            postId, id, SocialPlatform.Instagram, "outbox", DateTimeOffset.UtcNow, 1, DateTimeOffset.UtcNow,
            new EngagementCounts(1, null, 2, 3, 4, 5, null)) { Label = "dry-run" });
        await CheckAsync(await _alice.GetAsync($"/api/analytics/posts/{postId}"), "GET",
            "/api/analytics/posts/{postId}", 200);
        await CheckAsync(await _alice.GetAsync($"/api/analytics/personas/{id}"), "GET",
            "/api/analytics/personas/{personaId}", 200);
        await CheckAsync(await _alice.PostAsJsonAsync("/api/posts/bulk/approve", new { ids = new[] { postId } }),
            "POST", "/api/posts/bulk/{action}", 200);
        await CheckAsync(await _alice.PutAsJsonAsync("/api/brand-kit", new { watermark = "@zqxdoc" }), "PUT",
            "/api/brand-kit", 200);
        await CheckAsync(await _alice.GetAsync("/api/brand-kit"), "GET", "/api/brand-kit", 200);

        await CheckAsync(await _alice.PatchAsJsonAsync($"/api/personas/{id}/profile",
            new { restrictions = new[] { "crypto" } }), "PATCH", $"{persona}/profile", 200);
        var chat = await CheckAsync(await _alice.PostAsJsonAsync($"/api/personas/{id}/chat",
            new { message = "What should I post?" }), "POST", $"{persona}/chat", 200);
        await CheckAsync(await _alice.PostAsJsonAsync($"/api/personas/{id}/chat", new { message = "Buy crypto?" }),
            "POST", $"{persona}/chat", 422);
        await CheckAsync(await _alice.GetAsync($"/api/personas/{id}/conversations"), "GET",
            $"{persona}/conversations", 200);
        await CheckAsync(await _alice.GetAsync($"/api/personas/{id}/conversations/{chat!["conversationId"]}"),
            "GET", $"{persona}/conversations/{{conversationId}}", 200);
        await CheckAsync(await _alice.PostAsJsonAsync("/api/personas/generate", new { brief = "A trail runner" }),
            "POST", "/api/personas/generate", 200);

        var instances = await CheckAsync(await _alice.GetAsync("/api/instances?showInput=true"), "GET",
            "/api/instances", 200);
        var finished = instances!.AsArray().First(i => i!["runtimeStatus"]!.GetValue<string>() == "Completed");
        await CheckAsync(await _alice.GetAsync($"/api/instances/{finished!["instanceId"]}?showHistory=true"), "GET",
            "/api/instances/{instanceId}", 200);
        await CheckAsync(await _alice.GetAsync("/api/personas/nobody"), "GET", persona, 404);

        Assert.True(_undeclared.Count == 0, "undeclared in the document:\n" + string.Join("\n", _undeclared));

        // The check can fail: a field taken out of the post's schema, at the top or nested, is reported.
        var post = _walker.Resolve(_doc["paths"]![posts]!["get"]!["responses"]!["200"]!["content"]!
            ["application/json"]!["schema"]!.AsObject());
        post["properties"]!.AsObject().Remove("scheduledAt");
        var asset = _walker.Resolve(_walker.Resolve(post["properties"]!["revisions"]!["items"]!.AsObject())
            ["properties"]!["assets"]!["items"]!.AsObject());
        asset["properties"]!.AsObject().Remove("width");
        var found = _walker.Undeclared(scheduled, post);
        Assert.Contains("$.scheduledAt", found);
        Assert.Contains("$.revisions[0].assets[0].width", found);
    }
}
