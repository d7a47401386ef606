using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Personas.Domain.Stores;
using Personas.Functions.Tests.Posts;
using static Personas.Functions.Tests.HttpAssertions;

namespace Personas.Functions.Tests.Hardening.Consent;

/// <summary>
/// Consent is read at the last moment before each use of the likeness, and a withdrawal stops what is under way.
/// "Behind the routes" withdraws in the catalog only, as a withdrawal racing a request does: nothing is canceled
/// for it, so only the last-moment checks can stop the use.
/// </summary>
public sealed class ConsentTests(ConsentApiHost host) : IClassFixture<ConsentApiHost>
{
    private readonly HttpClient _alice = host.Client(ApiHost.AliceKey);

    private Task WithdrawBehindTheRoutesAsync(string personaId) =>
        host.App.Services.GetRequiredService<ICatalog>().UpdatePersonaAsync("alice", personaId, p => p with
        {
            Consent = p.Consent with { WithdrawnAt = host.Clock.GetUtcNow() },
        });

    private async Task<string> StagedPostAsync(string personaId, string type, string platform)
    {
        var post = (await PostFlowTests.GenerateAsync(_alice, personaId, [type], [platform])).Single();
        var id = post["id"]!.GetValue<string>();
        await Json(await _alice.PostAsync($"/api/posts/{id}/approve", null), 202);
        await PostFlowTests.WaitForAsync(_alice, id, "Staged");
        return id;
    }

    private async Task ScheduleInAnHourAsync(string id)
    {
        var at = host.Clock.GetUtcNow().AddHours(1);
        await Json(await _alice.PostAsJsonAsync($"/api/posts/{id}/schedule", new { at }), 202);
        await PostFlowTests.WaitForAsync(_alice, id, "Scheduled");
    }

    private Task<OrchestrationMetadata> LifecycleEndedAsync(string postId) => Eventually.GetAsync(async () =>
        await host.App.Services.GetRequiredService<DurableTaskClient>()
            .GetInstanceAsync($"post-{postId}", getInputsAndOutputs: true) is { IsRunning: false } ended ? ended : null,
        $"post {postId}'s lifecycle to end");

    [Fact]
    public async Task Approve_schedule_and_publish_now_read_consent_when_asked()
    {
        var personaId = await GenerationApiTests.ReadyPersonaAsync(_alice, "zqxasked");
        var staged = await StagedPostAsync(personaId, "single", "linkedin");
        var waiting = (await PostFlowTests.GenerateAsync(_alice, personaId, ["quote"], ["linkedin"])).Single()["id"]!
            .GetValue<string>();
        await WithdrawBehindTheRoutesAsync(personaId);

        await Problem(await _alice.PostAsync($"/api/posts/{waiting}/approve", null), 409, "consent");
        var at = host.Clock.GetUtcNow().AddHours(1);
        await Problem(await _alice.PostAsJsonAsync($"/api/posts/{staged}/schedule", new { at }), 409, "consent");
        await Problem(await _alice.PostAsync($"/api/posts/{staged}/publish-now", null), 409, "consent");
        var bulk = await Json(
            await _alice.PostAsJsonAsync("/api/posts/bulk/publish-now", new { ids = new[] { staged } }), 200);
        Assert.Equal(409, bulk["results"]![0]!["status"]!.GetValue<int>());
        await PostFlowTests.WaitForAsync(_alice, waiting, "AwaitingApproval");
        Assert.Null((await Json(await _alice.GetAsync($"/api/posts/{staged}"), 200))["publication"]);
    }

    [Fact]
    public async Task A_scheduled_post_is_canceled_by_the_withdrawal_with_its_reason_and_never_published()
    {
        var personaId = await GenerationApiTests.ReadyPersonaAsync(_alice, "zqxsched");
        var id = await StagedPostAsync(personaId, "quote", "x");
        await ScheduleInAnHourAsync(id);

        var withdrawn = await Json(
            await _alice.PostAsJsonAsync($"/api/personas/{personaId}/consent/withdraw", new { reason = "asked" }), 200);
        Assert.NotNull(withdrawn["consent"]!["withdrawnAt"]);
        var post = await Json(await _alice.GetAsync($"/api/posts/{id}"), 200); // canceled before the answer came
        Assert.Equal("Canceled", post["status"]!.GetValue<string>());
        Assert.Equal("consent withdrawn", post["cancelReason"]!.GetValue<string>());
        Assert.Null(post["scheduledAt"]);
        var lifecycle = await LifecycleEndedAsync(id); // the Cancel event ended it: no timer is left to publish
        Assert.Equal(OrchestrationRuntimeStatus.Completed, lifecycle.RuntimeStatus);
        Assert.Equal("\"Canceled\"", lifecycle.SerializedOutput, ignoreCase: true);

        await Problem(await _alice.PostAsync($"/api/posts/{id}/publish-now", null), 409, "consent");
        post = await Json(await _alice.GetAsync($"/api/posts/{id}"), 200);
        Assert.Equal("Canceled", post["status"]!.GetValue<string>());
        Assert.DoesNotContain(host.Social.Tweets, t => t.ToJsonString().Contains("zqxsched"));
    }

    [Fact]
    public async Task A_post_due_after_a_withdrawal_behind_the_routes_is_canceled_at_publishing_time()
    {
        var personaId = await GenerationApiTests.ReadyPersonaAsync(_alice, "zqxdue");
        var id = await StagedPostAsync(personaId, "single", "linkedin"); // the outbox: no account needed
        await ScheduleInAnHourAsync(id);
        await WithdrawBehindTheRoutesAsync(personaId);

        host.Clock.Advance(TimeSpan.FromMinutes(61));
        var post = await PostFlowTests.WaitForAsync(_alice, id, "Canceled", "Published");
        Assert.Equal("Canceled", post["status"]!.GetValue<string>());
        Assert.Contains("withdrawn", post["cancelReason"]!.GetValue<string>());
        Assert.Null(post["publication"]);
        Assert.False(Directory.Exists(Path.Combine(host.DataDir, "outbox", "alice", id)));
        Assert.Equal("\"Canceled\"", (await LifecycleEndedAsync(id)).SerializedOutput, ignoreCase: true);
    }

    /// <summary>A ready persona and a generation of it held at the gate, rendering.</summary>
    private async Task<(string PersonaId, string GenerationId)> GenerationAtTheGateAsync(string trigger)
    {
        host.Gate.Close();
        var personaId = await GenerationApiTests.ReadyPersonaAsync(_alice, trigger);
        var accepted = await Json(await _alice.PostAsJsonAsync("/api/generate-with-persona",
            new { personaId, prompt = $"{trigger} {PictureGate.Marker} portrait", platform = "x", seed = 7 }), 202);
        await host.Gate.WaitEnteredAsync();
        return (personaId, accepted["generationId"]!.GetValue<string>());
    }

    private Task<JsonObject> GenerationEndedAsync(string generationId, params string[] statuses) =>
        Eventually.GetAsync(async () =>
        {
            var status = (await _alice.GetFromJsonAsync<JsonObject>($"/api/instances/gen-{generationId}"))!;
            return statuses.Contains(status["runtimeStatus"]!.GetValue<string>()) ? status : null;
        }, $"generation {generationId} to become {string.Join(" or ", statuses)}");

    [Fact]
    public async Task A_generation_whose_consent_is_withdrawn_while_it_renders_stores_no_image_and_fails_saying_why()
    {
        var (personaId, generationId) = await GenerationAtTheGateAsync("zqxflight");
        await WithdrawBehindTheRoutesAsync(personaId);
        host.Gate.Open();

        var ended = await GenerationEndedAsync(generationId, "Completed", "Failed");
        Assert.Equal("Failed", ended["runtimeStatus"]!.GetValue<string>());
        Assert.Contains("withdrawn", ended["failureDetails"]!.ToJsonString());
        Assert.False(Directory.Exists(
            Path.Combine(host.DataDir, "blobs", "alice", personaId, "generations", generationId)));
        await Problem(await _alice.GetAsync($"/api/generations/{generationId}"), 404, "generationId");
    }

    [Fact]
    public async Task Withdrawal_terminates_a_generation_in_flight()
    {
        var (personaId, generationId) = await GenerationAtTheGateAsync("zqxstop");
        await Json(await _alice.PostAsJsonAsync($"/api/personas/{personaId}/consent/withdraw", new { }), 200);
        await GenerationEndedAsync(generationId, "Terminated");
        host.Gate.Open();
        await Problem(await _alice.GetAsync($"/api/generations/{generationId}"), 404, "generationId");
    }
}
