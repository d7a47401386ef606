namespace Personas.Infra.Tests;

[Collection(CompiledTemplateCollection.Name)]
public sealed class BicepCompileTests(CompiledTemplate compiled)
{
    [Fact]
    public void MainBicepBuildsWithoutAnyDiagnostic() => Assert.True(compiled.Build.Clean, compiled.Build.Describe());

    [Fact]
    public async Task MainBicepPassesTheLinterWithItsRulesAsErrors()
    {
        var lint = await BicepCli.RunAsync("lint", "main.bicep");

        Assert.True(lint.Clean, lint.Describe());
    }

    [Fact]
    public async Task TheCheckFailsOnAWarning()
    {
        // Proves the two tests above can fail: an unused parameter is only a warning by default, an error here.
        var directory = Directory.CreateTempSubdirectory("bicep-probe-");
        try
        {
            File.Copy(Path.Combine(BicepCli.InfraDirectory, "bicepconfig.json"),
                Path.Combine(directory.FullName, "bicepconfig.json"));
            var probe = Path.Combine(directory.FullName, "probe.bicep");
            await File.WriteAllTextAsync(probe, "param unused string\n");

            var lint = await BicepCli.RunAsync("lint", probe);

            Assert.False(lint.Clean);
            Assert.Contains(lint.Diagnostics, d => d.Contains("no-unused-params", StringComparison.Ordinal));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData("AZURE_FUNCTION_APP_NAME")]
    [InlineData("AZURE_RESOURCE_GROUP")]
    [InlineData("AZURE_CONTAINER_REGISTRY_NAME")]
    [InlineData("AZURE_CONTAINER_REGISTRY_ENDPOINT")]
    [InlineData("AZURE_KEY_VAULT_NAME")]
    [InlineData("PERSONAS_TRAINER_JOB_NAME")]
    [InlineData("SERVICE_API_URI")]
    public void MainOutputsWhatAzdAndTheHookNeed(string output) =>
        Assert.NotNull(compiled.Root["outputs"]?[output]);
}
