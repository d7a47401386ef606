using System.Reflection;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Microsoft.DurableTask;
using Microsoft.Extensions.DependencyInjection;
using Personas.Orchestrations;

namespace Personas.Functions.Tests.FunctionApp;

/// <summary>
/// The Function App's functions.metadata (what the Functions host indexes) against the local host's route table and
/// the workflows the local worker registers: one for one, with the same methods and names.
/// </summary>
public sealed class RouteTableTests(ApiHost host) : IClassFixture<ApiHost>
{
    private static readonly JsonArray Metadata = JsonNode.Parse(File.ReadAllText(FunctionAppOutput.MetadataPath))!.AsArray();

    private static IEnumerable<JsonObject> Triggers(string type) => Metadata.Select(f => f!.AsObject())
        .Where(f => f["bindings"]!.AsArray().Any(b => b!["type"]!.GetValue<string>() == type));

    private static JsonObject Trigger(JsonObject function) => function["bindings"]!.AsArray()
        .Select(b => b!.AsObject()).Single(b => b["type"]!.GetValue<string>().EndsWith("Trigger", StringComparison.Ordinal));

    private Dictionary<string, SortedSet<string>> LocalRoutes() => host.App.Services
        .GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
        .Where(e => e.RoutePattern.RawText!.StartsWith("/api/", StringComparison.Ordinal))
        // ASP.NET Core writes a catch-all {**x}, Functions {*x}; the Functions route prefix is "api".
        .GroupBy(e => e.RoutePattern.RawText!.TrimEnd('/')["/api/".Length..].Replace("{**", "{*"))
        .ToDictionary(g => g.Key, g => new SortedSet<string>(g
            .SelectMany(e => e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? [])
            .Select(m => m.ToLowerInvariant())));

    private static Dictionary<string, SortedSet<string>> FunctionRoutes() => Triggers("httpTrigger").Select(Trigger)
        .ToDictionary(t => t["route"]!.GetValue<string>(),
            t => new SortedSet<string>(t["methods"]!.AsArray().Select(m => m!.GetValue<string>().ToLowerInvariant())));

    [Fact]
    public void Every_local_route_is_an_http_function_with_the_same_methods_and_back()
    {
        var local = LocalRoutes();
        var functions = FunctionRoutes();
        Assert.True(local.Count > 30, $"only {local.Count} local routes were found");
        Assert.Equal("get", Assert.Single(functions["health/live"])); // the anonymous liveness probe
        foreach (var (route, methods) in local)
        {
            Assert.True(functions.TryGetValue(route, out var declared), $"/api/{route} has no HTTP function");
            Assert.Equal(methods, declared);
        }
        Assert.Empty(functions.Keys.Except(local.Keys));
    }

    [Fact]
    public void Http_functions_are_anonymous_to_the_host_because_the_api_checks_keys_itself() =>
        Assert.All(Triggers("httpTrigger").Select(Trigger),
            t => Assert.Equal("Anonymous", t["authLevel"]?.GetValue<string>(), ignoreCase: true));

    [Fact]
    public void Every_http_function_has_a_durable_client_binding() =>
        Assert.All(Triggers("httpTrigger"), f => Assert.Contains(f["bindings"]!.AsArray(),
            b => b!["type"]!.GetValue<string>() == "durableClient"));

    [Fact]
    public void Every_workflow_class_is_a_trigger_under_the_name_the_local_worker_uses()
    {
        var types = typeof(PersonasWorkflows).Assembly.GetTypes().Where(t => t is { IsAbstract: false, IsClass: true }).ToList();
        var orchestrators = types.Where(t => typeof(ITaskOrchestrator).IsAssignableFrom(t))
            .Select(t => (string)t.GetField("Name", BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!).ToHashSet();
        var activities = types.Where(t => typeof(ITaskActivity).IsAssignableFrom(t)).Select(t => t.Name).ToHashSet();

        Assert.Equal(9, orchestrators.Count);
        Assert.True(activities.Count >= 20, $"only {activities.Count} activities were found");
        Assert.Equal(orchestrators.Order(), Triggers("orchestrationTrigger").Select(f => f["name"]!.GetValue<string>()).Order());
        Assert.Equal(activities.Order(), Triggers("activityTrigger").Select(f => f["name"]!.GetValue<string>()).Order());
    }
}

/// <summary>
/// The Function App's build output (the Functions SDK writes functions.metadata at build). <c>./personas test</c> also
/// publishes the app and checks that the published metadata and natives are these same files.
/// </summary>
internal static class FunctionAppOutput
{
    public static string MetadataPath
    {
        get
        {
            var built = RepoFiles.Path("functions", "Personas.Functions", "bin", "Release", "net10.0", "functions.metadata");
            return File.Exists(built) ? built
                : throw new FileNotFoundException("Build functions/Personas.Functions (Release) first; ./personas test does.");
        }
    }
}
