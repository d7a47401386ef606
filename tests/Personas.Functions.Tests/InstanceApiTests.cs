using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using static Personas.Functions.Tests.HttpAssertions;

namespace Personas.Functions.Tests;

public sealed class InstanceApiTests(ApiHost host) : IClassFixture<ApiHost>
{
    private readonly HttpClient _alice = host.Client(ApiHost.AliceKey);
    private readonly HttpClient _bob = host.Client(ApiHost.BobKey);
    private static readonly object DemoInput = new { sentences = new[] { "one two three", "four five" } };

    private static Task<HttpResponseMessage> Start(HttpClient client, object? body = null, string? instanceId = null, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/orchestrators/RuntimeDemo{(instanceId is null ? "" : "/" + instanceId)}")
        {
            Content = JsonContent.Create(body ?? DemoInput),
        };
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        return client.SendAsync(request);
    }

    private static Task<JsonObject> WaitForStep(HttpClient client, string id, string step) => Eventually.GetAsync(async () =>
        (await client.GetFromJsonAsync<JsonObject>($"/api/instances/{id}"))! is var status && status["customStatus"]?["step"]?.GetValue<string>() == step ? status : null,
        $"{id} to reach {step}", seconds: 30);

    [Fact]
    public async Task Start_returns_202_with_Location_RetryAfter_and_the_Durable_Functions_management_payload()
    {
        var response = await Start(_alice);
        var payload = await Json(response, 202);
        var id = payload["id"]!.GetValue<string>();
        Assert.Equal(payload["statusQueryGetUri"]!.GetValue<string>(), response.Headers.Location!.ToString());
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.EndsWith($"/api/instances/{id}", payload["statusQueryGetUri"]!.GetValue<string>());
        Assert.EndsWith($"/api/instances/{id}/raiseEvent/{{eventName}}", payload["sendEventPostUri"]!.GetValue<string>());
        Assert.Contains($"/api/instances/{id}/terminate", payload["terminatePostUri"]!.GetValue<string>());
        Assert.EndsWith($"/api/instances/{id}", payload["purgeHistoryDeleteUri"]!.GetValue<string>());
        Assert.NotNull(payload["runtimeStatus"]);
    }

    [Fact]
    public async Task Whole_flow_over_http_start_progress_event_completion_history()
    {
        var started = await Json(await Start(_alice), 202);
        var id = started["id"]!.GetValue<string>();
        var waiting = await WaitForStep(_alice, id, "awaiting-approval");
        Assert.Equal("Running", waiting["runtimeStatus"]!.GetValue<string>());

        var raise = await _alice.PostAsJsonAsync($"/api/instances/{id}/raiseEvent/Approve", "ann");
        Assert.Equal(HttpStatusCode.Accepted, raise.StatusCode);
        var done = await WaitForStep(_alice, id, "done");
        var final = await Json(await _alice.GetAsync($"/api/instances/{id}?showHistory=true"), 200);
        Assert.Equal("Completed", final["runtimeStatus"]!.GetValue<string>());
        Assert.Equal(5, final["output"]!["words"]!.GetValue<int>());
        Assert.Equal("ann", final["output"]!["approvedBy"]!.GetValue<string>());
        Assert.Contains(final["historyEvents"]!.AsArray(), e => e!["eventType"]!.GetValue<string>() == "EventRaised");
        Assert.NotNull(done);
    }

    [Fact]
    public async Task Another_owner_cannot_see_signal_stop_or_purge_an_instance()
    {
        var id = (await Json(await Start(_alice), 202))["id"]!.GetValue<string>();
        await Problem(await _bob.GetAsync($"/api/instances/{id}"), 404, "instanceId");
        await Problem(await _bob.PostAsJsonAsync($"/api/instances/{id}/raiseEvent/Approve", "mallory"), 404);
        await Problem(await _bob.PostAsync($"/api/instances/{id}/terminate", null), 404);
        await Problem(await _bob.PostAsync($"/api/instances/{id}/suspend", null), 404);
        await Problem(await _bob.DeleteAsync($"/api/instances/{id}"), 404);
        var bobsList = (await _bob.GetFromJsonAsync<JsonArray>("/api/instances?top=1000"))!;
        Assert.DoesNotContain(bobsList, i => i!["instanceId"]!.GetValue<string>() == id);
        // Nothing bob did reached the instance.
        var status = await Json(await _alice.GetAsync($"/api/instances/{id}?showHistory=true"), 202);
        Assert.DoesNotContain(status["historyEvents"]!.AsArray(), e => e!["eventType"]!.GetValue<string>() is "EventRaised" or "ExecutionTerminated");
    }

    [Fact]
    public async Task An_id_another_owner_uses_answers_as_if_it_were_free_and_keeps_both_instances_apart()
    {
        var id = $"shared-{Guid.NewGuid():N}";
        var alices = new { sentences = new[] { "alice says hi" } };
        var bobs = new { sentences = new[] { "bob says hello there" } };
        await Json(await Start(_alice, alices, instanceId: id), 202);

        // Bob gets exactly what a free id gives: 202 under the id he asked for, links included.
        var started = await Json(await Start(_bob, bobs, instanceId: id), 202);
        Assert.Equal(id, started["id"]!.GetValue<string>());
        Assert.EndsWith($"/api/instances/{id}", started["statusQueryGetUri"]!.GetValue<string>());
        await Json(await Start(_bob, bobs, instanceId: id), 202); // his own retry replays
        await Problem(await Start(_bob, alices, instanceId: id), 409, "instanceId"); // his own id, another body

        var bobsView = await Json(await _bob.GetAsync($"/api/instances/{id}"), 202);
        Assert.Equal(id, bobsView["instanceId"]!.GetValue<string>());
        Assert.Equal("bob says hello there", bobsView["input"]!["sentences"]![0]!.GetValue<string>());
        Assert.Contains((await _bob.GetFromJsonAsync<JsonArray>("/api/instances?top=1000"))!,
            i => i!["instanceId"]!.GetValue<string>() == id);

        // What bob does reaches his instance only.
        var terminate = await _bob.PostAsync($"/api/instances/{id}/terminate", null);
        Assert.Equal(HttpStatusCode.Accepted, terminate.StatusCode);
        await Eventually.GetAsync(async () => (await _bob.GetFromJsonAsync<JsonObject>($"/api/instances/{id}"))!
            ["runtimeStatus"]!.GetValue<string>() == "Terminated" ? "ended" : null, "bob's instance to end", 30);
        Assert.Equal(HttpStatusCode.OK, (await _bob.DeleteAsync($"/api/instances/{id}")).StatusCode);
        var alicesView = await Json(await _alice.GetAsync($"/api/instances/{id}"), 202);
        Assert.Equal("alice says hi", alicesView["input"]!["sentences"]![0]!.GetValue<string>());
        Assert.Equal("Running", alicesView["runtimeStatus"]!.GetValue<string>());
        await Problem(await _bob.GetAsync($"/api/instances/{id}"), 404, "instanceId");
    }

    [Fact]
    public async Task Malformed_or_wrong_bodies_get_a_problem_naming_the_field_and_create_nothing()
    {
        var before = (await _alice.GetFromJsonAsync<JsonArray>("/api/instances?top=1000"))!.Count;
        var malformed = new StringContent("{\"sentences\": [\"a\",", Encoding.UTF8, "application/json");
        await Problem(await _alice.PostAsync("/api/orchestrators/RuntimeDemo", malformed), 400, "body");
        await Problem(await Start(_alice, new { sentences = Array.Empty<string>() }), 400, "sentences");
        await Problem(await Start(_alice, new { sentences = new[] { "ok" }, reviewTimeoutMinutes = 0 }), 400, "reviewTimeoutMinutes");
        await Problem(await Start(_alice, new { sentences = "not a list" }), 400);
        await Problem(await _alice.PostAsync("/api/orchestrators/RuntimeDemo", new StringContent("x", Encoding.UTF8, "text/plain")), 415, "body");
        var huge = new { sentences = Enumerable.Repeat(new string('a', 900), 100) };
        await Problem(await Start(_alice, huge), 413, "body");
        await Problem(await Start(_alice, instanceId: "bad id!"), 400, "instanceId");
        await Problem(await Start(_alice, idempotencyKey: "has a space"), 400, "Idempotency-Key");
        await Problem(await _alice.PostAsJsonAsync("/api/orchestrators/NoSuchThing", DemoInput), 404, "name");
        Assert.Equal(before, (await _alice.GetFromJsonAsync<JsonArray>("/api/instances?top=1000"))!.Count);
    }

    [Fact]
    public async Task Raising_an_event_on_an_unknown_id_or_a_finished_instance_is_an_error()
    {
        await Problem(await _alice.PostAsJsonAsync("/api/instances/no-such-instance/raiseEvent/Approve", "x"), 404, "instanceId");
        var id = (await Json(await Start(_alice), 202))["id"]!.GetValue<string>();
        await Problem(await _alice.PostAsync($"/api/instances/{id}/raiseEvent/Approve", new StringContent("{oops", Encoding.UTF8, "application/json")), 400, "body");
        await Problem(await _alice.PostAsJsonAsync($"/api/instances/{id}/raiseEvent/bad%20name", "x"), 400, "eventName");
        Assert.Equal(HttpStatusCode.Accepted, (await _alice.PostAsync($"/api/instances/{id}/terminate?reason=test", null)).StatusCode);
        await WaitForStatus(id, "Terminated");
        await Problem(await _alice.PostAsJsonAsync($"/api/instances/{id}/raiseEvent/Approve", "late"), 410, "instanceId");
    }

    [Fact]
    public async Task Starting_twice_with_one_instance_id_returns_the_same_instance_and_a_different_body_conflicts()
    {
        var id = "order-" + Guid.NewGuid().ToString("N")[..8];
        var first = await Json(await Start(_alice, instanceId: id), 202);
        var secondResponse = await Start(_alice, instanceId: id);
        var second = await Json(secondResponse, 202);
        Assert.Equal(first["id"]!.GetValue<string>(), second["id"]!.GetValue<string>());
        Assert.Equal("true", secondResponse.Headers.GetValues("Idempotent-Replayed").Single());
        await Problem(await Start(_alice, new { sentences = new[] { "different" } }, instanceId: id), 409, "instanceId");
        var mine = (await _alice.GetFromJsonAsync<JsonArray>("/api/instances?top=1000"))!;
        Assert.Single(mine, i => i!["instanceId"]!.GetValue<string>() == id);
    }

    [Fact]
    public async Task Idempotency_key_makes_a_retried_start_return_the_first_instance_per_owner()
    {
        var key = Guid.NewGuid().ToString();
        var first = await Json(await Start(_alice, idempotencyKey: key), 202);
        var again = await Json(await Start(_alice, idempotencyKey: key), 202);
        Assert.Equal(first["id"]!.GetValue<string>(), again["id"]!.GetValue<string>());
        await Problem(await Start(_alice, new { sentences = new[] { "changed" } }, idempotencyKey: key), 422, "Idempotency-Key");
        var bobs = await Json(await Start(_bob, idempotencyKey: key), 202); // keys are per owner
        Assert.NotEqual(first["id"]!.GetValue<string>(), bobs["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Purging_a_running_instance_is_refused_until_it_is_terminated()
    {
        var id = (await Json(await Start(_alice), 202))["id"]!.GetValue<string>();
        await Problem(await _alice.DeleteAsync($"/api/instances/{id}"), 409, "instanceId");
        Assert.Equal(HttpStatusCode.Accepted, (await _alice.GetAsync($"/api/instances/{id}")).StatusCode);
        await _alice.PostAsync($"/api/instances/{id}/terminate?reason=cleanup", null);
        var terminated = await WaitForStatus(id, "Terminated");
        Assert.Equal("cleanup", terminated["output"]!.GetValue<string>());
        var purged = await Json(await _alice.DeleteAsync($"/api/instances/{id}"), 200);
        Assert.Equal(1, purged["instancesDeleted"]!.GetValue<int>());
        await Problem(await _alice.GetAsync($"/api/instances/{id}"), 404);
        await Problem(await _alice.DeleteAsync($"/api/instances/{id}"), 404);
    }

    [Fact]
    public async Task Suspend_and_resume_over_http()
    {
        var id = (await Json(await Start(_alice), 202))["id"]!.GetValue<string>();
        await WaitForStep(_alice, id, "awaiting-approval");
        Assert.Equal(HttpStatusCode.Accepted, (await _alice.PostAsync($"/api/instances/{id}/suspend?reason=hold", null)).StatusCode);
        await WaitForStatus(id, "Suspended");
        await _alice.PostAsJsonAsync($"/api/instances/{id}/raiseEvent/Approve", "bea");
        Assert.Equal(HttpStatusCode.Accepted, (await _alice.PostAsync($"/api/instances/{id}/resume", null)).StatusCode);
        var done = await WaitForStatus(id, "Completed");
        Assert.Equal("bea", done["output"]!["approvedBy"]!.GetValue<string>());
    }

    [Fact]
    public async Task Query_filters_by_status_and_pages_with_the_continuation_header()
    {
        var ids = new List<string>();
        for (var i = 0; i < 3; i++) ids.Add((await Json(await Start(_alice), 202))["id"]!.GetValue<string>());
        await Problem(await _alice.GetAsync("/api/instances?runtimeStatus=Sleeping"), 400, "runtimeStatus");
        await Problem(await _alice.GetAsync("/api/instances?top=0"), 400, "top");

        var seen = new List<string>();
        string? token = null;
        do
        {
            var request = new HttpRequestMessage(HttpMethod.Get, "/api/instances?top=2");
            if (token is not null) request.Headers.Add("x-ms-continuation-token", token);
            var response = await _alice.SendAsync(request);
            var page = (await response.Content.ReadFromJsonAsync<JsonArray>())!;
            Assert.True(page.Count <= 2);
            seen.AddRange(page.Select(i => i!["instanceId"]!.GetValue<string>()));
            token = response.Headers.TryGetValues("x-ms-continuation-token", out var values) ? values.Single() : null;
        } while (token is not null);
        Assert.Subset(seen.ToHashSet(), ids.ToHashSet());
        Assert.Equal(seen.Count, seen.Distinct().Count());

        var badToken = new HttpRequestMessage(HttpMethod.Get, "/api/instances");
        badToken.Headers.Add("x-ms-continuation-token", "not-a-token");
        await Problem(await _alice.SendAsync(badToken), 400, "x-ms-continuation-token");
    }

    private Task<JsonObject> WaitForStatus(string id, string status) => Eventually.GetAsync(async () =>
        (await _alice.GetFromJsonAsync<JsonObject>($"/api/instances/{id}"))! is var current && current["runtimeStatus"]!.GetValue<string>() == status ? current : null,
        $"{id} to become {status}", seconds: 30);
}
