using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Personas.Infra.Tests;

/// <summary>infra/main.bicep compiled once to ARM JSON, with its module deployments' templates flattened.</summary>
public sealed class CompiledTemplate : IAsyncLifetime
{
    private readonly List<ModuleTemplate> modules = [];

    public JsonObject Root { get; private set; } = new();

    public BicepResult Build { get; private set; } = new(-1, "", []);

    /// <summary>main.bicep and every nested deployment's template, by deployment name ("main" for the root).</summary>
    public IReadOnlyList<ModuleTemplate> Modules => modules;

    public async Task InitializeAsync()
    {
        Build = await BicepCli.RunAsync("build", "main.bicep", "--stdout");
        if (Build.ExitCode != 0)
        {
            return;
        }

        Root = JsonNode.Parse(Build.Output)!.AsObject();
        Collect("main", Root);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public ModuleTemplate Module(string deploymentName) =>
        modules.SingleOrDefault(m => m.DeploymentName == deploymentName)
        ?? throw new InvalidOperationException($"No module deployment named '{deploymentName}'.");

    /// <summary>Every resource of a type across all modules, with the module that declares it.</summary>
    public IEnumerable<(ModuleTemplate Module, JsonObject Resource)> ResourcesOfType(string type) =>
        modules.SelectMany(m => m.Resources.Where(r => (string?)r["type"] == type).Select(r => (m, r)));

    private void Collect(string deploymentName, JsonObject template)
    {
        var module = new ModuleTemplate(deploymentName, template);
        modules.Add(module);
        foreach (var deployment in module.Resources.Where(r => (string?)r["type"] == "Microsoft.Resources/deployments"))
        {
            Collect((string)deployment["name"]!, deployment["properties"]!["template"]!.AsObject());
        }
    }
}

public sealed record ModuleTemplate(string DeploymentName, JsonObject Template)
{
    /// <summary>Resources, listed as an array or (language version 2) by symbolic name.</summary>
    public IReadOnlyList<JsonObject> Resources => Template["resources"] switch
    {
        JsonArray array => array.Select(r => r!.AsObject()).ToList(),
        JsonObject byName => byName.Select(p => p.Value!.AsObject()).ToList(),
        _ => [],
    };

    private static readonly JsonSerializerOptions Unescaped =
        new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The template as JSON text with quotes in expressions left as written.</summary>
    public string Text => Template.ToJsonString(Unescaped);

    /// <summary>Like <see cref="Text"/>, without the templates of the modules this one deploys.</summary>
    public string OwnText
    {
        get
        {
            var own = Template.DeepClone().AsObject();
            foreach (var deployment in new ModuleTemplate(DeploymentName, own).Resources
                         .Where(r => (string?)r["type"] == "Microsoft.Resources/deployments"))
            {
                deployment["properties"]!.AsObject().Remove("template");
            }

            return own.ToJsonString(Unescaped);
        }
    }

    public JsonObject Parameter(string name) =>
        Template["parameters"]?[name]?.AsObject()
        ?? throw new InvalidOperationException($"{DeploymentName} has no parameter '{name}'.");

    public JsonNode Variable(string name) =>
        Template["variables"]?[name]
        ?? throw new InvalidOperationException($"{DeploymentName} has no variable '{name}'.");

    public IEnumerable<string> SecureParameterNames =>
        (Template["parameters"]?.AsObject() ?? []).Where(p => IsSecure((string?)p.Value!["type"])).Select(p => p.Key);

    public override string ToString() => DeploymentName;

    private static bool IsSecure(string? type) =>
        string.Equals(type, "securestring", StringComparison.OrdinalIgnoreCase)
        || string.Equals(type, "secureObject", StringComparison.OrdinalIgnoreCase);
}

[CollectionDefinition(Name)]
public sealed class CompiledTemplateCollection : ICollectionFixture<CompiledTemplate>
{
    public const string Name = "compiled main.bicep";
}
