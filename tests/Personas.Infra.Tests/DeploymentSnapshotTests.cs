using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Personas.Infra.Tests;

/// <summary>
/// `bicep snapshot` evaluates the whole deployment offline for one set of parameters, so names, loops and
/// conditions are checked with real values. Only values that need a live resource (reference(), listKeys()) stay
/// expressions.
/// </summary>
public sealed partial class DeploymentSnapshotTests
{
    private const string SubscriptionId = "00000000-0000-0000-0000-0000000000a1";

    [Theory]
    [InlineData("Consumption-GPU-NC8as-T4", false, 8, "56Gi")]
    [InlineData("Consumption-GPU-NC24-A100", true, 24, "220Gi")]
    public async Task TheDeploymentExpandsWithValidNamesAndTheChosenProfile(
        string gpuProfile, bool deployOpenAi, int cpu, string memory)
    {
        var resources = await SnapshotAsync(
            $"param gpuProfileType = '{gpuProfile}'\nparam deployOpenAi = {(deployOpenAi ? "true" : "false")}\n");

        Assert.Matches(StorageName(), Name(resources, "Microsoft.Storage/storageAccounts"));
        Assert.Matches(RegistryName(), Name(resources, "Microsoft.ContainerRegistry/registries"));
        Assert.Matches(CosmosName(), Name(resources, "Microsoft.DocumentDB/databaseAccounts"));

        var job = Single(resources, "Microsoft.App/jobs");
        Assert.Equal("lora-trainer", (string?)job["name"]);
        Assert.Equal(14400, (int)job["properties"]!["configuration"]!["replicaTimeout"]!);
        var container = job["properties"]!["template"]!["containers"]![0]!;
        Assert.Equal(cpu, (int)container["resources"]!["cpu"]!);
        Assert.Equal(memory, (string?)container["resources"]!["memory"]);
        var environment = Single(resources, "Microsoft.App/managedEnvironments");
        Assert.Contains(environment["properties"]!["workloadProfiles"]!.AsArray(),
            p => (string?)p!["name"] == "gpu" && (string?)p["workloadProfileType"] == gpuProfile);

        Assert.Equal(deployOpenAi, resources.Any(r => (string?)r["type"] == "Microsoft.CognitiveServices/accounts"));
        var assignments = resources.Count(r => (string?)r["type"] == "Microsoft.Authorization/roleAssignments");
        // Storage 4, registry, monitoring, job operator, and Azure OpenAI when deployed. The vault's module is not
        // expanded (see SnapshotAsync), so its resources are not counted here.
        Assert.Equal(deployOpenAi ? 8 : 7, assignments);
        Assert.DoesNotContain(resources,
            r => ((string)r["type"]!).StartsWith("Microsoft.KeyVault/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ThePublicBaseUrlIsTheSitesOwnHostName()
    {
        var resources = await SnapshotAsync("");
        var site = Single(resources, "Microsoft.Web/sites");
        var settings = (string)site["properties"]!["siteConfig"]!["appSettings"]!;

        Assert.Contains($"'Personas__PublicBaseUrl', 'value', 'https://{site["name"]}.azurewebsites.net'", settings,
            StringComparison.Ordinal);
        Assert.Contains($"'Personas__Jobs__SubscriptionId', 'value', '{SubscriptionId}'", settings,
            StringComparison.Ordinal);
        Assert.Equal("api", (string?)site["tags"]!["azd-service-name"]);
    }

    private static async Task<List<JsonObject>> SnapshotAsync(string extraParameters)
    {
        var directory = Directory.CreateTempSubdirectory("bicep-snapshot-");
        try
        {
            // `using` takes a relative path only.
            var main = Path.GetRelativePath(directory.FullName, Path.Combine(BicepCli.InfraDirectory, "main.bicep"));
            var parameters = Path.Combine(directory.FullName, "test.bicepparam");
            await File.WriteAllTextAsync(parameters, $"""
                using '{main.Replace('\\', '/')}'
                param environmentName = 'snap'
                param location = 'swedencentral'
                param apiKeys = 'k1=alice'
                param blobSigningKey = '0123456789abcdef0123456789abcdef'

                """ + extraParameters);

            var result = await BicepCli.RunAsync("snapshot", parameters, "--subscription-id", SubscriptionId,
                "--tenant-id", "00000000-0000-0000-0000-0000000000b2", "--location", "swedencentral");

            Assert.True(result.ExitCode == 0, result.Describe());
            // The vault's secret loop counts non-empty secure values, which a snapshot cannot see, so that module
            // is left unexpanded; nothing else may warn.
            var problems = result.Output.Split('\n').Concat(result.Diagnostics)
                .Where(line => line.Contains("Warning", StringComparison.Ordinal)
                    || line.Contains("Error", StringComparison.Ordinal))
                .Where(line => !(line.Contains("NestedDeploymentShortCircuited", StringComparison.Ordinal)
                    && line.Contains("deployments/keyvault'", StringComparison.Ordinal)))
                .ToList();
            Assert.True(problems.Count == 0, string.Join('\n', problems));

            var path = Path.ChangeExtension(parameters, ".snapshot.json");
            var snapshot = JsonNode.Parse(await File.ReadAllTextAsync(path));
            return snapshot!["predictedResources"]!.AsArray().Select(r => r!.AsObject()).ToList();
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static JsonObject Single(List<JsonObject> resources, string type) =>
        Assert.Single(resources, r => (string?)r["type"] == type);

    private static string Name(List<JsonObject> resources, string type) => (string)Single(resources, type)["name"]!;

    [GeneratedRegex("^[a-z0-9]{3,24}$")]
    private static partial Regex StorageName();

    [GeneratedRegex("^[a-zA-Z0-9]{5,50}$")]
    private static partial Regex RegistryName();

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{1,42}[a-z0-9]$")]
    private static partial Regex CosmosName();
}
