using System.Net.Http.Json;
using static Personas.Functions.Tests.HttpAssertions;
using static Personas.Functions.Tests.TrainingApiTests;

namespace Personas.Functions.Tests;

/// <summary>The host with the local command provider running tests/…/fake-trainer.sh as its training command.</summary>
public sealed class LocalTrainingApiHost : ApiHost
{
    protected override Task<IDictionary<string, string?>> ExtraSettingsAsync() => Task.FromResult<IDictionary<string, string?>>(new Dictionary<string, string?>
    {
        ["Personas:Local:Command"] = $"sh {RepoFiles.Path("tests", "Personas.Functions.Tests", "fake-trainer.sh")} {{datasetDir}} {{outputDir}} {{steps}} {{triggerWord}}",
        ["Personas:Local:FirstPollSeconds"] = "0.2",
    });
}

public sealed class LocalTrainingTests(LocalTrainingApiHost host) : IClassFixture<LocalTrainingApiHost>
{
    private readonly HttpClient _alice = host.Client(ApiHost.AliceKey);

    [Fact]
    public async Task The_command_trains_its_progress_shows_its_lora_and_checkpoint_are_kept_and_deleting_leaves_nothing()
    {
        var id = await PersonaWithPhotosAsync(_alice, "zqxlocal");
        await Json(await _alice.PostAsync($"/api/personas/{id}/train", JsonContent.Create(new { steps = 800 })), 202);
        await Eventually.GetAsync(async () => (await Json(await _alice.GetAsync($"/api/personas/{id}/status"), 200)) is var s && s["totalSteps"]?.GetValue<int>() == 800 ? s : null,
            "progress parsed from the command's output");

        var ready = await WaitForStatusAsync(_alice, id, "Ready", "Failed");
        Assert.True(ready["status"]!.GetValue<string>() == "Ready", ready.ToJsonString());
        var model = ready["models"]!.AsArray().Single()!;
        Assert.Equal("local", model["provider"]!.GetValue<string>());
        Assert.Equal("lora for zqxlocal, 800 steps", await File.ReadAllTextAsync(Path.Combine(host.DataDir, "blobs", model["weightsBlob"]!.GetValue<string>())));
        Assert.Single(model["checkpointBlobs"]!.AsArray());
        // Both candidates were validated; the final weights win a tie.
        Assert.Equal(2, model["validation"]!["candidates"]!.AsArray().Count);
        Assert.Equal("final", model["validation"]!["chosenLabel"]!.GetValue<string>());

        await PersonaDeletion.DeleteAndWaitAsync(_alice, id);
        var left = PersonaDeletion.Leftovers(host.DataDir, id);
        Assert.True(left.Count == 0, string.Join("\n", left));
    }

    [Fact]
    public async Task A_command_that_fails_fails_the_run_with_its_exit_code_and_last_line()
    {
        var id = await PersonaWithPhotosAsync(_alice, "zqxlocalfail");
        await Json(await _alice.PostAsync($"/api/personas/{id}/train", JsonContent.Create(new { steps = 101 })), 202);
        var failed = await WaitForStatusAsync(_alice, id, "Failed", "Ready");
        Assert.Equal("Failed", failed["status"]!.GetValue<string>());
        Assert.Contains("exited with code 3: CUDA out of memory", failed["reason"]!.GetValue<string>());
    }
}

/// <summary>A run's recorded pid is trusted only for the process that started with it.</summary>
public sealed class LocalRunProcessTests : IDisposable
{
    private readonly string _workDir = Directory.CreateTempSubdirectory("personas-local-").FullName;

    [Fact]
    public async Task Cancelling_a_finished_run_does_not_kill_a_process_that_got_its_pid_later()
    {
        // A finished run's pid, handed out again to an unrelated process (a `sleep`, started after the run's shell).
        using var stranger = System.Diagnostics.Process.Start("sleep", "60");
        var folder = Directory.CreateDirectory(Path.Combine(_workDir, "alice", "p-1", "run-v1-0000")).FullName;
        var runStarted = stranger.StartTime.ToUniversalTime().AddMinutes(-5).Ticks;
        await File.WriteAllTextAsync(Path.Combine(folder, "pid.txt"), $"{stranger.Id} {runStarted}");
        var provider = new Personas.Providers.Local.LocalCommandTrainingProvider(
            Moq.Mock.Of<Personas.Domain.Blobs.IBlobStore>(), new() { WorkDir = _workDir, Command = "true" });
        var job = new Personas.Providers.Training.TrainingJob("local", "alice/p-1/run-v1-0000");
        try
        {
            var status = await provider.GetStatusAsync(job, CancellationToken.None);
            Assert.Equal(Personas.Providers.Training.TrainingState.Failed, status.State); // gone, not running
            await provider.CancelAsync(job, CancellationToken.None);
            Assert.False(stranger.HasExited, "the process that reused the pid was killed");
        }
        finally
        {
            if (!stranger.HasExited) stranger.Kill();
        }
    }

    public void Dispose() => Directory.Delete(_workDir, recursive: true);
}
