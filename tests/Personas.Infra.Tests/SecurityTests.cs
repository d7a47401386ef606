using System.Text.Json.Nodes;

namespace Personas.Infra.Tests;

[Collection(CompiledTemplateCollection.Name)]
public sealed class SecurityTests(CompiledTemplate compiled)
{
    private const string Storage = "Microsoft.Storage/storageAccounts";

    // Built-in role id -> the resource type its assignment must be scoped to.
    public static TheoryData<string, string, string> RequiredRoles => new()
    {
        { "Storage Blob Data Owner", "b7e6dc6d-f1e8-4753-8033-0f276bb0955b", Storage },
        { "Storage Blob Delegator", "db58b8e5-c6ad-4a2a-8342-4190687cbf4a", Storage },
        { "Storage Queue Data Contributor", "974c5e8b-45b9-4653-ba55-5f855dd0fb88", Storage },
        { "Storage Table Data Contributor", "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3", Storage },
        { "Key Vault Secrets User", "4633458b-17de-408a-b874-0445c86b69e6", "Microsoft.KeyVault/vaults" },
        { "Monitoring Metrics Publisher", "3913510d-42f4-4e42-8a64-420c390055eb", "Microsoft.Insights/components" },
        { "AcrPull", "7f951dda-4ed3-4680-a7ca-43fe172d538d", "Microsoft.ContainerRegistry/registries" },
        { "Cognitive Services OpenAI User", "5e0bd9bd-7b93-4f28-af87-19fc36ad61bd",
            "Microsoft.CognitiveServices/accounts" },
    };

    [Fact]
    public void EveryRoleAssignmentIsScopedToAResource()
    {
        var assignments = compiled.ResourcesOfType("Microsoft.Authorization/roleAssignments").ToList();

        Assert.True(assignments.Count >= 8, $"only {assignments.Count} role assignments");
        foreach (var (module, assignment) in assignments)
        {
            var scope = (string?)assignment["scope"];
            Assert.True(
                scope is not null && scope.StartsWith("[resourceId('Microsoft.", StringComparison.Ordinal),
                $"{module.DeploymentName}: a role assignment is scoped to '{scope ?? "the deployment's group"}'.");
        }
    }

    [Theory]
    [MemberData(nameof(RequiredRoles))]
    public void TheIdentityHoldsEachRoleOnItsResource(string role, string roleId, string resourceType)
    {
        var holders = compiled.Modules.Where(m => m.OwnText.Contains(roleId, StringComparison.Ordinal)).ToList();

        Assert.True(holders.Count == 1, $"{role} appears in [{string.Join(", ", holders)}], not in one module.");
        var module = holders[0];
        Assert.Contains(module.Resources, r =>
            (string?)r["type"] == "Microsoft.Authorization/roleAssignments"
            && ((string?)r["scope"])!.StartsWith($"[resourceId('{resourceType}'", StringComparison.Ordinal)
            && (string?)r["properties"]!["principalType"] == "ServicePrincipal");
    }

    [Fact]
    public void CosmosDataAccessIsADataPlaneAssignmentOnTheDatabase()
    {
        var assignment = compiled.ResourcesOfType("Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments")
            .Single().Resource["properties"]!;

        Assert.Equal("00000000-0000-0000-0000-000000000002",
            (string?)compiled.Module("cosmos").Variable("builtInDataContributor"));
        Assert.EndsWith("/sqlRoleDefinitions/{1}', resourceId('Microsoft.DocumentDB/databaseAccounts', " +
            "parameters('name')), variables('builtInDataContributor'))]", (string?)assignment["roleDefinitionId"]);
        Assert.Contains("/dbs/{1}", (string?)assignment["scope"], StringComparison.Ordinal);
    }

    [Fact]
    public void TheJobOperatorRoleHasExactlyTheJobActionsAndIsAssignedOnTheJob()
    {
        var (module, definition) = compiled.ResourcesOfType("Microsoft.Authorization/roleDefinitions").Single();
        var actions = module.Variable("operatorActions").AsArray().Select(a => (string)a!).ToList();

        Assert.Equal(
            [
                "Microsoft.App/jobs/execution/read", "Microsoft.App/jobs/executions/read", "Microsoft.App/jobs/read",
                "Microsoft.App/jobs/start/action", "Microsoft.App/jobs/stop/action",
                "Microsoft.App/jobs/stop/execution/action",
            ],
            actions.Order(StringComparer.Ordinal));
        Assert.DoesNotContain(actions, a => a.Contains('*', StringComparison.Ordinal));
        Assert.Equal("[variables('operatorActions')]",
            (string?)definition["properties"]!["permissions"]![0]!["actions"]);
        Assert.Equal("[resourceGroup().id]", (string?)definition["properties"]!["assignableScopes"]![0]);
        Assert.Contains(module.Resources, r =>
            (string?)r["type"] == "Microsoft.Authorization/roleAssignments"
            && (string?)r["scope"] == "[resourceId('Microsoft.App/jobs', parameters('jobName'))]"
            && ((string?)r["properties"]!["roleDefinitionId"])!.Contains("roleDefinitions", StringComparison.Ordinal));
    }

    [Fact]
    public void StorageTakesNoSharedKeyNoPublicBlobsAndOnlyTls12OverHttps()
    {
        var properties = Single("Microsoft.Storage/storageAccounts");

        Assert.False((bool)properties["allowBlobPublicAccess"]!);
        Assert.False((bool)properties["allowSharedKeyAccess"]!);
        Assert.True((bool)properties["supportsHttpsTrafficOnly"]!);
        Assert.Equal("TLS1_2", (string?)properties["minimumTlsVersion"]);
        var containers = compiled.Module("storage").Text;
        Assert.Contains("\"publicAccess\":\"None\"", containers, StringComparison.Ordinal);
        Assert.Contains("createArray('personas', 'training-artifacts', variables('deploymentContainerName'))",
            containers, StringComparison.Ordinal);
        Assert.Equal("app-package", (string?)compiled.Module("storage").Variable("deploymentContainerName"));
    }

    [Fact]
    public void TheFunctionAppIsFlexConsumptionDotnetIsolated10HttpsOnlyTls12()
    {
        var site = Single("Microsoft.Web/sites");
        var plan = compiled.ResourcesOfType("Microsoft.Web/serverfarms").Single().Resource;

        Assert.Equal("FC1", (string?)plan["sku"]!["name"]);
        Assert.True((bool)site["httpsOnly"]!);
        Assert.Equal("1.2", (string?)site["siteConfig"]!["minTlsVersion"]);
        Assert.Equal("Disabled", (string?)site["siteConfig"]!["ftpsState"]);
        Assert.Equal("dotnet-isolated", (string?)site["functionAppConfig"]!["runtime"]!["name"]);
        Assert.Equal("10.0", (string?)site["functionAppConfig"]!["runtime"]!["version"]);
        Assert.Equal("[parameters('identityId')]", (string?)site["keyVaultReferenceIdentity"]);
        var scale = site["functionAppConfig"]!["scaleAndConcurrency"]!;
        Assert.Equal("[parameters('instanceMemoryMB')]", (string?)scale["instanceMemoryMB"]);
        Assert.Equal(2048, (int)compiled.Module("main").Parameter("instanceMemoryMB")["defaultValue"]!);
        var deployment = site["functionAppConfig"]!["deployment"]!["storage"]!["authentication"]!;
        Assert.Equal("UserAssignedIdentity", (string?)deployment["type"]);
        // Flex sets the worker runtime in functionAppConfig and refuses these settings.
        var text = compiled.Module("function-app").Text;
        Assert.DoesNotContain("FUNCTIONS_WORKER_RUNTIME", text, StringComparison.Ordinal);
        Assert.DoesNotContain("FUNCTIONS_EXTENSION_VERSION", text, StringComparison.Ordinal);
        Assert.DoesNotContain("AccountKey=", text, StringComparison.Ordinal);
    }

    [Fact]
    public void CosmosKeyVaultRegistryAndOpenAiTakeEntraIdOnly()
    {
        var cosmos = Single("Microsoft.DocumentDB/databaseAccounts");
        Assert.True((bool)cosmos["disableLocalAuth"]!);
        Assert.Equal("Tls12", (string?)cosmos["minimalTlsVersion"]);
        Assert.Equal("EnableServerless", (string?)cosmos["capabilities"]![0]!["name"]);
        Assert.True((bool)Single("Microsoft.KeyVault/vaults")["enableRbacAuthorization"]!);
        Assert.False((bool)Single("Microsoft.ContainerRegistry/registries")["adminUserEnabled"]!);
        Assert.True((bool)Single("Microsoft.CognitiveServices/accounts")["disableLocalAuth"]!);
        Assert.False((bool)compiled.Module("main").Parameter("deployOpenAi")["defaultValue"]!);
    }

    private JsonObject Single(string type) =>
        compiled.ResourcesOfType(type).Single().Resource["properties"]!.AsObject();
}
