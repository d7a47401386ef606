using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using static Personas.Functions.Tests.HttpAssertions;

namespace Personas.Functions.Tests;

public sealed class HostBasicsTests(ApiHost host) : IClassFixture<ApiHost>
{
    [Theory]
    [InlineData("GET", "/api/health")]
    [InlineData("GET", "/api/instances")]
    [InlineData("POST", "/api/orchestrators/RuntimeDemo")]
    [InlineData("DELETE", "/api/instances/x")]
    [InlineData("GET", "/api/no-such-route")]
    public async Task Every_route_needs_an_api_key(string method, string path)
    {
        var problem = await Problem(await host.Client(null).SendAsync(new HttpRequestMessage(new HttpMethod(method), path)), 401, "X-Api-Key");
        Assert.Contains("X-Api-Key", problem["detail"]!.GetValue<string>());
        await Problem(await host.Client("wrong-key-0123456789").SendAsync(new HttpRequestMessage(new HttpMethod(method), path)), 401);
    }

    [Fact]
    public async Task Health_answers_ok_with_a_key()
    {
        var health = await Json(await host.Client(ApiHost.AliceKey).GetAsync("/api/health"), 200);
        Assert.Equal("ok", health["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Liveness_answers_without_a_key_and_readiness_keeps_it()
    {
        var live = await Json(await host.Client(null).GetAsync("/api/health/live"), 200);
        Assert.Equal("live", live["status"]!.GetValue<string>());
        Assert.Single(live);
        await Problem(await host.Client(null).GetAsync("/api/health"), 401, "X-Api-Key");
    }

    [Fact]
    public async Task OpenApi_document_is_served_without_a_key_and_describes_the_instance_api_and_its_key()
    {
        var doc = await Json(await host.Client(null).GetAsync("/api/openapi.json"), 200);
        Assert.StartsWith("3.", doc["openapi"]!.GetValue<string>());
        var paths = doc["paths"]!.AsObject().Select(p => p.Key).ToList();
        Assert.Contains("/api/instances/{instanceId}", paths);
        Assert.Contains("/api/orchestrators/{name}/{instanceId}", paths);
        Assert.Equal("X-Api-Key", doc["components"]!["securitySchemes"]!["ApiKey"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Unknown_route_with_a_key_is_a_problem_not_an_empty_404()
    {
        await Problem(await host.Client(ApiHost.AliceKey).GetAsync("/api/nothing-here"), 404);
    }
}
