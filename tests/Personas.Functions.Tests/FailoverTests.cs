using System.Net.Http.Json;
using static Personas.Functions.Tests.HttpAssertions;
using static Personas.Functions.Tests.TrainingApiTests;

namespace Personas.Functions.Tests;

/// <summary>fal.ai first in the order but with a key it refuses, Replicate second and working: both fakes on 127.0.0.1.</summary>
public sealed class FailoverApiHost : ApiHost
{
    public FakeFal Fal { get; private set; } = null!;
    public FakeReplicate Replicate { get; private set; } = null!;

    protected override async Task<IDictionary<string, string?>> ExtraSettingsAsync()
    {
        Fal = await FakeFal.StartAsync();
        Replicate = await FakeReplicate.StartAsync();
        var settings = new Dictionary<string, string?>(PublicAddress().Concat(Fal.HostSettings(key: "revoked-key")).Concat(Replicate.HostSettings()));
        settings["Personas:Training:Order"] = "fal,replicate";
        return settings;
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Fal.DisposeAsync();
        await Replicate.DisposeAsync();
    }
}

public sealed class FailoverTests(FailoverApiHost host) : IClassFixture<FailoverApiHost>
{
    [Fact]
    public async Task When_the_first_provider_refuses_the_job_the_next_one_trains_and_the_switch_is_recorded()
    {
        var alice = host.Client(ApiHost.AliceKey);
        var id = await PersonaWithPhotosAsync(alice, "zqxfailover");
        await Json(await alice.PostAsync($"/api/personas/{id}/train", JsonContent.Create(new { steps = 500 })), 202);
        var training = await Eventually.GetAsync(() => host.Replicate.Trainings.Values.FirstOrDefault(t => t.Input["trigger_word"]?.GetValue<string>() == "zqxfailover"), "Replicate to get the job");
        Assert.Empty(host.Fal.Jobs); // fal.ai refused the key: nothing queued there
        training.Status = "succeeded";

        var ready = await WaitForStatusAsync(alice, id, "Ready", "Failed");
        var model = ready["models"]!.AsArray().Single()!;
        Assert.Equal("replicate", model["provider"]!.GetValue<string>());
        var switches = model["providerSwitches"]!.AsArray().Select(s => s!.GetValue<string>()).ToList();
        Assert.Single(switches);
        Assert.Contains("fal did not start the job (401", switches[0]);
    }
}
