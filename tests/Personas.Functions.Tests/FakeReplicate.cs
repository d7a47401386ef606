using System.Collections.Concurrent;
using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Personas.Functions.Tests;

/// <summary>
/// Replicate on 127.0.0.1: models (a training's destination must exist), the trainings API with Bearer auth, output
/// files that need the token, and Standard-Webhooks-signed deliveries of the training object.
/// </summary>
public sealed class FakeReplicate : IAsyncDisposable
{
    public const string Token = "r8_test_token";
    public const string Owner = "acme";
    public const string TrainerVersion = "0123456789abcdef";
    public static readonly byte[] SecretKey = RandomNumberGenerator.GetBytes(24);
    public static string Secret => "whsec_" + Convert.ToBase64String(SecretKey);

    public sealed class Training
    {
        public required string Id { get; init; }
        public required string Trainer { get; init; }
        public required string Destination { get; init; }
        public required JsonObject Input { get; init; }
        public string? Webhook { get; init; }
        public string Status { get; set; } = "starting";
        public int CancelCalls;
    }

    private WebApplication _app = null!;
    public ConcurrentDictionary<string, Training> Trainings { get; } = new();
    public ConcurrentDictionary<string, bool> Models { get; } = new();
    public FakeRenders Renders { get; } = new();
    public byte[] Lora { get; } = RandomNumberGenerator.GetBytes(2048);
    public Uri BaseAddress { get; private set; } = null!;

    public static async Task<FakeReplicate> StartAsync()
    {
        var fake = new FakeReplicate();
        fake._app = await LoopbackServer.StartAsync(app => fake.Map(app));
        fake.BaseAddress = new Uri(fake._app.Urls.First() + "/");
        return fake;
    }

    private void Map(WebApplication app)
    {
        var v1 = app.MapGroup("/v1").AddEndpointFilter(async (context, next) =>
            context.HttpContext.Request.Headers.Authorization == $"Bearer {Token}" ? await next(context) : Results.Json(new { detail = "Invalid token." }, statusCode: 401));
        v1.MapGet("/models/{owner}/{name}", (string owner, string name) =>
            Models.ContainsKey($"{owner}/{name}") ? Results.Json(new { owner, name }) : Results.Json(new { detail = "Not found." }, statusCode: 404));
        v1.MapPost("/models", async (HttpContext http) =>
        {
            var body = (await JsonNode.ParseAsync(http.Request.Body))!;
            Models[$"{body["owner"]}/{body["name"]}"] = true;
            return Results.Json(new { owner = body["owner"]!.ToString(), name = body["name"]!.ToString(), visibility = body["visibility"]!.ToString() }, statusCode: 201);
        });
        v1.MapPost("/models/{owner}/{name}/versions/{version}/trainings", async (string owner, string name, string version, HttpContext http) =>
        {
            var body = (await JsonNode.ParseAsync(http.Request.Body))!.AsObject();
            var destination = body["destination"]!.ToString();
            if (!Models.ContainsKey(destination)) return Results.Json(new { detail = "The specified training destination does not exist" }, statusCode: 404);
            var training = new Training { Id = "tr" + Guid.NewGuid().ToString("N")[..10], Trainer = $"{owner}/{name}:{version}", Destination = destination,
                Input = body["input"]!.AsObject(), Webhook = body["webhook"]?.ToString() };
            Trainings[training.Id] = training;
            return Results.Json(Object(training), statusCode: 201);
        });
        v1.MapGet("/trainings/{id}", (string id) => Trainings.TryGetValue(id, out var t) ? Results.Json(Object(t)) : Results.Json(new { detail = "Not found." }, statusCode: 404));
        v1.MapPost("/trainings/{id}/cancel", (string id) =>
        {
            if (!Trainings.TryGetValue(id, out var t)) return Results.Json(new { detail = "Not found." }, statusCode: 404);
            Interlocked.Increment(ref t.CancelCalls);
            t.Status = "canceled";
            return Results.Json(Object(t));
        });
        v1.MapGet("/files/{id}/weights.tar", (string id) => Results.Bytes(WeightsTar(), "application/x-tar"));
        v1.MapGet("/files/{id}/out-0", (string id) => Results.Bytes(Renders.Bytes(id), Renders.ContentType(id)));
        // A trained version runs through predictions; with Prefer: wait the answer comes back finished.
        v1.MapPost("/predictions", async (HttpContext http) =>
        {
            var body = (await JsonNode.ParseAsync(http.Request.Body))!.AsObject();
            if (body["version"]?.ToString() == FaceSwapVersion) return FaceSwap(body["input"]!.AsObject());
            if (body["version"]?.ToString() != "abc123") return Results.Json(new { detail = "Invalid version or not permitted." }, statusCode: 422);
            var input = body["input"]!.AsObject();
            var id = Renders.Add(input, input["lora_scale"]!.GetValue<double>());
            return Results.Json(Prediction(id, http.Request.Headers["Prefer"].ToString().StartsWith("wait") ? "succeeded" : "starting"), statusCode: 201);
        });
        v1.MapGet("/predictions/{id}", (string id) => Renders.Requests.ContainsKey(id) ? Results.Json(Prediction(id, "succeeded")) : Results.Json(new { detail = "Not found." }, statusCode: 404));
    }

    public const string FaceSwapVersion = "swap456";

    /// <summary>
    /// A face-swap model (input_image, swap_image): finished at once, its output the sample portrait.
    /// </summary>
    private IResult FaceSwap(JsonObject input)
    {
        if (input["input_image"] is null || input["swap_image"] is null)
            return Results.Json(new { detail = "- input: swap_image is required" }, statusCode: 422);
        return Results.Json(Prediction(Renders.Add(input, 1), "succeeded"), statusCode: 201);
    }

    /// <summary>The host settings that point Replicate at this fake, polling fast.</summary>
    public Dictionary<string, string?> HostSettings() => new()
    {
        ["Personas:Replicate:Token"] = Token,
        ["Personas:Replicate:Endpoint"] = $"{BaseAddress}v1/",
        ["Personas:Replicate:TrainerVersion"] = TrainerVersion,
        ["Personas:Replicate:Owner"] = Owner,
        ["Personas:Replicate:WebhookSecret"] = Secret,
        ["Personas:Replicate:FirstPollSeconds"] = "0.3",
    };

    public JsonObject Object(Training t) => new()
    {
        ["id"] = t.Id, ["model"] = t.Trainer.Split(':')[0], ["version"] = TrainerVersion, ["status"] = t.Status, ["input"] = t.Input.DeepClone(),
        ["logs"] = t.Status == "starting" ? "" : "Loading model\nflux_train_replicate:  30%|███       | 300/1000 [02:00<04:40]\n",
        ["error"] = t.Status == "failed" ? "CUDA out of memory" : null,
        ["output"] = t.Status == "succeeded" ? new JsonObject { ["version"] = $"{t.Destination}:abc123", ["weights"] = $"{BaseAddress}v1/files/{t.Id}/weights.tar" } : null,
        ["urls"] = new JsonObject { ["get"] = $"{BaseAddress}v1/trainings/{t.Id}", ["cancel"] = $"{BaseAddress}v1/trainings/{t.Id}/cancel" },
    };

    private JsonObject Prediction(string id, string status) => new()
    {
        ["id"] = id, ["version"] = "abc123", ["status"] = status, ["input"] = Renders.Requests[id].Input.DeepClone(),
        ["output"] = status == "succeeded" ? new JsonArray($"{BaseAddress}v1/files/{id}/out-0") : null,
        ["urls"] = new JsonObject { ["get"] = $"{BaseAddress}v1/predictions/{id}" },
    };

    private byte[] WeightsTar()
    {
        using var buffer = new MemoryStream();
        using (var writer = new TarWriter(buffer, TarEntryFormat.Pax, leaveOpen: true))
        {
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "output/config.yaml") { DataStream = new MemoryStream("rank: 16\n"u8.ToArray()) });
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "output/lora.safetensors") { DataStream = new MemoryStream(Lora) });
        }
        return buffer.ToArray();
    }

    /// <summary>A webhook delivery of the training as it is now, signed with <paramref name="secretKey"/> (the account's, unless given).</summary>
    public HttpRequestMessage Webhook(Training t, byte[]? secretKey = null, DateTimeOffset? at = null, string? webhookId = null)
    {
        var body = Encoding.UTF8.GetBytes(Object(t).ToJsonString());
        var id = webhookId ?? "msg_" + Guid.NewGuid().ToString("N");
        var ts = (at ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds().ToString();
        var signature = Signature(secretKey ?? SecretKey, id, ts, body);
        var request = new HttpRequestMessage(HttpMethod.Post, t.Webhook) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add("webhook-id", id);
        request.Headers.Add("webhook-timestamp", ts);
        request.Headers.Add("webhook-signature", $"v1,{signature}");
        return request;
    }

    /// <summary>Standard Webhooks: base64 HMAC-SHA256 of <c>id.timestamp.body</c>.</summary>
    public static string Signature(byte[] key, string id, string timestamp, byte[] body) =>
        Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{id}.{timestamp}.").Concat(body).ToArray()));

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
