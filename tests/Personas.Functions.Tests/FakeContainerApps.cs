using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Personas.Providers.Webhooks;

namespace Personas.Functions.Tests;

/// <summary>
/// Azure Resource Manager for one Container Apps job on 127.0.0.1: GET the job (its template), POST start (answering
/// 202 + Location, as ARM may), GET and stop executions, all behind a Bearer token and an api-version. Each started
/// execution keeps the override body, so a test can play the training container from its env.
/// </summary>
public sealed class FakeContainerApps : IAsyncDisposable
{
    public const string Token = "arm-test-token";
    public const string JobPath = "subscriptions/sub-1/resourceGroups/rg-personas/providers/Microsoft.App/jobs/lora-trainer";

    public sealed class Execution
    {
        public required string Name { get; init; }
        public required JsonObject Template { get; init; }
        public string Status { get; set; } = "Running";
        public DateTimeOffset? EndTime { get; set; }
        public int StopCalls;

        public string Env(string name) => Template["containers"]![0]!["env"]!.AsArray().First(e => e!["name"]!.GetValue<string>() == name)!["value"]!.GetValue<string>();
    }

    private WebApplication _app = null!;
    public ConcurrentDictionary<string, Execution> Executions { get; } = new();
    public byte[] Lora { get; } = RandomNumberGenerator.GetBytes(3000);
    public Uri BaseAddress { get; private set; } = null!;

    public static async Task<FakeContainerApps> StartAsync()
    {
        var fake = new FakeContainerApps();
        fake._app = await LoopbackServer.StartAsync(app => fake.Map(app));
        fake.BaseAddress = new Uri(fake._app.Urls.First() + "/");
        return fake;
    }

    /// <summary>The job as the operator deployed it: GPU profile resources, an image, env with a secret reference.</summary>
    public static JsonObject Job() => new()
    {
        ["name"] = "lora-trainer",
        ["properties"] = new JsonObject
        {
            ["workloadProfileName"] = "gpu-a100",
            ["template"] = new JsonObject
            {
                ["containers"] = new JsonArray(new JsonObject
                {
                    ["name"] = "trainer", ["image"] = "acr.example.io/personas-trainer:1.4",
                    ["resources"] = new JsonObject { ["cpu"] = 24, ["memory"] = "220Gi" },
                    ["env"] = new JsonArray(new JsonObject { ["name"] = "HF_TOKEN", ["secretRef"] = "hf-token" }, new JsonObject { ["name"] = "PERSONAS_STEPS", ["value"] = "stale" }),
                }),
            },
        },
    };

    private void Map(WebApplication app)
    {
        var arm = app.MapGroup($"/{JobPath}").AddEndpointFilter(async (context, next) =>
            context.HttpContext.Request.Headers.Authorization != $"Bearer {Token}" ? Results.Json(new { error = new { code = "InvalidAuthenticationToken", message = "The access token is invalid." } }, statusCode: 401)
            : context.HttpContext.Request.Query["api-version"] != "2025-01-01" ? Results.Json(new { error = new { code = "InvalidApiVersion", message = "Unsupported api-version." } }, statusCode: 400)
            : await next(context));
        arm.MapGet("", () => Results.Json(Job()));
        arm.MapPost("/start", async (HttpContext http) =>
        {
            var body = (await JsonNode.ParseAsync(http.Request.Body))!.AsObject();
            var execution = new Execution { Name = "lora-trainer-" + Guid.NewGuid().ToString("N")[..7], Template = body };
            Executions[execution.Name] = execution;
            http.Response.Headers.Location = $"{BaseAddress}{JobPath}/operations/{execution.Name}?api-version=2025-01-01";
            return Results.StatusCode(202);
        });
        arm.MapGet("/operations/{name}", (string name) => Results.Json(new { name, id = $"/{JobPath}/executions/{name}" }));
        arm.MapGet("/executions/{name}", (string name) => Executions.TryGetValue(name, out var e)
            ? Results.Json(new { name, properties = new { status = e.Status, startTime = DateTimeOffset.UtcNow.AddMinutes(-1), endTime = e.EndTime } })
            : Results.Json(new { error = new { code = "ResourceNotFound", message = "Not found." } }, statusCode: 404));
        arm.MapPost("/executions/{name}/stop", (string name) =>
        {
            if (!Executions.TryGetValue(name, out var e)) return Results.NotFound();
            Interlocked.Increment(ref e.StopCalls);
            e.Status = "Stopped";
            return Results.StatusCode(202);
        });
        app.MapGet("/outputs/{name}/lora.safetensors", () => Results.Bytes(Lora, "application/octet-stream"));
    }

    public Dictionary<string, string?> HostSettings() => new()
    {
        ["Personas:Jobs:SubscriptionId"] = "sub-1",
        ["Personas:Jobs:ResourceGroup"] = "rg-personas",
        ["Personas:Jobs:JobName"] = "lora-trainer",
        ["Personas:Jobs:Endpoint"] = BaseAddress.ToString(),
        ["Personas:Jobs:FirstPollSeconds"] = "0.3",
    };

    /// <summary>What the training container sends: its callback, signed with the secret it was given (or another).</summary>
    public static HttpRequestMessage Callback(Execution e, object body, string? eventId = null, string? secret = null, DateTimeOffset? at = null, string? runId = null)
    {
        var bytes = JsonContent.Create(body).ReadAsByteArrayAsync().Result;
        var run = runId ?? e.Env("PERSONAS_RUN_ID");
        var ts = (at ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds().ToString();
        var id = eventId ?? Guid.NewGuid().ToString("N");
        var request = new HttpRequestMessage(HttpMethod.Post, e.Env("PERSONAS_CALLBACK_URL")) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add("X-Personas-Run", run);
        request.Headers.Add("X-Personas-Timestamp", ts);
        request.Headers.Add("X-Personas-Event", id);
        request.Headers.Add("X-Personas-Signature", JobCallbackSigner.Sign(secret ?? e.Env("PERSONAS_CALLBACK_SECRET"), run, ts, id, bytes));
        return request;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

/// <summary>A fixed ARM token: the seam where DefaultAzureCredential would ask Azure.</summary>
public sealed class StaticTokenCredential(string token) : TokenCredential
{
    public int Requests;
    public override AccessToken GetToken(TokenRequestContext context, CancellationToken ct)
    {
        Interlocked.Increment(ref Requests);
        Assert.Equal(["https://management.azure.com/.default"], context.Scopes);
        return new AccessToken(token, DateTimeOffset.UtcNow.AddHours(1));
    }
    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext context, CancellationToken ct) => new(GetToken(context, ct));
}
