using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Personas.Infra.Tests;

[Collection(CompiledTemplateCollection.Name)]
public sealed partial class AppSettingsTests(CompiledTemplate compiled)
{
    private static readonly string[] SecretSettings =
    [
        "Personas__ApiKeys", "Personas__BlobSigningKey", "Personas__Fal__Key", "Personas__Replicate__Token",
        "Personas__Replicate__WebhookSecret",
    ];

    private ModuleTemplate FunctionApp => compiled.Module("function-app");

    private ModuleTemplate Resources => compiled.Module("personas-resources");

    [Theory]
    [InlineData("AzureWebJobsStorage__accountName", "[parameters('storageAccountName')]")]
    [InlineData("AzureWebJobsStorage__credential", "managedidentity")]
    [InlineData("AzureWebJobsStorage__clientId", "[parameters('identityClientId')]")]
    [InlineData("AZURE_CLIENT_ID", "[parameters('identityClientId')]")]
    [InlineData("APPLICATIONINSIGHTS_CONNECTION_STRING", "[parameters('appInsightsConnectionString')]")]
    [InlineData("Personas__Blobs__Provider", "azure")]
    [InlineData("Personas__Blobs__ServiceUri",
        "[format('https://{0}.blob.{1}', parameters('storageAccountName'), environment().suffixes.storage)]")]
    [InlineData("Personas__Blobs__Container", "personas")]
    [InlineData("Personas__Blobs__ManagedIdentityClientId", "[parameters('identityClientId')]")]
    [InlineData("Personas__Cosmos__ManagedIdentityClientId", "[parameters('identityClientId')]")]
    [InlineData("Personas__Catalog__Provider", "cosmos")]
    [InlineData("Personas__Cosmos__Endpoint", "[parameters('cosmosEndpoint')]")]
    [InlineData("Personas__Cosmos__Database", "[parameters('cosmosDatabase')]")]
    [InlineData("Personas__Cosmos__Container", "[parameters('cosmosContainer')]")]
    [InlineData("Personas__PublicBaseUrl", "[format('https://{0}', variables('hostName'))]")]
    [InlineData("Personas__Jobs__SubscriptionId", "[subscription().subscriptionId]")]
    [InlineData("Personas__Jobs__ResourceGroup", "[parameters('jobsResourceGroup')]")]
    [InlineData("Personas__Jobs__JobName", "[parameters('jobsJobName')]")]
    public void EveryRequiredSettingIsSet(string name, string value)
    {
        var settings = BaseSettings();

        Assert.True(settings.TryGetValue(name, out var actual), $"{name} is missing.");
        Assert.Equal(value, actual);
    }

    [Fact]
    public void TheAppGetsEveryListOfSettings() =>
        Assert.Equal(
            "[concat(variables('baseSettings'), variables('openAiSettings'), parameters('secretSettings'))]",
            (string?)FunctionApp.Resources.Single(r => (string?)r["type"] == "Microsoft.Web/sites")
                ["properties"]!["siteConfig"]!["appSettings"]);

    [Fact]
    public void TheModuleInputsPointAtTheRightResources()
    {
        var inputs = ModuleInputs("function-app");

        Assert.Contains("'cosmos'", inputs["cosmosEndpoint"], StringComparison.Ordinal);
        Assert.Contains("'trainer-job'", inputs["jobsJobName"], StringComparison.Ordinal);
        Assert.Contains("'keyvault'", inputs["secretSettings"], StringComparison.Ordinal);
        Assert.Contains("outputs.referenceSettings", inputs["secretSettings"], StringComparison.Ordinal);
        Assert.Equal("personas", (string?)compiled.Module("cosmos").Variable("databaseName"));
        Assert.Equal("catalog", (string?)compiled.Module("cosmos").Variable("containerName"));
    }

    [Fact]
    public void AzureOpenAiSettingsNameTheDeploymentAndTheV1Endpoint()
    {
        var expression = (string)FunctionApp.Variable("openAiSettings")!;
        var names = SettingNameInExpression().Matches(expression).Select(m => m.Groups[1].Value);

        Assert.Equal(["Personas__Llm__Endpoint", "Personas__Llm__TextModel", "Personas__Llm__VisionModel",
            "Personas__Llm__Auth", "Personas__Llm__ManagedIdentityClientId"], names);
        Assert.Contains("'Personas__Llm__Auth', 'value', 'entra'", expression, StringComparison.Ordinal);
        Assert.StartsWith(
            "[if(empty(parameters('openAiEndpoint')), createArray()", expression, StringComparison.Ordinal);
        var endpoint = compiled.Module("openai").Template["outputs"]!["endpoint"]!["value"]!.ToString();
        Assert.Contains("openai/v1/", endpoint, StringComparison.Ordinal);
        // No key: the app uses Entra tokens.
        Assert.DoesNotContain("Personas__Llm__ApiKey", FunctionApp.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void SecretsReachTheAppOnlyAsKeyVaultReferences()
    {
        // The app module never sees a secret: no secure parameter, no secret setting among its literal settings.
        Assert.Empty(FunctionApp.SecureParameterNames);
        Assert.DoesNotContain(BaseSettings().Keys, SecretSettings.Contains);

        // Its secret settings are the vault module's output, each value a reference to a vault secret.
        var reference = compiled.Module("keyvault").Template["outputs"]!["referenceSettings"]!["copy"]!["input"]!;
        Assert.Equal("[parameters('settingNames')[copyIndex()]]", (string?)reference["name"]);
        Assert.StartsWith(
            "[format('@Microsoft.KeyVault(SecretUri={0})', reference(resourceId('Microsoft.KeyVault/vaults/secrets'",
            (string?)reference["value"], StringComparison.Ordinal);
    }

    [Fact]
    public void EachSecretComesFromASecureParameterAndGoesOnlyToTheVault()
    {
        var values = Resources.Variable("secretValues").AsObject();
        Assert.Equal(SecretSettings.Order(), values.Select(p => p.Key).Order());
        var text = Resources.Text;
        foreach (var (setting, value) in values)
        {
            var parameter = ParameterReference().Match((string)value!).Groups[1].Value;
            Assert.Contains(parameter, Resources.SecureParameterNames);
            // Declared once, used once: in secretValues.
            Assert.Equal(1, Count(text, $"parameters('{parameter}')"));
        }

        // secretValues feeds the emptiness filter and the vault module's secure input, nothing else.
        Assert.Equal(3, Count(text, "variables('secretValues')"));
        var vaultInputs = ModuleInputs("keyvault");
        Assert.Equal("[variables('secretValues')]", vaultInputs["secretValues"]);
        Assert.Equal("[variables('presentSecretSettings')]", vaultInputs["settingNames"]);
        Assert.Contains("secretValues", compiled.Module("keyvault").SecureParameterNames);
    }

    [Fact]
    public void EmptyOptionalSecretsGetNoSecretAndNoSetting()
    {
        // An unresolvable reference would reach the app as its literal text, so only non-empty values are kept.
        Assert.Equal(
            "[filter(objectKeys(variables('secretValues')), lambda('name', " +
            "not(empty(variables('secretValues')[lambdaVariables('name')]))))]",
            (string?)Resources.Variable("presentSecretSettings"));
        var secrets = compiled.ResourcesOfType("Microsoft.KeyVault/vaults/secrets").Single().Resource;
        Assert.Equal("[length(parameters('settingNames'))]", (string?)secrets["copy"]!["count"]);
        foreach (var optional in new[] { "falKey", "replicateToken", "replicateWebhookSecret" })
        {
            Assert.Equal("", (string?)compiled.Module("main").Parameter(optional)["defaultValue"]);
        }

        Assert.Null(compiled.Module("main").Parameter("apiKeys")["defaultValue"]);
        Assert.Null(compiled.Module("main").Parameter("blobSigningKey")["defaultValue"]);
    }

    private Dictionary<string, string> BaseSettings() =>
        FunctionApp.Variable("baseSettings").AsArray()
            .ToDictionary(s => (string)s!["name"]!, s => (string)s!["value"]!);

    private Dictionary<string, string> ModuleInputs(string deploymentName)
    {
        var deployment = Resources.Resources.Single(r => (string?)r["name"] == deploymentName);
        return deployment["properties"]!["parameters"]!.AsObject()
            .ToDictionary(p => p.Key, p => p.Value is JsonObject o ? o["value"]!.ToString() : p.Value!.ToString());
    }

    private static int Count(string text, string value) =>
        (text.Length - text.Replace(value, "", StringComparison.Ordinal).Length) / value.Length;

    [GeneratedRegex(@"createObject\('name', '([^']+)'")]
    private static partial Regex SettingNameInExpression();

    [GeneratedRegex(@"^\[parameters\('([^']+)'\)\]$")]
    private static partial Regex ParameterReference();
}
