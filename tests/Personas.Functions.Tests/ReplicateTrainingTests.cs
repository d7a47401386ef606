using System.Net;
using System.Net.Http.Json;
using static Personas.Functions.Tests.HttpAssertions;
using static Personas.Functions.Tests.TrainingApiTests;

namespace Personas.Functions.Tests;

/// <summary>The host configured for Replicate only, pointed at <see cref="FakeReplicate"/>.</summary>
public sealed class ReplicateApiHost : ApiHost
{
    public FakeReplicate Replicate { get; private set; } = null!;

    protected override async Task<IDictionary<string, string?>> ExtraSettingsAsync()
    {
        Replicate = await FakeReplicate.StartAsync();
        return new Dictionary<string, string?>(PublicAddress().Concat(Replicate.HostSettings()));
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Replicate.DisposeAsync();
    }
}

public sealed class ReplicateTrainingTests(ReplicateApiHost host) : IClassFixture<ReplicateApiHost>
{
    private readonly HttpClient _alice = host.Client(ApiHost.AliceKey);
    private readonly HttpClient _anonymous = host.Client(null);

    private async Task<(string Persona, FakeReplicate.Training Training)> StartTrainingAsync(string trigger)
    {
        var id = await PersonaWithPhotosAsync(_alice, trigger);
        await Json(await _alice.PostAsync($"/api/personas/{id}/train", JsonContent.Create(new { steps = 1000, rank = 16 })), 202);
        var training = await Eventually.GetAsync(() => host.Replicate.Trainings.Values.FirstOrDefault(t => t.Input["trigger_word"]?.GetValue<string>() == trigger), "Replicate to get the training");
        return (id, training);
    }

    [Fact]
    public async Task A_signed_completion_webhook_finishes_training_with_the_lora_from_the_weights_tar()
    {
        var (id, training) = await StartTrainingAsync("zqxrephook");
        Assert.Equal($"ostris/flux-dev-lora-trainer:{FakeReplicate.TrainerVersion}", training.Trainer);
        Assert.Equal($"{FakeReplicate.Owner}/persona-{id}", training.Destination);
        Assert.True(host.Replicate.Models.ContainsKey(training.Destination)); // created because it was missing
        Assert.False(training.Input["autocaption"]!.GetValue<bool>());
        Assert.Equal(16, training.Input["lora_rank"]!.GetValue<int>());
        Assert.Equal($"{host.BaseAddress}api/webhooks/replicate", training.Webhook);

        training.Status = "processing";
        await Problem(await _anonymous.SendAsync(host.Replicate.Webhook(training, secretKey: new byte[24])), 401, "signature");
        await Problem(await _anonymous.SendAsync(host.Replicate.Webhook(training, at: DateTimeOffset.UtcNow.AddMinutes(-6))), 401, "signature");
        var altered = host.Replicate.Webhook(training);
        altered.Content = new StringContent((await altered.Content!.ReadAsStringAsync()).Replace("\"processing\"", "\"failed\""), System.Text.Encoding.UTF8, "application/json");
        await Problem(await _anonymous.SendAsync(altered), 401, "signature"); // body altered after signing
        Assert.Equal("Training", (await Json(await _alice.GetAsync($"/api/personas/{id}/status"), 200))["status"]!.GetValue<string>());

        training.Status = "succeeded";
        var delivery = host.Replicate.Webhook(training, webhookId: "msg_done");
        Assert.Equal(HttpStatusCode.OK, (await _anonymous.SendAsync(delivery)).StatusCode);
        var ready = await WaitForStatusAsync(_alice, id, "Ready", "Failed");
        Assert.Equal("Ready", ready["status"]!.GetValue<string>());
        var model = ready["models"]!.AsArray().Single()!;
        Assert.Equal("replicate", model["provider"]!.GetValue<string>());
        Assert.Equal(host.Replicate.Lora, await File.ReadAllBytesAsync(Path.Combine(host.DataDir, "blobs", model["weightsBlob"]!.GetValue<string>())));
        Assert.Equal(HttpStatusCode.OK, (await _anonymous.SendAsync(host.Replicate.Webhook(training, webhookId: "msg_done"))).StatusCode);
        Assert.Single((await Json(await _alice.GetAsync($"/api/personas/{id}/status"), 200))["models"]!.AsArray());
    }

    [Fact]
    public async Task Polling_alone_finishes_a_run_and_a_failure_carries_replicates_error()
    {
        var (done, finished) = await StartTrainingAsync("zqxreppoll");
        finished.Status = "succeeded";
        Assert.Equal("Ready", (await WaitForStatusAsync(_alice, done, "Ready", "Failed"))["status"]!.GetValue<string>());

        var (broken, failing) = await StartTrainingAsync("zqxrepfail");
        failing.Status = "failed";
        var failed = await WaitForStatusAsync(_alice, broken, "Failed", "Ready");
        Assert.Contains("CUDA out of memory", failed["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_unknown_training_id_with_a_good_signature_is_404()
    {
        var stranger = new FakeReplicate.Training { Id = "tr_unknown", Trainer = "x/y:1", Destination = "acme/none", Input = [], Webhook = $"{host.BaseAddress}api/webhooks/replicate" };
        await Problem(await _anonymous.SendAsync(host.Replicate.Webhook(stranger)), 404, "id");
    }

    [Fact]
    public async Task A_signed_delivery_with_a_lone_surrogate_is_a_400_and_control_characters_in_logs_pass()
    {
        await Problem(await _anonymous.SendAsync(SignedRaw(
            """{"id":"tr_unknown","status":"processing","logs":"step 1\ud800"}""")), 400, "logs");
        // Terminal colours and line breaks are ordinary in a trainer's logs: the delivery is read (and its id unknown).
        await Problem(await _anonymous.SendAsync(SignedRaw(
            """{"id":"tr_unknown","status":"processing","logs":"\u001b[32mok\u001b[0m\nstep 2"}""")), 404, "id");
    }

    private HttpRequestMessage SignedRaw(string json)
    {
        var body = System.Text.Encoding.UTF8.GetBytes(json);
        var (id, ts) = ("msg_" + Guid.NewGuid().ToString("N"), DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString());
        var request = new HttpRequestMessage(HttpMethod.Post, $"{host.BaseAddress}api/webhooks/replicate")
        {
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add("webhook-id", id);
        request.Headers.Add("webhook-timestamp", ts);
        var signature = FakeReplicate.Signature(FakeReplicate.SecretKey, id, ts, body);
        request.Headers.Add("webhook-signature", $"v1,{signature}");
        return request;
    }
}
