using System.Text.Json.Nodes;
using Personas.Api.Hosting;
using Personas.Azure.Blobs;
using Personas.Azure.Cosmos;
using Personas.Providers.Fal;
using Personas.Providers.Jobs;
using Personas.Providers.Local;
using Personas.Providers.Replicate;

namespace Personas.Functions.Tests;

/// <summary>Every setting the hosts bind is in the Function App's local.settings.example.json and in the README.</summary>
public sealed class SettingsDocsTests
{
    private static readonly JsonObject Example = JsonNode.Parse(File.ReadAllText(
        RepoFiles.Path("functions", "Personas.Functions", "local.settings.example.json")))!["Values"]!.AsObject();

    private static readonly string Readme = File.ReadAllText(RepoFiles.Path("README.md"));

    public static TheoryData<string, Type> Sections => new()
    {
        { "Photos", typeof(Imaging.Preparation.PhotoGates) },
        { "Faces", typeof(Imaging.Faces.Embedding.FaceOptions) },
        { "FaceSwap", typeof(Api.FaceSwap.FaceSwapSettings) },
        { "Llm", typeof(Providers.Llm.LlmOptions) },
        { "Training", typeof(Api.Training.TrainingSettings) },
        { "Events", typeof(Api.Training.EventStreamSettings) },
        { "Fal", typeof(FalSettings) },
        { "Replicate", typeof(ReplicateSettings) },
        { "Jobs", typeof(JobsSettings) },
        { "Local", typeof(LocalTrainingSettings) },
        { "Validation", typeof(Orchestrations.Training.ValidationOptions) },
        { "Generation", typeof(Api.Generations.GenerationSettings) },
        { "Batches", typeof(Orchestrations.Batches.BatchOptions) },
        { "Posts", typeof(Orchestrations.Posts.PostOptions) },
        { "Publishing", typeof(Providers.Publishing.PublishingOptions) },
        { "Analytics", typeof(Orchestrations.Analytics.AnalyticsOptions) },
        { "RateLimits", typeof(Api.Hosting.RateLimitSettings) },
        { "Recovery", typeof(Api.Recovery.RecoverySettings) },
        { "Durable", typeof(Durable.DurableSettings) },
        { "Blobs", typeof(AzureBlobSettings) },
        { "Cosmos", typeof(CosmosSettings) },
        { "Telemetry", typeof(TelemetrySettings) },
    };

    [Fact]
    public void The_host_settings_and_aliases_are_listed()
    {
        var settings = typeof(PersonasSettings).GetProperties().Where(p => p.CanWrite).Select(p => p.Name).ToList();
        Assert.NotEmpty(settings);
        foreach (var name in settings)
        {
            Assert.True(Example.ContainsKey($"Personas__{name}"), $"local.settings.example.json lacks Personas__{name}");
            Assert.Contains($"Personas:{name}", Readme);
        }
        foreach (var alias in PersonasSettings.EnvironmentAliases.Keys) Assert.Contains(alias, Readme);
        Assert.True(Example.ContainsKey(StoreServices.CatalogProviderKey.Replace(":", "__")));
        Assert.Contains(StoreServices.CatalogProviderKey, Readme);
    }

    [Theory]
    [MemberData(nameof(Sections))]
    public void Each_section_is_listed_setting_by_setting(string section, Type type)
    {
        var names = type.GetProperties()
            .Where(p => p.CanWrite && (p.PropertyType.IsValueType || p.PropertyType == typeof(string)))
            .Select(p => p.Name).ToList();
        Assert.NotEmpty(names);
        Assert.Contains($"Personas:{section}:", Readme);
        foreach (var name in names)
        {
            Assert.True(Example.ContainsKey($"Personas__{section}__{name}"),
                $"local.settings.example.json lacks Personas__{section}__{name}");
            Assert.Contains(name, Readme); // rows may list siblings: `Personas:Photos:MinPhotos` / `MaxPhotos`
        }
    }
}
