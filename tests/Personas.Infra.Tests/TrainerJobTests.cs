namespace Personas.Infra.Tests;

[Collection(CompiledTemplateCollection.Name)]
public sealed class TrainerJobTests(CompiledTemplate compiled)
{
    private ModuleTemplate Trainer => compiled.Module("trainer-job");

    [Fact]
    public void TheJobIsManualOnTheGpuProfileWithAtLeastTwoHours()
    {
        var job = compiled.ResourcesOfType("Microsoft.App/jobs").Single().Resource;
        var configuration = job["properties"]!["configuration"]!;

        Assert.Equal("Manual", (string?)configuration["triggerType"]);
        Assert.Equal("[parameters('timeoutSeconds')]", (string?)configuration["replicaTimeout"]);
        var timeout = compiled.Module("main").Parameter("trainerTimeoutSeconds");
        Assert.True((int)timeout["minValue"]! >= 7200);
        Assert.True((int)timeout["defaultValue"]! >= 7200);
        Assert.Equal("[variables('gpuProfileName')]", (string?)job["properties"]!["workloadProfileName"]);
        Assert.Equal("[parameters('identityId')]", (string?)configuration["registries"]![0]!["identity"]);
    }

    [Fact]
    public void TheEnvironmentOffersTheParameterisedGpuProfile()
    {
        var environment = compiled.ResourcesOfType("Microsoft.App/managedEnvironments").Single().Resource;
        var profiles = environment["properties"]!["workloadProfiles"]!.AsArray();

        Assert.Contains(profiles, p => (string?)p!["name"] == "[variables('gpuProfileName')]"
            && (string?)p["workloadProfileType"] == "[parameters('gpuProfileType')]");
        var allowed = compiled.Module("main").Parameter("gpuProfileType")["allowedValues"]!.AsArray()
            .Select(v => (string)v!).ToList();
        Assert.Equal(["Consumption-GPU-NC24-A100", "Consumption-GPU-NC8as-T4"], allowed);
        // Each allowed profile has a replica size.
        var sizes = Trainer.Variable("replicaSizes").AsObject();
        Assert.Equal(allowed.Order(), sizes.Select(s => s.Key).Order());
    }

    [Fact]
    public void TheContainerGetsTheArtifactsUrlAndTheIdentityClientId()
    {
        var job = compiled.ResourcesOfType("Microsoft.App/jobs").Single().Resource;
        var env = job["properties"]!["template"]!["containers"]![0]!["env"]!.AsArray()
            .ToDictionary(e => (string)e!["name"]!, e => (string)e!["value"]!);

        Assert.Equal("[parameters('artifactsUrl')]", env["PERSONAS_ARTIFACTS_URL"]);
        Assert.Equal("[parameters('identityClientId')]", env["AZURE_CLIENT_ID"]);
        var input = compiled.Module("personas-resources").Resources.Single(r => (string?)r["name"] == "trainer-job")
            ["properties"]!["parameters"]!["artifactsUrl"]!["value"]!.ToString();
        Assert.Equal(
            "[format('{0}training-artifacts', reference(resourceId('Microsoft.Resources/deployments', 'storage'), " +
            "'2025-04-01').outputs.blobEndpoint.value)]",
            input);
        Assert.Equal("lora-trainer", (string?)compiled.Module("personas-resources").Variable("trainerJobName"));
    }
}
