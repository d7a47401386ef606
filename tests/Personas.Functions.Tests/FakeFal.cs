using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Security;

namespace Personas.Functions.Tests;

/// <summary>Ed25519 keys, JWKs and webhook signatures made the way fal.ai makes them (providers.md §1.4).</summary>
internal static class FalSigning
{
    public static Ed25519PrivateKeyParameters NewKey()
    {
        var generator = new Ed25519KeyPairGenerator();
        generator.Init(new Ed25519KeyGenerationParameters(new SecureRandom()));
        return (Ed25519PrivateKeyParameters)generator.GenerateKeyPair().Private;
    }

    /// <summary>base64url of the public key, padded as fal's live JWKS is.</summary>
    public static string Jwk(Ed25519PrivateKeyParameters key) =>
        $$"""{"kty":"OKP","crv":"Ed25519","x":"{{Convert.ToBase64String(key.GeneratePublicKey().GetEncoded()).Replace('+', '-').Replace('/', '_')}}"}""";

    public static string Sign(Ed25519PrivateKeyParameters key, string requestId, string userId, string timestamp, byte[] body)
    {
        var message = Encoding.UTF8.GetBytes($"{requestId}\n{userId}\n{timestamp}\n{Convert.ToHexStringLower(SHA256.HashData(body))}");
        var signer = new Ed25519Signer();
        signer.Init(true, key);
        signer.BlockUpdate(message, 0, message.Length);
        return Convert.ToHexStringLower(signer.GenerateSignature());
    }
}

/// <summary>
/// fal.ai on 127.0.0.1: the queue API (submit, status with logs, result, cancel) with <c>Key</c> auth, the returned
/// status/response/cancel URLs built from owner/alias only (as the real queue does), a CDN for output files, a JWKS,
/// and webhooks signed with its Ed25519 key. Tests move each request through its states.
/// </summary>
public sealed class FakeFal : IAsyncDisposable
{
    public const string Key = "fal-test-key";
    public sealed class Job
    {
        public required string Id { get; init; }
        public required string Model { get; init; }
        public required JsonObject Input { get; init; }
        public string? Webhook { get; init; }
        public string State { get; set; } = "IN_QUEUE";
        public bool Failed { get; set; }
        public int CancelCalls;
    }

    private readonly Ed25519PrivateKeyParameters _key = FalSigning.NewKey();
    private WebApplication _app = null!;
    public ConcurrentDictionary<string, Job> Jobs { get; } = new();
    public FakeRenders Renders { get; } = new();
    public byte[] Weights { get; } = RandomNumberGenerator.GetBytes(4096);
    public Uri BaseAddress { get; private set; } = null!;
    public Ed25519PrivateKeyParameters SigningKey => _key;

    public static async Task<FakeFal> StartAsync()
    {
        var fake = new FakeFal();
        fake._app = await LoopbackServer.StartAsync(app => fake.Map(app));
        fake.BaseAddress = new Uri(fake._app.Urls.First() + "/");
        return fake;
    }

    private void Map(WebApplication app)
    {
        app.MapGet("/.well-known/jwks.json", () => Results.Text($$"""{"keys":[{{FalSigning.Jwk(_key)}}]}""", "application/json"));
        app.MapGet("/files/{id}/lora.safetensors", (string id) => Results.Bytes(Weights, "application/octet-stream"));
        app.MapGet("/files/{id}/image", (string id) => Results.Bytes(Renders.Bytes(id), Renders.ContentType(id)));
        app.MapGet("/{owner}/{alias}/requests/{id}/status", (string id, HttpContext http) => Authorized(http) ?? Status(id));
        app.MapGet("/{owner}/{alias}/requests/{id}", (string id, HttpContext http) => Authorized(http) ?? Result(id));
        app.MapPut("/{owner}/{alias}/requests/{id}/cancel", (string id, HttpContext http) => Authorized(http) ?? Cancel(id));
        app.MapPost("/{**model}", async (string model, HttpContext http) => Authorized(http) ?? await SubmitAsync(model, http));
    }

    /// <summary>The host settings that point fal.ai at this fake, polling fast.</summary>
    public Dictionary<string, string?> HostSettings(string key = Key) => new()
    {
        ["Personas:Fal:Key"] = key,
        ["Personas:Fal:QueueEndpoint"] = BaseAddress.ToString(),
        ["Personas:Fal:JwksUrl"] = $"{BaseAddress}.well-known/jwks.json",
        ["Personas:Fal:FirstPollSeconds"] = "0.3",
    };

    private IResult? Authorized(HttpContext http) =>
        http.Request.Headers.Authorization == $"Key {Key}" ? null : Results.Json(new { detail = "Invalid or missing key" }, statusCode: 401);

    private async Task<IResult> SubmitAsync(string model, HttpContext http)
    {
        var input = (await JsonNode.ParseAsync(http.Request.Body))!.AsObject();
        if (model == "fal-ai/flux-lora") return Inference(model, input);
        if (model == FaceSwapModel) return FaceSwap(model, input);
        if (input["images_data_url"] is null) return Results.Json(new { detail = new[] { new { loc = new[] { "body", "images_data_url" }, msg = "field required", type = "missing" } } }, statusCode: 422);
        var id = Guid.NewGuid().ToString();
        Jobs[id] = new Job { Id = id, Model = model, Input = input, Webhook = http.Request.Query["fal_webhook"] };
        var root = $"{BaseAddress}{string.Join('/', model.Split('/').Take(2))}/requests/{id}"; // subpath dropped, as fal does
        return Results.Json(new { status = "IN_QUEUE", request_id = id, gateway_request_id = id, queue_position = 0,
            status_url = $"{root}/status", response_url = root, cancel_url = $"{root}/cancel" });
    }

    /// <summary>flux-lora: needs a prompt and a LoRA path; done at once, so the first status poll sees COMPLETED.</summary>
    private IResult Inference(string model, JsonObject input)
    {
        if (input["prompt"] is null || input["loras"]?[0]?["path"] is null)
            return Results.Json(new { detail = new[] { new { loc = new[] { "body", "prompt" }, msg = "field required", type = "missing" } } }, statusCode: 422);
        var id = Renders.Add(input, input["loras"]![0]!["scale"]!.GetValue<double>());
        Jobs[id] = new Job { Id = id, Model = model, Input = input, State = "COMPLETED" };
        var root = $"{BaseAddress}{model}/requests/{id}";
        return Results.Json(new { status = "IN_QUEUE", request_id = id, status_url = $"{root}/status", response_url = root, cancel_url = $"{root}/cancel" });
    }

    public const string FaceSwapModel = "fal-ai/face-swap";

    /// <summary>face-swap: needs both image links; done at once, its image is the sample portrait.</summary>
    private IResult FaceSwap(string model, JsonObject input)
    {
        if (input["base_image_url"] is null || input["swap_image_url"] is null)
            return Results.Json(new { detail = new[] { new { loc = new[] { "body", "swap_image_url" },
                msg = "field required", type = "missing" } } }, statusCode: 422);
        var id = Renders.Add(input, 1);
        Jobs[id] = new Job { Id = id, Model = model, Input = input, State = "COMPLETED" };
        var root = $"{BaseAddress}{model}/requests/{id}";
        return Results.Json(new
        {
            status = "IN_QUEUE", request_id = id, status_url = $"{root}/status", response_url = root,
            cancel_url = $"{root}/cancel",
        });
    }

    private IResult Status(string id) => Jobs.TryGetValue(id, out var job)
        ? Results.Json(new
        {
            status = job.State, request_id = id, queue_position = job.State == "IN_QUEUE" ? 1 : (int?)null,
            logs = job.State == "IN_QUEUE" ? null : new[] { new { message = "Preprocessing images", level = "INFO" }, new { message = "step 250/1000 loss=0.12", level = "INFO" } },
        })
        : Results.Json(new { detail = "Request not found" }, statusCode: 404);

    private IResult Result(string id)
    {
        if (!Jobs.TryGetValue(id, out var job)) return Results.Json(new { detail = "Request not found" }, statusCode: 404);
        if (job.State != "COMPLETED") return Results.Json(new { detail = "Request is still in progress" }, statusCode: 400);
        if (job.Failed) return Results.Json(new { detail = "Training diverged" }, statusCode: 422);
        if (job.Model == FaceSwapModel)
            return Results.Json(new
            {
                image = new { url = $"{BaseAddress}files/{id}/image", content_type = Renders.ContentType(id) },
            });
        return job.Model == "fal-ai/flux-lora"
            ? Results.Json(new
            {
                images = new[] { new { url = $"{BaseAddress}files/{id}/image", width = job.Input["image_size"]!["width"]!.GetValue<int>(), height = job.Input["image_size"]!["height"]!.GetValue<int>(), content_type = Renders.ContentType(id) } },
                seed = job.Input["seed"]!.GetValue<long>(), has_nsfw_concepts = new[] { false }, prompt = job.Input["prompt"]!.ToString(),
            })
            : Results.Json(Output(id));
    }

    private IResult Cancel(string id)
    {
        if (!Jobs.TryGetValue(id, out var job)) return Results.Json(new { detail = "Request not found" }, statusCode: 404);
        Interlocked.Increment(ref job.CancelCalls);
        if (job.State == "COMPLETED") return Results.Json(new { status = "ALREADY_COMPLETED" }, statusCode: 400);
        job.State = "CANCELLED";
        return Results.Json(new { status = "CANCELLATION_REQUESTED" });
    }

    public JsonObject Output(string id) => new()
    {
        ["diffusers_lora_file"] = new JsonObject { ["url"] = $"{BaseAddress}files/{id}/lora.safetensors", ["content_type"] = "application/octet-stream", ["file_name"] = "pytorch_lora_weights.safetensors" },
        ["config_file"] = new JsonObject { ["url"] = $"{BaseAddress}files/{id}/lora.safetensors", ["file_name"] = "config.json" },
    };

    /// <summary>The completion webhook for a job, signed now (or at <paramref name="timestamp"/>), by fal's key unless another is given.</summary>
    public (byte[] Body, HttpRequestMessage Request) Webhook(Job job, bool ok = true, DateTimeOffset? timestamp = null, Ed25519PrivateKeyParameters? key = null, string? requestId = null)
    {
        var id = requestId ?? job.Id;
        var body = Encoding.UTF8.GetBytes(new JsonObject
        {
            ["request_id"] = id, ["gateway_request_id"] = id, ["status"] = ok ? "OK" : "ERROR",
            ["payload"] = ok ? Output(job.Id) : new JsonObject { ["detail"] = "Training diverged" }, ["error"] = ok ? null : "Invalid status code: 422",
        }.ToJsonString());
        var ts = (timestamp ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds().ToString();
        var request = new HttpRequestMessage(HttpMethod.Post, job.Webhook) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add("X-Fal-Webhook-Request-Id", id);
        request.Headers.Add("X-Fal-Webhook-User-Id", "user_42");
        request.Headers.Add("X-Fal-Webhook-Timestamp", ts);
        request.Headers.Add("X-Fal-Webhook-Signature", FalSigning.Sign(key ?? _key, id, "user_42", ts, body));
        return (body, request);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
