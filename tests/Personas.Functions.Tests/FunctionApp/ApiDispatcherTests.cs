using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Moq;
using Personas.Api.Auth;
using Personas.Functions.Hosting;

namespace Personas.Functions.Tests.FunctionApp;

/// <summary>
/// The Function App's HTTP path without the Functions host (which cannot run here): its own service registration and
/// dispatcher, fed the request an HTTP trigger receives. Authentication, ownership, problem+json and the binding's
/// Durable client must behave as in the local host.
/// </summary>
public sealed class ApiDispatcherTests : IAsyncLifetime
{
    private readonly Mock<DurableTaskClient> _durable = new("functions-binding");
    private FunctionAppTestHost _host = null!;

    public async Task InitializeAsync() => _host = await FunctionAppTestHost.StartAsync(
        new Dictionary<string, string?> { ["Personas:ApiKeys"] = $"{ApiHost.AliceKey}=alice;{ApiHost.BobKey}=bob" });

    private async Task<(int Status, string? ContentType, JsonNode? Body)> SendAsync(string method, string path,
        string? apiKey, string? json = null)
    {
        var http = await _host.InvokeAsync(http =>
        {
            http.Request.Method = method;
            http.Request.Scheme = "https";
            http.Request.Host = new HostString("personas.example.net");
            var query = path.IndexOf('?');
            http.Request.Path = query < 0 ? path : path[..query];
            if (query >= 0) http.Request.QueryString = new QueryString(path[query..]);
            if (apiKey is not null) http.Request.Headers[ApiKeyAuthenticationHandler.HeaderName] = apiKey;
            if (json is null) return;
            http.Request.ContentType = "application/json";
            http.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(json));
        }, _durable.Object);
        var text = Encoding.UTF8.GetString(((MemoryStream)http.Response.Body).ToArray());
        return (http.Response.StatusCode, http.Response.ContentType, text.Length > 0 ? JsonNode.Parse(text) : null);
    }

    [Fact]
    public async Task A_call_without_a_key_gets_401_problem_json()
    {
        var (status, type, _) = await SendAsync("GET", "/api/personas", apiKey: null);
        Assert.Equal(401, status);
        Assert.StartsWith("application/problem+json", type);
    }

    [Fact]
    public async Task Health_asks_the_invocations_durable_client()
    {
        var (status, _, body) = await SendAsync("GET", "/api/health", ApiHost.AliceKey);
        Assert.Equal(200, status);
        Assert.Equal("durable-functions", body!["store"]!.GetValue<string>());
        _durable.Verify(c => c.GetInstanceAsync("health-probe", false, It.IsAny<CancellationToken>()), Times.Once);
        _durable.Verify(c => c.DisposeAsync(), Times.Never); // the binding's client is the extension's to dispose
    }

    [Fact]
    public async Task A_persona_created_through_a_function_is_its_owners_alone()
    {
        const string create = """
            { "name": "Ada", "triggerWord": "zqadafn", "mode": "portrait", "consent": { "facialRecognition": true,
              "aiTraining": true, "likenessUsage": true, "dataRetention": true } }
            """;
        var (status, _, created) = await SendAsync("POST", "/api/personas", ApiHost.AliceKey, create);
        Assert.Equal(201, status);
        var id = created!["id"]!.GetValue<string>();

        Assert.Equal(200, (await SendAsync("GET", $"/api/personas/{id}", ApiHost.AliceKey)).Status);
        var (bobStatus, bobType, _) = await SendAsync("GET", $"/api/personas/{id}", ApiHost.BobKey);
        Assert.Equal(404, bobStatus);
        Assert.StartsWith("application/problem+json", bobType);
    }

    [Fact]
    public async Task Bad_input_gets_a_problem_that_names_the_field()
    {
        var (status, type, body) = await SendAsync("POST", "/api/personas", ApiHost.AliceKey,
            """{ "name": "Ada", "triggerWord": "no spaces allowed", "mode": "portrait" }""");
        Assert.Equal(400, status);
        Assert.StartsWith("application/problem+json", type);
        Assert.NotNull(body!["errors"]!["triggerWord"]);
    }

    [Fact]
    public async Task An_owned_instance_is_read_through_the_binding_and_history_is_declined_not_crashed()
    {
        const string id = "fn-instance-1";
        await _host.Services.GetRequiredService<Domain.Stores.IInstanceLedger>()
            .ClaimAsync(id, "alice", null, DateTimeOffset.UtcNow);
        var now = DateTimeOffset.UtcNow;
        _durable.Setup(c => c.GetInstanceAsync(id, true, It.IsAny<CancellationToken>())).ReturnsAsync(
            new OrchestrationMetadata("RuntimeDemo", id) { RuntimeStatus = OrchestrationRuntimeStatus.Running,
                CreatedAt = now, LastUpdatedAt = now });

        var (status, _, body) = await SendAsync("GET", $"/api/instances/{id}", ApiHost.AliceKey);
        Assert.Equal(202, status); // Durable Functions' answer for an instance still running
        Assert.Equal("Running", body!["runtimeStatus"]!.GetValue<string>());
        Assert.Equal(404, (await SendAsync("GET", $"/api/instances/{id}", ApiHost.BobKey)).Status);
        var (historyStatus, type, problem) = await SendAsync("GET", $"/api/instances/{id}?showHistory=true", ApiHost.AliceKey);
        Assert.Equal(501, historyStatus);
        Assert.StartsWith("application/problem+json", type);
        Assert.Contains("showHistory", problem!.ToJsonString());
    }

    [Fact]
    public async Task Every_activity_can_be_built_from_the_function_apps_services()
    {
        await using var scope = _host.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<InvocationDurableClient>().Client = _durable.Object;
        var activities = typeof(Orchestrations.PersonasWorkflows).Assembly.GetTypes()
            .Where(t => t is { IsAbstract: false, IsClass: true } && typeof(Microsoft.DurableTask.ITaskActivity).IsAssignableFrom(t))
            .ToList();
        Assert.NotEmpty(activities);
        foreach (var activity in activities)
            Assert.NotNull(ActivatorUtilities.GetServiceOrCreateInstance(scope.ServiceProvider, activity));
    }

    [Fact]
    public async Task A_path_outside_the_route_table_is_404() =>
        Assert.Equal(404, (await SendAsync("GET", "/api/nothing-here", ApiHost.AliceKey)).Status);

    public async Task DisposeAsync() => await _host.DisposeAsync();
}
