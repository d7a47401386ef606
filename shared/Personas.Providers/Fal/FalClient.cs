using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Personas.Providers.Resilience;

namespace Personas.Providers.Fal;

public sealed class FalClientOptions
{
    /// <summary>The API key; sent as <c>Authorization: Key …</c> (fal's scheme, not Bearer).</summary>
    public string Key { get; set; } = "";
    public Uri QueueEndpoint { get; set; } = new("https://queue.fal.run/");
    /// <summary>Pipeline name, so tests and hosts can keep fakes apart from the real service.</summary>
    public string PipelineName { get; set; } = "fal";
}

/// <summary>What fal.ai's queue answers to a submit: the request id and the links to use for it afterwards.</summary>
public sealed record FalQueueRequest(string RequestId, string StatusUrl, string ResponseUrl, string CancelUrl);

public sealed record FalLog(string Message, string? Level, string? Timestamp);

/// <summary>A queue status: IN_QUEUE, IN_PROGRESS or COMPLETED (others are possible and kept as they come).</summary>
public sealed record FalQueueStatus(string Status, int? QueuePosition, IReadOnlyList<FalLog> Logs);

/// <summary>A fal.ai call failed: the HTTP status and fal's own message (<c>detail</c>) and error type.</summary>
public sealed class FalException(int status, string message, string? errorType) : Exception($"fal.ai answered {status}: {message}")
{
    public int Status { get; } = status;
    public string? ErrorType { get; } = errorType;
}

/// <summary>
/// fal.ai's queue API (providers.md §1.2): submit to <c>queue.fal.run/{model}</c> with an optional <c>fal_webhook</c>, then
/// use the status, response and cancel URLs it returns, as they are (the SDK drops model subpaths from them).
/// </summary>
public sealed class FalClient(HttpClient http, FalClientOptions options)
{
    public async Task<FalQueueRequest> SubmitAsync(string model, JsonObject input, Uri? webhook, CancellationToken ct)
    {
        var url = new Uri(options.QueueEndpoint, model.Trim('/'));
        if (webhook is not null) url = new Uri($"{url}?fal_webhook={Uri.EscapeDataString(webhook.ToString())}");
        var body = await SendAsync(() => new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(input.ToJsonString(), Encoding.UTF8, "application/json") }, ct);
        var requestId = body["request_id"]?.GetValue<string>() ?? throw new FalException(200, "The submit answer has no request_id.", null);
        var baseUrl = $"{options.QueueEndpoint}{model.Trim('/')}/requests/{requestId}";
        return new FalQueueRequest(requestId,
            body["status_url"]?.GetValue<string>() ?? $"{baseUrl}/status",
            body["response_url"]?.GetValue<string>() ?? baseUrl,
            body["cancel_url"]?.GetValue<string>() ?? $"{baseUrl}/cancel");
    }

    public async Task<FalQueueStatus> GetStatusAsync(string statusUrl, CancellationToken ct)
    {
        var url = statusUrl.Contains('?') ? $"{statusUrl}&logs=1" : $"{statusUrl}?logs=1";
        var body = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, url), ct);
        var logs = body["logs"] is JsonArray array
            ? array.OfType<JsonObject>().Select(l => new FalLog(l["message"]?.ToString() ?? "", l["level"]?.ToString(), l["timestamp"]?.ToString())).ToList()
            : [];
        return new FalQueueStatus(body["status"]?.GetValue<string>() ?? "UNKNOWN", body["queue_position"]?.GetValue<int>(), logs);
    }

    /// <summary>The model's output for a completed request. A failed request answers with an error status: <see cref="FalException"/>.</summary>
    public Task<JsonObject> GetResultAsync(string responseUrl, CancellationToken ct) =>
        SendAsync(() => new HttpRequestMessage(HttpMethod.Get, responseUrl), ct);

    public async Task CancelAsync(string cancelUrl, CancellationToken ct) =>
        await SendAsync(() => new HttpRequestMessage(HttpMethod.Put, cancelUrl), ct, allowConflict: true);

    /// <summary>Downloads a file fal produced (its CDN links are public and expire).</summary>
    public async Task<Stream> DownloadAsync(string url, CancellationToken ct)
    {
        var response = await ProviderHttp.DownloadAsync(http, options.PipelineName, null, url, ct);
        if (!response.IsSuccessStatusCode) throw await ErrorAsync(response, ct);
        return await response.Content.ReadAsStreamAsync(ct);
    }

    private async Task<JsonObject> SendAsync(Func<HttpRequestMessage> request, CancellationToken ct, bool allowConflict = false)
    {
        using var response = await ProviderHttp.SendAsync(http, options.PipelineName, new AuthenticationHeaderValue("Key", options.Key), request, ct);
        // A cancel of a request that already started or finished answers 400/409; that is not an error for us.
        if (allowConflict && (int)response.StatusCode is 400 or 409) return [];
        if (!response.IsSuccessStatusCode) throw await ErrorAsync(response, ct);
        return await ProviderHttp.ReadObjectAsync(response, ct);
    }

    private static async Task<FalException> ErrorAsync(HttpResponseMessage response, CancellationToken ct) =>
        new((int)response.StatusCode, await ProviderHttp.DetailAsync(response, ct),
            response.Headers.TryGetValues("X-Fal-Error-Type", out var values) ? values.FirstOrDefault() : null);
}
