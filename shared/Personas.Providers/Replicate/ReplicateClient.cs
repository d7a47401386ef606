using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Personas.Providers.Resilience;

namespace Personas.Providers.Replicate;

public sealed class ReplicateClientOptions
{
    /// <summary>The API token, sent as <c>Authorization: Bearer …</c>.</summary>
    public string Token { get; set; } = "";
    public Uri Endpoint { get; set; } = new("https://api.replicate.com/v1/");
    public string PipelineName { get; set; } = "replicate";
}

/// <summary>A training as Replicate reports it (the GET body, which is also the webhook body).</summary>
public sealed record ReplicateTraining(string Id, string Status, string? Logs, string? Error, string? WeightsUrl, string? OutputVersion)
{
    public static ReplicateTraining From(JsonObject o) => new(
        o["id"]?.ToString() ?? "", o["status"]?.ToString() ?? "", o["logs"]?.ToString(), o["error"]?.ToString(),
        o["output"]?["weights"]?.ToString(), o["output"]?["version"]?.ToString());
}

/// <summary>A prediction as Replicate reports it; <see cref="Output"/> lists the output file links (image models answer with a list).</summary>
public sealed record ReplicatePrediction(string Id, string Status, string? Error, IReadOnlyList<string> Output)
{
    public bool Finished => Status is "succeeded" or "failed" or "canceled";

    public static ReplicatePrediction From(JsonObject o) => new(o["id"]?.ToString() ?? "", o["status"]?.ToString() ?? "", o["error"]?.ToString(),
        o["output"] switch
        {
            JsonArray list => list.Select(n => n?.ToString()).OfType<string>().ToList(),
            JsonValue single => [single.ToString()],
            _ => [],
        });
}

/// <summary>A Replicate call failed: the HTTP status and Replicate's <c>detail</c>.</summary>
public sealed class ReplicateException(int status, string message) : Exception($"Replicate answered {status}: {message}")
{
    public int Status { get; } = status;
}

/// <summary>Replicate's HTTP API (providers.md §2): models, trainings, and authenticated downloads of their outputs.</summary>
public sealed class ReplicateClient(HttpClient http, ReplicateClientOptions options)
{
    public async Task<bool> ModelExistsAsync(string owner, string name, CancellationToken ct)
    {
        try
        {
            await SendAsync(HttpMethod.Get, $"models/{owner}/{name}", null, ct);
            return true;
        }
        catch (ReplicateException ex) when (ex.Status == 404)
        {
            return false;
        }
    }

    /// <summary>Creates a private model to receive trained versions (a training's destination must exist).</summary>
    public Task CreateModelAsync(string owner, string name, string description, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, "models", new JsonObject
        {
            ["owner"] = owner, ["name"] = name, ["visibility"] = "private", ["hardware"] = "cpu", ["description"] = description,
        }, ct);

    public async Task<ReplicateTraining> CreateTrainingAsync(string trainer, string version, string destination, JsonObject input, Uri? webhook, CancellationToken ct)
    {
        var body = new JsonObject { ["destination"] = destination, ["input"] = input };
        if (webhook is not null)
        {
            body["webhook"] = webhook.ToString();
            body["webhook_events_filter"] = new JsonArray("start", "completed");
        }
        return ReplicateTraining.From(await SendAsync(HttpMethod.Post, $"models/{trainer}/versions/{version}/trainings", body, ct));
    }

    public async Task<ReplicateTraining> GetTrainingAsync(string id, CancellationToken ct) =>
        ReplicateTraining.From(await SendAsync(HttpMethod.Get, $"trainings/{Uri.EscapeDataString(id)}", null, ct));

    public async Task<ReplicateTraining> CancelTrainingAsync(string id, CancellationToken ct) =>
        ReplicateTraining.From(await SendAsync(HttpMethod.Post, $"trainings/{Uri.EscapeDataString(id)}/cancel", null, ct));

    /// <summary>
    /// Runs a model version (<c>POST /v1/predictions</c>), waiting up to <paramref name="waitSeconds"/> (1–60) for it to
    /// finish in the same call (<c>Prefer: wait=n</c>); an unfinished one comes back starting or processing, to poll.
    /// </summary>
    public async Task<ReplicatePrediction> CreatePredictionAsync(string version, JsonObject input, int waitSeconds, CancellationToken ct) =>
        ReplicatePrediction.From(await SendAsync(HttpMethod.Post, "predictions", new JsonObject { ["version"] = version, ["input"] = input }, ct,
            message => message.Headers.Add("Prefer", $"wait={Math.Clamp(waitSeconds, 1, 60)}")));

    public async Task<ReplicatePrediction> GetPredictionAsync(string id, CancellationToken ct) =>
        ReplicatePrediction.From(await SendAsync(HttpMethod.Get, $"predictions/{Uri.EscapeDataString(id)}", null, ct));

    /// <summary>Downloads an output file; Replicate's file links need the token too.</summary>
    public async Task<Stream> DownloadAsync(string url, CancellationToken ct)
    {
        var response = await ProviderHttp.DownloadAsync(http, options.PipelineName, Auth, url, ct);
        if (!response.IsSuccessStatusCode) throw await ErrorAsync(response, ct);
        return await response.Content.ReadAsStreamAsync(ct);
    }

    private AuthenticationHeaderValue Auth => new("Bearer", options.Token);

    private async Task<JsonObject> SendAsync(HttpMethod method, string path, JsonObject? body, CancellationToken ct, Action<HttpRequestMessage>? configure = null)
    {
        using var response = await ProviderHttp.SendAsync(http, options.PipelineName, Auth, () =>
        {
            var message = new HttpRequestMessage(method, new Uri(options.Endpoint, path))
            {
                Content = body is null ? null : new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
            };
            configure?.Invoke(message);
            return message;
        }, ct);
        if (!response.IsSuccessStatusCode) throw await ErrorAsync(response, ct);
        return await ProviderHttp.ReadObjectAsync(response, ct);
    }

    private static async Task<ReplicateException> ErrorAsync(HttpResponseMessage response, CancellationToken ct) =>
        new((int)response.StatusCode, await ProviderHttp.DetailAsync(response, ct));
}
