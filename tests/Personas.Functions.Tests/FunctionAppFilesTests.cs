using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Personas.Functions.Hosting;

namespace Personas.Functions.Tests;

/// <summary>The Azure Functions custom-handler files must match the routes the host maps, one for one.</summary>
public sealed class FunctionAppFilesTests(ApiHost host) : IClassFixture<ApiHost>
{
    private static readonly string FunctionAppDir = RepoFiles.Path("functions", "Personas.Functions", "FunctionApp");

    private Dictionary<string, SortedSet<string>> MappedApiRoutes() => host.App.Services.GetRequiredService<EndpointDataSource>().Endpoints
        .OfType<RouteEndpoint>()
        .Where(e => e.RoutePattern.RawText!.StartsWith("/api/", StringComparison.Ordinal))
        .GroupBy(e => e.RoutePattern.RawText!.TrimEnd('/')["/api/".Length..].Replace("{**", "{*")) // catch-all: ASP.NET {**x}, Functions {*x}
        .ToDictionary(g => g.Key, g => new SortedSet<string>(g.SelectMany(e => e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => m.ToLowerInvariant())));

    private static List<(string Function, JsonObject Binding)> Triggers() => Directory.GetDirectories(FunctionAppDir)
        .Select(dir => (System.IO.Path.GetFileName(dir), JsonNode.Parse(File.ReadAllText(System.IO.Path.Combine(dir, "function.json")))!["bindings"]!.AsArray()
            .Select(b => b!.AsObject()).Single(b => b["direction"]!.GetValue<string>() == "in")))
        .ToList();

    [Fact]
    public void Every_mapped_api_route_has_a_function_json_with_the_same_methods()
    {
        var declared = Triggers().Where(t => t.Binding["type"]!.GetValue<string>() == "httpTrigger")
            .ToDictionary(t => t.Binding["route"]!.GetValue<string>(), t => new SortedSet<string>(t.Binding["methods"]!.AsArray().Select(m => m!.GetValue<string>())));
        foreach (var (route, methods) in MappedApiRoutes())
        {
            Assert.True(declared.TryGetValue(route, out var declaredMethods), $"route '/api/{route}' has no function.json");
            Assert.Equal(methods, declaredMethods);
        }
    }

    [Fact]
    public void Every_function_json_matches_a_mapped_route()
    {
        var routes = MappedApiRoutes();
        foreach (var (function, binding) in Triggers())
        {
            switch (binding["type"]!.GetValue<string>())
            {
                case "httpTrigger":
                    Assert.True(routes.ContainsKey(binding["route"]!.GetValue<string>()), $"{function}/function.json has no mapped route");
                    break;
                default:
                    Assert.Fail($"{function}/function.json has an unexpected trigger");
                    break;
            }
        }
    }

    [Fact]
    public void Host_json_declares_a_forwarding_custom_handler_with_the_api_prefix()
    {
        var hostJson = JsonNode.Parse(File.ReadAllText(RepoFiles.Path("host.json")))!;
        Assert.True(hostJson["customHandler"]!["enableForwardingHttpRequest"]!.GetValue<bool>());
        Assert.Equal("api", hostJson["extensions"]!["http"]!["routePrefix"]!.GetValue<string>());
    }

    [Fact]
    public void Every_setting_is_in_local_settings_example_and_the_readme()
    {
        var example = JsonNode.Parse(File.ReadAllText(RepoFiles.Path("local.settings.example.json")))!["Values"]!.AsObject();
        var readme = File.ReadAllText(RepoFiles.Path("README.md"));
        var settings = typeof(PersonasSettings).GetProperties().Where(p => p.CanWrite).Select(p => p.Name).ToList();
        Assert.NotEmpty(settings);
        foreach (var name in settings)
        {
            Assert.True(example.ContainsKey($"{PersonasSettings.Section}__{name}"), $"local.settings.example.json lacks {PersonasSettings.Section}__{name}");
            Assert.Contains($"{PersonasSettings.Section}:{name}", readme);
        }
        foreach (var alias in PersonasSettings.EnvironmentAliases.Keys) Assert.Contains(alias, readme);
        foreach (var (section, type) in new[] { ("Photos", typeof(global::Personas.Imaging.Preparation.PhotoGates)), ("Llm", typeof(global::Personas.Providers.Llm.LlmOptions)),
                     ("Training", typeof(global::Personas.Functions.Training.TrainingSettings)), ("Fal", typeof(FalSettings)), ("Replicate", typeof(ReplicateSettings)), ("Jobs", typeof(JobsSettings)), ("Local", typeof(LocalTrainingSettings)),
                     ("Validation", typeof(global::Personas.Orchestrations.Training.ValidationOptions)), ("Generation", typeof(global::Personas.Functions.Generations.GenerationSettings)),
                     ("Posts", typeof(global::Personas.Orchestrations.Posts.PostOptions)),
                     ("Publishing", typeof(global::Personas.Providers.Publishing.PublishingOptions)),
                     ("Durable", typeof(global::Personas.Durable.DurableSettings)) })
            foreach (var name in type.GetProperties().Where(p => p.CanWrite && (p.PropertyType.IsValueType || p.PropertyType == typeof(string))).Select(p => p.Name))
            {
                Assert.True(example.ContainsKey($"Personas__{section}__{name}"), $"local.settings.example.json lacks Personas__{section}__{name}");
                Assert.Contains(name, readme);
            }
    }
}
