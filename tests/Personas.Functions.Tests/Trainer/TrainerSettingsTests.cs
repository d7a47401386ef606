using Personas.Trainer.Options;
using Personas.Trainer.Training;

namespace Personas.Functions.Tests.Trainer;

public sealed class TrainerSettingsTests
{
    private static Dictionary<string, string> Valid() => new()
    {
        ["PERSONAS_RUN_ID"] = "run-per_1-v1-abcdef12",
        ["PERSONAS_DATASET_URL"] = "https://host.example/api/datasets/x.zip?sig=abc",
        ["PERSONAS_TRIGGER_WORD"] = "zqx",
        ["PERSONAS_STEPS"] = "1200",
        ["PERSONAS_CALLBACK_URL"] = "https://host.example/api/webhooks/jobs",
        ["PERSONAS_CALLBACK_SECRET"] = "c2VjcmV0LXZhbHVl",
        ["PERSONAS_ARTIFACTS_URL"] = "https://acct.blob.core.windows.net/artifacts",
    };

    [Fact]
    public void The_contracts_env_is_read_with_defaults()
    {
        var settings = TrainerSettings.FromEnvironment(Valid());

        Assert.Equal(1200, settings.Steps);
        Assert.Equal("portrait", settings.Mode);
        Assert.Null(settings.Rank);
        Assert.Equal(TrainerSettings.DefaultCommand, settings.TrainerCommand);
        Assert.Equal(TimeSpan.FromSeconds(15), settings.ProgressInterval);
        Assert.False(settings.AllowLoopbackHttp);
    }

    [Fact]
    public void Every_problem_is_listed_without_quoting_secrets()
    {
        var env = Valid();
        env.Remove("PERSONAS_RUN_ID");
        env["PERSONAS_STEPS"] = "many";
        env["PERSONAS_RANK"] = "0";
        env["PERSONAS_MODE"] = "landscape";
        env["PERSONAS_TRIGGER_WORD"] = "two words";
        env["PERSONAS_DATASET_URL"] = "http://127.0.0.1:9/x.zip?sig=topsecret";

        var error = Assert.Throws<TrainerSettingsException>(() => TrainerSettings.FromEnvironment(env));

        Assert.Equal(6, error.Problems.Count);
        Assert.Contains("PERSONAS_RUN_ID is required.", error.Problems);
        Assert.Contains("PERSONAS_STEPS must be a whole number from 1 to 100000.", error.Problems);
        Assert.Contains(error.Problems, p => p.StartsWith("PERSONAS_DATASET_URL must be https", StringComparison.Ordinal));
        Assert.DoesNotContain("topsecret", error.Message);
    }

    [Fact]
    public void Loopback_http_needs_the_switch_and_other_http_is_refused_even_with_it()
    {
        var env = Valid();
        env["PERSONAS_CALLBACK_URL"] = "http://127.0.0.1:5000/api/webhooks/jobs";
        Assert.Throws<TrainerSettingsException>(() => TrainerSettings.FromEnvironment(env));

        env["PERSONAS_ALLOW_LOOPBACK_HTTP"] = "true";
        Assert.Equal(5000, TrainerSettings.FromEnvironment(env).CallbackUrl.Port);

        env["PERSONAS_CALLBACK_URL"] = "http://host.example/api/webhooks/jobs";
        Assert.Throws<TrainerSettingsException>(() => TrainerSettings.FromEnvironment(env));
    }

    [Fact]
    public void The_command_template_quotes_values_and_refuses_unknown_placeholders()
    {
        var values = new Dictionary<string, string> { ["datasetDir"] = "/work/it's here", ["steps"] = "10" };

        Assert.Equal("train '/work/it'\\''s here' --steps '10'",
            CommandTemplate.Fill("train {datasetDir} --steps {steps}", values));
        var error = Assert.Throws<TrainerSettingsException>(() => CommandTemplate.Fill("train {stpes}", values));
        Assert.Contains("unknown placeholder {stpes}", error.Message);
    }
}
