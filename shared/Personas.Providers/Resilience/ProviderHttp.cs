using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Personas.Providers.Resilience;

/// <summary>What every provider client does the same way: send through its named pipeline with its auth, and read the provider's <c>detail</c> from an error.</summary>
public static class ProviderHttp
{
    public static Task<HttpResponseMessage> SendAsync(HttpClient http, string pipeline, AuthenticationHeaderValue auth, Func<HttpRequestMessage> request,
        CancellationToken ct, HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead) =>
        ProviderPipelines.For(pipeline).ExecuteAsync(async token =>
        {
            using var message = request();
            message.Headers.Authorization = auth;
            return await http.SendAsync(message, completion, token);
        }, ct).AsTask();

    /// <summary>
    /// Opens an output file the provider made. Only https (or loopback, for local fakes): a link in a provider's
    /// answer must not turn us into a fetcher of internal addresses.
    /// </summary>
    public static async Task<HttpResponseMessage> DownloadAsync(HttpClient http, string pipeline, AuthenticationHeaderValue? auth, string url, CancellationToken ct)
    {
        var uri = new Uri(url);
        if (uri.Scheme != Uri.UriSchemeHttps && !uri.IsLoopback) throw new InvalidDataException($"Refusing to download a non-https file: {uri.Scheme}.");
        return await ProviderPipelines.For(pipeline).ExecuteAsync(async token =>
        {
            using var message = new HttpRequestMessage(HttpMethod.Get, uri);
            if (auth is not null) message.Headers.Authorization = auth;
            return await http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, token);
        }, ct);
    }

    /// <summary>The provider's own explanation: its JSON <c>detail</c> when there is one, else the start of the body.</summary>
    public static async Task<string> DetailAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var text = await response.Content.ReadAsStringAsync(ct);
        try
        {
            if (JsonNode.Parse(text) is JsonObject o && o["detail"] is { } detail) return detail is JsonValue ? detail.ToString() : detail.ToJsonString();
        }
        catch (JsonException) { }
        return text.Length > 500 ? text[..500] : text.Length == 0 ? response.ReasonPhrase ?? "" : text;
    }

    public static async Task<JsonObject> ReadObjectAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var text = await response.Content.ReadAsStringAsync(ct);
        return string.IsNullOrWhiteSpace(text) ? [] : JsonNode.Parse(text) as JsonObject ?? [];
    }
}
