using System.IO.Compression;
using System.Net.Http.Json;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Personas.Trainer;
using Personas.Trainer.Training;
using static Personas.Functions.Tests.HttpAssertions;
using static Personas.Functions.Tests.TrainingApiTests;

namespace Personas.Functions.Tests.Trainer;

/// <summary>
/// The training container's agent against the real host: a training started through the API starts a (fake) Container
/// Apps execution; the agent runs in-process with that execution's env, the repo's fake-trainer.sh as its trainer and
/// Azurite as the operator's storage, and the host must accept its signed callbacks and download its LoRA.
/// </summary>
public sealed class TrainerAgentTests(TrainerJobsHost host) : IClassFixture<TrainerJobsHost>, IDisposable
{
    private readonly HttpClient _alice = host.Client(ApiHost.AliceKey);
    private readonly string _workDir = Directory.CreateTempSubdirectory("personas-trainer-tests-").FullName;

    /// <summary>Starts a training through the API and returns the env its execution would give the container.</summary>
    private async Task<(string Persona, Dictionary<string, string> Env)> StartAsync(string trigger, int steps)
    {
        var id = await PersonaWithPhotosAsync(_alice, trigger);
        await Json(await _alice.PostAsync($"/api/personas/{id}/train", JsonContent.Create(new { steps, rank = 8 })), 202);
        var execution = await Eventually.GetAsync(() => host.Arm.Executions.Values
            .FirstOrDefault(e => e.Env("PERSONAS_TRIGGER_WORD") == trigger), "the job execution to start");
        var env = execution.Template["containers"]![0]!["env"]!.AsArray()
            .Where(e => e!["value"] is not null)
            .ToDictionary(e => e!["name"]!.GetValue<string>(), e => e!["value"]!.GetValue<string>());
        // What the operator's job adds, and the test switches: loopback http, no progress throttle, a fake trainer.
        env["PERSONAS_ARTIFACTS_URL"] = host.Blobs.ContainerSasUrl().ToString();
        env["PERSONAS_WORK_DIR"] = _workDir;
        env["PERSONAS_ALLOW_LOOPBACK_HTTP"] = "true";
        env["PERSONAS_PROGRESS_INTERVAL_SECONDS"] = "0";
        env["PERSONAS_TRAINER_COMMAND"] = FakeTrainer();
        return (id, env);
    }

    /// <summary>fake-trainer.sh, then (when the test asks) a wait for a "go" file, so progress can be seen mid-run.</summary>
    private string FakeTrainer(bool waitForGo = false)
    {
        var script = CommandTemplate.Quote(RepoFiles.Path("tests", "Personas.Functions.Tests", "fake-trainer.sh"));
        var run = $"sh {script} {{datasetDir}} {{outputDir}} {{steps}} {{triggerWord}}";
        // The wait is on a condition (the file), with a 60 s deadline.
        var wait = $" && i=0; until [ -e {GoFile} ] || [ $i -ge 600 ]; do sleep 0.1; i=$((i+1)); done";
        return waitForGo ? run + wait : run;
    }

    private string GoFile => Path.Combine(_workDir, "go");

    [Fact]
    public async Task The_agent_trains_reports_progress_and_the_host_copies_exactly_the_uploaded_lora()
    {
        var (id, env) = await StartAsync("zqxagent", steps: 200);
        env["PERSONAS_TRAINER_COMMAND"] = FakeTrainer(waitForGo: true);
        var log = new StringWriter();
        var agent = TrainerAgent.RunAsync(env, TextWriter.Synchronized(log), CancellationToken.None);

        // The trainer's last progress line reached the host while the trainer still runs.
        var training = await Eventually.GetAsync(async () =>
            await Json(await _alice.GetAsync($"/api/personas/{id}/status"), 200) is var s
                && s["currentStep"]?.GetValue<int>() == 200 ? s : null, "the trainer's progress in the persona's status");
        Assert.Equal("Training", training["status"]!.GetValue<string>());
        Assert.Equal(200, training["totalSteps"]!.GetValue<int>());
        await File.WriteAllTextAsync(GoFile, "");

        Assert.Equal(ExitCodes.Succeeded, await agent);
        var ready = await WaitForStatusAsync(_alice, id, "Ready", "Failed");
        Assert.Equal("Ready", ready["status"]!.GetValue<string>());
        var model = ready["models"]!.AsArray().Single()!;
        var stored = await File.ReadAllBytesAsync(
            Path.Combine(host.DataDir, "blobs", model["weightsBlob"]!.GetValue<string>()));
        var runFolder = env["PERSONAS_RUN_ID"];
        var uploaded = (await host.Blobs.Artifacts.GetBlobClient($"{runFolder}/lora.safetensors").DownloadContentAsync())
            .Value.Content.ToArray();
        Assert.Equal(uploaded, stored);
        Assert.Equal("lora for zqxagent, 200 steps", Encoding.UTF8.GetString(stored));
        var checkpoint = host.Blobs.Artifacts.GetBlobClient($"{runFolder}/lora-step00000500.safetensors");
        Assert.True((await checkpoint.ExistsAsync()).Value);

        // Nothing secret in the log: not the callback secret, not the SAS.
        Assert.DoesNotContain(env["PERSONAS_CALLBACK_SECRET"], log.ToString());
        Assert.DoesNotContain("sig=", log.ToString());
    }

    [Fact]
    public async Task Stopping_the_agent_ends_the_trainers_process_tree()
    {
        var (id, env) = await StartAsync("zqxagentstop", steps: 200);
        var pidFile = Path.Combine(_workDir, "trainer.pid");
        env["PERSONAS_TRAINER_COMMAND"] = $"echo $$ > {CommandTemplate.Quote(pidFile)}; " + FakeTrainer(waitForGo: true);
        using var stop = new CancellationTokenSource();
        var agent = TrainerAgent.RunAsync(env, TextWriter.Null, stop.Token);
        await Eventually.GetAsync(async () =>
            await Json(await _alice.GetAsync($"/api/personas/{id}/status"), 200) is var s
                && s["currentStep"]?.GetValue<int>() == 200 ? s : null, "the trainer to be running");

        await stop.CancelAsync(); // what SIGTERM does in Program.cs

        Assert.Equal(ExitCodes.Stopped, await agent);
        var shell = int.Parse(await File.ReadAllTextAsync(pidFile), System.Globalization.CultureInfo.InvariantCulture);
        Assert.False(Directory.Exists($"/proc/{shell}"), "the trainer's shell still runs");
        Assert.False(File.Exists(GoFile));
    }

    [Fact]
    public async Task A_failing_trainer_fails_the_run_with_its_last_error_line()
    {
        var (id, env) = await StartAsync("zqxagentoom", steps: 101); // fake-trainer.sh runs out of memory at 101 steps

        Assert.Equal(ExitCodes.TrainerFailed, await TrainerAgent.RunAsync(env, TextWriter.Null, CancellationToken.None));

        var failed = await WaitForStatusAsync(_alice, id, "Failed", "Ready");
        Assert.Contains("The trainer exited with code 3: CUDA out of memory", failed["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_hostile_dataset_zip_is_refused_without_writing_outside_the_work_dir()
    {
        var (id, env) = await StartAsync("zqxagenthostile", steps: 200);
        var escapee = $"escaped-{Guid.NewGuid():N}.txt";
        await using var server = await LoopbackServer.StartAsync(app =>
            app.MapGet("/hostile.zip", () => Results.Bytes(HostileZip(escapee), "application/zip")));
        env["PERSONAS_DATASET_URL"] = server.Urls.First() + "/hostile.zip";

        Assert.Equal(ExitCodes.DatasetRefused, await TrainerAgent.RunAsync(env, TextWriter.Null, CancellationToken.None));

        var failed = await WaitForStatusAsync(_alice, id, "Failed", "Ready");
        Assert.Contains("The dataset was refused", failed["reason"]!.GetValue<string>());
        Assert.Contains($"../../{escapee}", failed["reason"]!.GetValue<string>());
        var runDir = Path.Combine(_workDir, env["PERSONAS_RUN_ID"]);
        Assert.False(File.Exists(Path.Combine(_workDir, escapee)));
        Assert.False(File.Exists(Path.GetFullPath(Path.Combine(runDir, "dataset", "..", "..", escapee))));
        Assert.False(Directory.Exists(Path.Combine(runDir, "dataset")));
    }

    private static byte[] HostileZip(string escapee)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            using (var image = zip.CreateEntry("01_zqxagenthostile.jpg").Open()) image.Write([0xFF, 0xD8, 0xFF]);
            using var writer = new StreamWriter(zip.CreateEntry($"../../{escapee}").Open());
            writer.Write("written outside the dataset folder");
        }
        return buffer.ToArray();
    }

    [Fact]
    public async Task A_wrong_secret_gets_401_and_the_agent_stops_at_once()
    {
        var (id, env) = await StartAsync("zqxagentforged", steps: 200);
        env["PERSONAS_CALLBACK_SECRET"] = "not-this-runs-secret";
        var log = new StringWriter();

        Assert.Equal(ExitCodes.CallbackRefused, await TrainerAgent.RunAsync(env, log, CancellationToken.None));

        var lines = log.ToString().Split('\n');
        Assert.Single(lines, l => l.Contains("callback running event", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("attempt 1: 401 Unauthorized", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("refused the running callback with 401", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains("trainer |", StringComparison.Ordinal)); // it never trained
        Assert.DoesNotContain("not-this-runs-secret", log.ToString());
        var status = await Json(await _alice.GetAsync($"/api/personas/{id}/status"), 200);
        Assert.Equal("Training", status["status"]!.GetValue<string>());
    }

    public void Dispose()
    {
        try { Directory.Delete(_workDir, recursive: true); } catch (IOException) { }
    }
}
