using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using static Personas.Functions.Tests.HttpAssertions;
using static Personas.Functions.Tests.TrainingApiTests;

namespace Personas.Functions.Tests;

/// <summary>The host configured for fal.ai, pointed at <see cref="FakeFal"/>, on a port known in advance so providers can call it back.</summary>
public sealed class FalApiHost : ApiHost
{
    public FakeFal Fal { get; private set; } = null!;

    protected override async Task<IDictionary<string, string?>> ExtraSettingsAsync()
    {
        Fal = await FakeFal.StartAsync();
        return new Dictionary<string, string?>(PublicAddress().Concat(Fal.HostSettings()));
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Fal.DisposeAsync();
    }
}

public sealed class FalTrainingTests(FalApiHost host) : IClassFixture<FalApiHost>
{
    private readonly HttpClient _alice = host.Client(ApiHost.AliceKey);
    private readonly HttpClient _anonymous = host.Client(null);

    private async Task<(string Persona, FakeFal.Job Job)> StartTrainingAsync(string trigger)
    {
        var id = await PersonaWithPhotosAsync(_alice, trigger);
        await Json(await _alice.PostAsync($"/api/personas/{id}/train", JsonContent.Create(new { steps = 1000 })), 202);
        var job = await Eventually.GetAsync(() => host.Fal.Jobs.Values.FirstOrDefault(j => j.Input["trigger_phrase"]?.GetValue<string>() == trigger), "fal.ai to get the job");
        return (id, job);
    }

    [Fact]
    public async Task A_signed_webhook_completes_training_and_forged_or_repeated_deliveries_change_nothing()
    {
        var (id, job) = await StartTrainingAsync("zqxfalhook");
        Assert.Equal("fal-ai/flux-lora-portrait-trainer", job.Model);
        Assert.Equal(1000, job.Input["steps"]!.GetValue<int>());
        Assert.Equal($"{host.BaseAddress}api/webhooks/fal", job.Webhook);
        // The dataset link fal.ai is given works without our API key, and holds the fal.ai package.
        using (var zip = new ZipArchive(await (await _anonymous.GetAsync(job.Input["images_data_url"]!.GetValue<string>())).Content.ReadAsStreamAsync()))
            Assert.Contains("01_zqxfalhook.txt", zip.Entries.Select(e => e.FullName));

        job.State = "IN_PROGRESS";
        await Eventually.GetAsync(async () => (await Json(await _alice.GetAsync($"/api/personas/{id}/status"), 200)) is var s && s["currentStep"]?.GetValue<int>() == 250 ? s : null,
            "progress from fal's logs");

        var forgeries = new[]
        {
            host.Fal.Webhook(job, key: FalSigning.NewKey()).Request,                       // wrong key
            host.Fal.Webhook(job, timestamp: DateTimeOffset.UtcNow.AddMinutes(-10)).Request, // old timestamp
        };
        foreach (var forged in forgeries) await Problem(await _anonymous.SendAsync(forged), 401, "signature");
        var (_, altered) = host.Fal.Webhook(job);
        altered.Content = new StringContent((await altered.Content!.ReadAsStringAsync()).Replace("\"OK\"", "\"ERROR\""), Encoding.UTF8, "application/json");
        await Problem(await _anonymous.SendAsync(altered), 401, "signature");                 // body altered after signing
        var unsigned = host.Fal.Webhook(job).Request;
        unsigned.Headers.Remove("X-Fal-Webhook-Signature");
        await Problem(await _anonymous.SendAsync(unsigned), 401, "signature");
        await Problem(await _anonymous.SendAsync(host.Fal.Webhook(job, requestId: "00000000-0000-0000-0000-000000000000").Request), 404, "request_id"); // unknown id
        Assert.Equal("Training", (await Json(await _alice.GetAsync($"/api/personas/{id}/status"), 200))["status"]!.GetValue<string>());

        var (body, delivery) = host.Fal.Webhook(job);
        Assert.Equal(HttpStatusCode.OK, (await _anonymous.SendAsync(delivery)).StatusCode);
        var ready = await WaitForStatusAsync(_alice, id, "Ready", "Failed");
        Assert.Equal("Ready", ready["status"]!.GetValue<string>());
        var model = ready["models"]!.AsArray().Single()!;
        Assert.Equal("fal", model["provider"]!.GetValue<string>());
        Assert.Equal(job.Id, model["providerJobId"]!.GetValue<string>());
        Assert.Equal(host.Fal.Weights, await File.ReadAllBytesAsync(Path.Combine(host.DataDir, "blobs", model["weightsBlob"]!.GetValue<string>())));

        var replay = new HttpRequestMessage(HttpMethod.Post, job.Webhook) { Content = new ByteArrayContent(body) };
        foreach (var header in delivery.Headers) replay.Headers.TryAddWithoutValidation(header.Key, header.Value);
        replay.Content.Headers.ContentType = new("application/json");
        Assert.Equal(HttpStatusCode.OK, (await _anonymous.SendAsync(replay)).StatusCode); // acknowledged, applied once
        Assert.Single((await Json(await _alice.GetAsync($"/api/personas/{id}/status"), 200))["models"]!.AsArray());
    }

    [Fact]
    public async Task Without_any_webhook_polling_finishes_the_job()
    {
        var (id, job) = await StartTrainingAsync("zqxfalpoll");
        job.State = "COMPLETED";
        var ready = await WaitForStatusAsync(_alice, id, "Ready", "Failed");
        Assert.Equal("Ready", ready["status"]!.GetValue<string>());
        Assert.Equal(host.Fal.Weights, await File.ReadAllBytesAsync(Path.Combine(host.DataDir, "blobs", ready["models"]![0]!["weightsBlob"]!.GetValue<string>())));

        // Validation rendered each of the 3 prompts with the LoRA (by our signed link) and without it, on fal-ai/flux-lora.
        var validation = ready["models"]![0]!["validation"]!;
        Assert.True(validation["passed"]!.GetValue<bool>());
        Assert.Equal("fal", validation["provider"]!.GetValue<string>());
        var renders = host.Fal.Renders.Requests.Values.Where(r => r.Input["prompt"]!.GetValue<string>().Contains("zqxfalpoll")).ToList();
        Assert.Equal(6, renders.Count);
        Assert.Equal(3, renders.Count(r => r.Applied && r.Input["loras"]![0]!["path"]!.GetValue<string>().Contains("/api/blobs/alice/" + id + "/models/v1/lora.safetensors?")));
        Assert.Equal(3, renders.Count(r => !r.Applied && r.Input["loras"]![0]!["scale"]!.GetValue<double>() == 0));

        // The ledger priced the run (1000 steps at the default $0.002) and the 6 validation images ($0.035 each), and a budget it would break is refused up front.
        var costs = await Json(await _alice.GetAsync($"/api/personas/{id}/costs"), 200);
        Assert.Equal(2.21m, costs["totalEstimatedUsd"]!.GetValue<decimal>());
        Assert.Equal("fal", costs["entries"]![0]!["provider"]!.GetValue<string>());
        Assert.Equal(6, costs["entries"]!.AsArray().Count(e => e!["operation"]!.GetValue<string>().StartsWith("validation")));
        var jobs = host.Fal.Jobs.Count;
        await Problem(await _alice.PostAsync($"/api/personas/{id}/train", JsonContent.Create(new { steps = 1000, budgetUsd = 3 })), 400, "budgetUsd");
        Assert.Equal(jobs, host.Fal.Jobs.Count);
        Assert.Equal("Ready", (await Json(await _alice.GetAsync($"/api/personas/{id}/status"), 200))["status"]!.GetValue<string>());

        // Deleting it records in the audit log what fal.ai keeps, since fal has no delete API.
        await PersonaDeletion.DeleteAndWaitAsync(_alice, id);
        var audit = (await Items(_alice, "/api/audit")).Single(e => e!["personaId"]!.GetValue<string>() == id)!;
        Assert.Contains($"fal.ai has no API to delete request {job.Id}", audit["details"]!.GetValue<string>());
        Assert.False(Directory.Exists(Path.Combine(host.DataDir, "blobs", "alice", id)));
    }

    [Fact]
    public async Task Deleting_a_persona_mid_training_cancels_the_job_at_fal_and_leaves_nothing_but_the_audit_entry()
    {
        var (id, job) = await StartTrainingAsync("zqxfaldelete");
        job.State = "IN_PROGRESS";
        await WaitForStatusAsync(_alice, id, "Training");

        var summary = await PersonaDeletion.DeleteAndWaitAsync(_alice, id);
        Assert.True(job.CancelCalls >= 1);
        Assert.False(summary["trainingForced"]!.GetValue<bool>());
        Assert.True(summary["purgedInstances"]!.GetValue<int>() >= 2); // the training and its dataset sub-workflow
        var left = PersonaDeletion.Leftovers(host.DataDir, id);
        Assert.True(left.Count == 0, string.Join("\n", left));
        await Problem(await _alice.GetAsync($"/api/personas/{id}"), 404);
        var audit = (await Items(_alice, "/api/audit")).Single(e => e!["personaId"]!.GetValue<string>() == id)!;
        Assert.Contains($"fal.ai has no API to delete request {job.Id}", audit["details"]!.GetValue<string>());

        // A late webhook for the deleted persona's job finds nothing to apply to.
        var (_, late) = host.Fal.Webhook(job);
        Assert.Equal(HttpStatusCode.NotFound, (await _anonymous.SendAsync(late)).StatusCode);
    }

    [Fact]
    public async Task A_webhook_that_arrives_before_the_orchestration_waits_is_not_lost()
    {
        var (id, job) = await StartTrainingAsync("zqxfalearly");
        // fal.ai has the job a moment before our run records it, and answers 404 until then; fal.ai redelivers a
        // failed webhook (providers.md), as this does.
        await Eventually.GetAsync(async () =>
            (await _anonymous.SendAsync(host.Fal.Webhook(job).Request)).StatusCode == HttpStatusCode.OK ? "ok" : null,
            "the webhook to be accepted");
        Assert.Equal("Ready", (await WaitForStatusAsync(_alice, id, "Ready", "Failed"))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_failed_run_fails_the_persona_with_fals_reason()
    {
        var (id, job) = await StartTrainingAsync("zqxfalfail");
        job.Failed = true;
        job.State = "COMPLETED";
        var failed = await WaitForStatusAsync(_alice, id, "Failed", "Ready");
        Assert.Equal("Failed", failed["status"]!.GetValue<string>());
        Assert.Contains("Training diverged", failed["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Cancel_cancels_the_fal_request()
    {
        var (id, job) = await StartTrainingAsync("zqxfalcancel");
        await WaitForStatusAsync(_alice, id, "Training");
        await Json(await _alice.PostAsync($"/api/personas/{id}/train/cancel", null), 202);
        Assert.Equal("Failed", (await WaitForStatusAsync(_alice, id, "Failed", "Ready"))["status"]!.GetValue<string>());
        Assert.Equal(1, job.CancelCalls);
    }
}
