using YamlDotNet.RepresentationModel;

namespace Personas.Infra.Tests;

public sealed class AzureYamlTests
{
    private static YamlMappingNode Load()
    {
        var path = Path.Combine(BicepCli.RepoRoot, "azure.yaml");
        var stream = new YamlStream();
        using var reader = new StreamReader(path);
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents.Single().RootNode;
    }

    private static string Scalar(YamlNode node, params string[] path)
    {
        foreach (var key in path)
        {
            node = ((YamlMappingNode)node).Children[new YamlScalarNode(key)];
        }

        return ((YamlScalarNode)node).Value!;
    }

    [Fact]
    public void TheApiServiceIsTheFunctionAppProject()
    {
        var root = Load();

        Assert.Equal("functions/Personas.Functions", Scalar(root, "services", "api", "project"));
        Assert.Equal("dotnet", Scalar(root, "services", "api", "language"));
        Assert.Equal("function", Scalar(root, "services", "api", "host"));
        Assert.True(Directory.Exists(Path.Combine(BicepCli.RepoRoot, "functions/Personas.Functions")));
        Assert.Contains(Directory.EnumerateFiles(Path.Combine(BicepCli.RepoRoot, "functions/Personas.Functions"),
            "*.csproj"), _ => true);
    }

    [Fact]
    public void InfraIsTheBicepModuleUnderTest()
    {
        var root = Load();

        Assert.Equal("bicep", Scalar(root, "infra", "provider"));
        var module = Path.Combine(BicepCli.RepoRoot, Scalar(root, "infra", "path"), Scalar(root, "infra", "module"));
        Assert.True(File.Exists(module + ".bicep"), module);
        Assert.True(File.Exists(module + ".parameters.json"), module);
    }

    [Fact]
    public void ThePostProvisionHookExistsAndBuildsTheTrainer()
    {
        var script = Scalar(Load(), "hooks", "postprovision", "posix", "run");
        var path = Path.Combine(BicepCli.RepoRoot, script);

        Assert.True(File.Exists(path), path);
        var text = File.ReadAllText(path);
        Assert.Contains("az acr build", text, StringComparison.Ordinal);
        Assert.Contains("trainer/Dockerfile", text, StringComparison.Ordinal);
        Assert.Contains("azd env set PERSONAS_TRAINER_IMAGE", text, StringComparison.Ordinal);
        // The hook's image variable is what main.parameters.json feeds back to trainerImage.
        var parameters = File.ReadAllText(Path.Combine(BicepCli.InfraDirectory, "main.parameters.json"));
        Assert.Contains("${PERSONAS_TRAINER_IMAGE=}", parameters, StringComparison.Ordinal);
    }
}
