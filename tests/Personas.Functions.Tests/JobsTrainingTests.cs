using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using Azure.Core;
using Microsoft.Extensions.DependencyInjection;
using Personas.Providers.Webhooks;
using static Personas.Functions.Tests.HttpAssertions;
using static Personas.Functions.Tests.TrainingApiTests;

namespace Personas.Functions.Tests;

/// <summary>The host configured for a Container Apps job, pointed at <see cref="FakeContainerApps"/>, with a fixed ARM token.</summary>
public sealed class JobsApiHost : ApiHost
{
    public FakeContainerApps Arm { get; private set; } = null!;
    public StaticTokenCredential Credential { get; } = new(FakeContainerApps.Token);

    protected override async Task<IDictionary<string, string?>> ExtraSettingsAsync()
    {
        Arm = await FakeContainerApps.StartAsync();
        return new Dictionary<string, string?>(PublicAddress().Concat(Arm.HostSettings()));
    }

    protected override void ReplaceServices(IServiceCollection services) => services.AddSingleton<TokenCredential>(Credential);

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Arm.DisposeAsync();
    }
}

public sealed class JobsTrainingTests(JobsApiHost host) : IClassFixture<JobsApiHost>
{
    private readonly HttpClient _alice = host.Client(ApiHost.AliceKey);
    private readonly HttpClient _anonymous = host.Client(null);

    private async Task<(string Persona, FakeContainerApps.Execution Execution)> StartAsync(string trigger, object? options = null)
    {
        var id = await PersonaWithPhotosAsync(_alice, trigger);
        await Json(await _alice.PostAsync($"/api/personas/{id}/train", JsonContent.Create(options ?? new { steps = 1200, rank = 32 })), 202);
        var execution = await Eventually.GetAsync(() => host.Arm.Executions.Values.FirstOrDefault(e => e.Env("PERSONAS_TRIGGER_WORD") == trigger), "the job execution to start");
        return (id, execution);
    }

    [Fact]
    public async Task The_container_reports_by_signed_callback_and_its_weights_are_copied()
    {
        var (id, execution) = await StartAsync("zqxjobs");

        // The override resends the whole container (image, resources, secret refs) with the run's settings replacing stale ones.
        var container = execution.Template["containers"]![0]!;
        Assert.Equal("acr.example.io/personas-trainer:1.4", container["image"]!.GetValue<string>());
        Assert.Equal("220Gi", container["resources"]!["memory"]!.GetValue<string>());
        Assert.Contains(container["env"]!.AsArray(), e => e!["name"]!.GetValue<string>() == "HF_TOKEN" && e["secretRef"]!.GetValue<string>() == "hf-token");
        Assert.Equal("1200", execution.Env("PERSONAS_STEPS"));
        Assert.Equal("32", execution.Env("PERSONAS_RANK"));
        Assert.Equal($"{host.BaseAddress}api/webhooks/jobs", execution.Env("PERSONAS_CALLBACK_URL"));
        Assert.True(host.Credential.Requests > 0);
        using (var zip = new ZipArchive(await (await _anonymous.GetAsync(execution.Env("PERSONAS_DATASET_URL"))).Content.ReadAsStreamAsync()))
            Assert.Contains("01_zqxjobs.txt", zip.Entries.Select(e => e.FullName));

        // Progress arrives by callback and shows in the status.
        Assert.Equal(HttpStatusCode.OK, (await _anonymous.SendAsync(FakeContainerApps.Callback(execution, new { status = "running", step = 300, totalSteps = 1200, message = "epoch 2" }))).StatusCode);
        await Eventually.GetAsync(async () => (await Json(await _alice.GetAsync($"/api/personas/{id}/status"), 200)) is var s && s["currentStep"]?.GetValue<int>() == 300 ? s : null, "progress from the callback");

        // Forged, stale and misdirected callbacks are refused and change nothing.
        var done = new { status = "succeeded", step = 1200, totalSteps = 1200, artifacts = new[] { new { kind = "weights", name = "lora.safetensors", url = $"{host.Arm.BaseAddress}outputs/{execution.Name}/lora.safetensors" } } };
        Assert.Equal(HttpStatusCode.Unauthorized, (await _anonymous.SendAsync(FakeContainerApps.Callback(execution, done, secret: "guessed-secret"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _anonymous.SendAsync(FakeContainerApps.Callback(execution, done, at: DateTimeOffset.UtcNow.AddMinutes(-6)))).StatusCode);
        var tampered = FakeContainerApps.Callback(execution, done);
        tampered.Content = new ByteArrayContent("""{"status":"succeeded","artifacts":[{"kind":"weights","name":"x","url":"https://evil.example/x"}]}"""u8.ToArray());
        Assert.Equal(HttpStatusCode.Unauthorized, (await _anonymous.SendAsync(tampered)).StatusCode);
        var otherRunsSecret = FakeContainerApps.Callback(execution, done, runId: "run-someone-else-v1-00000000", secret: execution.Env("PERSONAS_CALLBACK_SECRET"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await _anonymous.SendAsync(otherRunsSecret)).StatusCode);
        Assert.Equal("Training", (await Json(await _alice.GetAsync($"/api/personas/{id}/status"), 200))["status"]!.GetValue<string>());

        // The real completion, delivered twice, finishes the run once.
        Assert.Equal(HttpStatusCode.OK, (await _anonymous.SendAsync(FakeContainerApps.Callback(execution, done, eventId: "done-1"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _anonymous.SendAsync(FakeContainerApps.Callback(execution, done, eventId: "done-1"))).StatusCode);
        var ready = await WaitForStatusAsync(_alice, id, "Ready", "Failed");
        Assert.Equal("Ready", ready["status"]!.GetValue<string>());
        var model = ready["models"]!.AsArray().Single()!;
        Assert.Equal("jobs", model["provider"]!.GetValue<string>());
        Assert.Equal(host.Arm.Lora, await File.ReadAllBytesAsync(Path.Combine(host.DataDir, "blobs", model["weightsBlob"]!.GetValue<string>())));
    }

    [Fact]
    public async Task A_callback_for_an_unknown_run_is_404_and_an_execution_that_dies_fails_the_run_by_polling()
    {
        var (id, execution) = await StartAsync("zqxjobdies");
        var signer = host.App.Services.GetRequiredService<JobCallbackSigner>();
        var unknown = "run-nobody-v1-12345678";
        var response = await _anonymous.SendAsync(FakeContainerApps.Callback(execution, new { status = "running" }, runId: unknown, secret: signer.SecretFor(unknown)));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);

        execution.Status = "Failed";
        var failed = await WaitForStatusAsync(_alice, id, "Failed", "Ready");
        Assert.Contains("ended as Failed", failed["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Cancel_stops_the_execution()
    {
        var (id, execution) = await StartAsync("zqxjobcancel");
        await WaitForStatusAsync(_alice, id, "Training");
        await Json(await _alice.PostAsync($"/api/personas/{id}/train/cancel", null), 202);
        await WaitForStatusAsync(_alice, id, "Failed");
        Assert.True(execution.StopCalls >= 1);
    }
}
