using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Core;
using Personas.Providers.Resilience;

namespace Personas.Providers.Jobs;

public sealed class ContainerAppsJobClientOptions
{
    public string SubscriptionId { get; set; } = "";
    public string ResourceGroup { get; set; } = "";
    public string JobName { get; set; } = "";
    public string ApiVersion { get; set; } = "2025-01-01";
    public Uri Endpoint { get; set; } = new("https://management.azure.com/");
    public string PipelineName { get; set; } = "containerapps";
    /// <summary>How long to follow a 202 start (Location) before giving up.</summary>
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(60);
}

/// <summary>One job execution as ARM reports it: name, <c>Running|Processing|Succeeded|Failed|Stopped|Degraded|Unknown</c>, times.</summary>
public sealed record JobExecution(string Name, string Status, DateTimeOffset? StartTime, DateTimeOffset? EndTime);

/// <summary>An ARM call failed: the status and ARM's <c>error.code: error.message</c>.</summary>
public sealed class ContainerAppsJobException(int status, string message) : Exception($"Azure Resource Manager answered {status}: {message}")
{
    public int Status { get; } = status;
}

/// <summary>
/// A Container Apps job through the ARM REST API (providers.md §3): read the job's template, start an execution with
/// an override template, read and stop executions. Bearer tokens come from an Azure.Identity credential for
/// <c>https://management.azure.com/.default</c>.
/// </summary>
public sealed class ContainerAppsJobClient(HttpClient http, TokenCredential credential, ContainerAppsJobClientOptions options, TimeProvider clock)
{
    private static readonly string[] Scopes = ["https://management.azure.com/.default"];

    public string JobPath => $"subscriptions/{options.SubscriptionId}/resourceGroups/{options.ResourceGroup}/providers/Microsoft.App/jobs/{options.JobName}";

    /// <summary>The job's own template: <c>properties.template</c> with its containers.</summary>
    public async Task<JsonObject> GetTemplateAsync(CancellationToken ct)
    {
        var job = await SendAsync(HttpMethod.Get, Url(JobPath), null, ct);
        return job["properties"]?["template"] as JsonObject ?? throw new ContainerAppsJobException(200, "The job has no properties.template.");
    }

    /// <summary>
    /// Starts an execution with <paramref name="template"/> (<c>{containers, initContainers}</c>, which replaces the
    /// job's whole template). ARM answers 200 with the execution, or 202 with a Location to follow.
    /// </summary>
    public async Task<string> StartAsync(JsonObject template, CancellationToken ct)
    {
        using var response = await RawAsync(HttpMethod.Post, Url($"{JobPath}/start"), template, ct);
        if (response.StatusCode == HttpStatusCode.Accepted && response.Headers.Location is { } location)
            return await FollowStartAsync(location, ct);
        var body = await ReadAsync(response, ct);
        return body["name"]?.ToString() ?? throw new ContainerAppsJobException((int)response.StatusCode, "The start answer names no execution.");
    }

    public async Task<JobExecution> GetExecutionAsync(string name, CancellationToken ct)
    {
        var o = await SendAsync(HttpMethod.Get, Url($"{JobPath}/executions/{Uri.EscapeDataString(name)}"), null, ct);
        var properties = o["properties"];
        return new JobExecution(o["name"]?.ToString() ?? name, properties?["status"]?.ToString() ?? "Unknown",
            DateTimeOffset.TryParse(properties?["startTime"]?.ToString(), out var start) ? start : null,
            DateTimeOffset.TryParse(properties?["endTime"]?.ToString(), out var end) ? end : null);
    }

    /// <summary>Stops one execution. Stopping one that already ended is not an error for us.</summary>
    public async Task StopExecutionAsync(string name, CancellationToken ct)
    {
        using var response = await RawAsync(HttpMethod.Post, Url($"{JobPath}/executions/{Uri.EscapeDataString(name)}/stop"), null, ct);
        if (!response.IsSuccessStatusCode && response.StatusCode is not (HttpStatusCode.Conflict or HttpStatusCode.NotFound)) throw await ErrorAsync(response, ct);
    }

    private async Task<string> FollowStartAsync(Uri location, CancellationToken ct)
    {
        var deadline = clock.GetUtcNow() + options.StartTimeout;
        while (true)
        {
            using var response = await RawAsync(HttpMethod.Get, location, null, ct);
            if (response.StatusCode != HttpStatusCode.Accepted)
                return (await ReadAsync(response, ct))["name"]?.ToString() ?? throw new ContainerAppsJobException((int)response.StatusCode, "The started execution has no name.");
            if (clock.GetUtcNow() > deadline) throw new ContainerAppsJobException(202, "The job execution did not start in time.");
            await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1), clock, ct);
        }
    }

    private Uri Url(string path) => new(options.Endpoint, $"{path}?api-version={options.ApiVersion}");

    private async Task<JsonObject> SendAsync(HttpMethod method, Uri url, JsonObject? body, CancellationToken ct)
    {
        using var response = await RawAsync(method, url, body, ct);
        return await ReadAsync(response, ct);
    }

    private async Task<HttpResponseMessage> RawAsync(HttpMethod method, Uri url, JsonObject? body, CancellationToken ct)
    {
        var token = await credential.GetTokenAsync(new TokenRequestContext(Scopes), ct);
        return await ProviderHttp.SendAsync(http, options.PipelineName, new AuthenticationHeaderValue("Bearer", token.Token), () => new HttpRequestMessage(method, url)
        {
            Content = body is null ? null : new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        }, ct);
    }

    private static async Task<JsonObject> ReadAsync(HttpResponseMessage response, CancellationToken ct) =>
        response.IsSuccessStatusCode ? await ProviderHttp.ReadObjectAsync(response, ct) : throw await ErrorAsync(response, ct);

    private static async Task<ContainerAppsJobException> ErrorAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var text = await response.Content.ReadAsStringAsync(ct);
        string message;
        try { message = JsonNode.Parse(text)?["error"] is JsonObject error ? $"{error["code"]}: {error["message"]}" : text; }
        catch (System.Text.Json.JsonException) { message = text.Length > 300 ? text[..300] : text; }
        return new ContainerAppsJobException((int)response.StatusCode, message);
    }
}
