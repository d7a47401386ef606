using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Personas.Providers.Resilience;

namespace Personas.Providers.Publishing;

/// <summary>A platform's answer: its JSON body (null when empty) and headers.</summary>
public sealed record PlatformAnswer(JsonNode? Body, HttpResponseHeaders Headers);

/// <summary>
/// How every publisher talks HTTP. Reads and uploads go through the publisher's named pipeline, with retries. The
/// call that makes the post visible goes through "{name}-create", which never retries and gives up after
/// <paramref name="createTimeout"/>: a lost answer is then settled by looking the post up, not by posting again.
/// </summary>
public sealed class PublisherHttp(HttpClient http, string publisher, Func<AuthenticationHeaderValue?> auth, TimeSpan createTimeout)
{
    public string Publisher => publisher;

    public static HttpContent Json(JsonNode body) => new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");

    public static HttpContent Form(params (string Name, string? Value)[] fields) =>
        new FormUrlEncodedContent(fields.Where(f => f.Value is not null).Select(f => new KeyValuePair<string, string>(f.Name, f.Value!)));

    public async Task<PlatformAnswer> SendAsync(HttpMethod method, Uri uri, Func<HttpContent?> content, CancellationToken ct, bool creates = false,
        Action<HttpRequestMessage>? configure = null)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        if (creates) timeout.CancelAfter(createTimeout);
        HttpResponseMessage response;
        try
        {
            response = await ProviderPipelines.For(creates ? $"{publisher}-create" : publisher, TimeSpan.FromSeconds(60), retries: creates ? 0 : 3)
                .ExecuteAsync(async token =>
                {
                    using var message = new HttpRequestMessage(method, uri) { Content = content() };
                    message.Headers.Authorization = auth();
                    configure?.Invoke(message);
                    return await http.SendAsync(message, token);
                }, timeout.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new PublishException(publisher, 0, $"no answer within {createTimeout.TotalSeconds:0.#} s; the post may or may not exist");
        }
        catch (HttpRequestException ex)
        {
            throw new PublishException(publisher, 0, ex.Message);
        }
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(ct);
            if (!response.IsSuccessStatusCode)
                throw response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout || (int)response.StatusCode >= 500
                    ? new PublishException(publisher, (int)response.StatusCode, Detail(text, response))
                    : new PublishRefusedException(publisher, (int)response.StatusCode, Detail(text, response));
            JsonNode? body = null;
            try { body = string.IsNullOrWhiteSpace(text) ? null : JsonNode.Parse(text); }
            catch (System.Text.Json.JsonException) { throw new PublishException(publisher, (int)response.StatusCode, "the answer is not JSON"); }
            return new PlatformAnswer(body, response.Headers);
        }
    }

    /// <summary>The platform's own message: Graph's error.message, X's detail/title, LinkedIn's message, Ayrshare's errors, else the body's start.</summary>
    internal static string Detail(string text, HttpResponseMessage response)
    {
        try
        {
            if (JsonNode.Parse(text) is JsonObject o)
            {
                var message = o["error"]?["message"] ?? o["detail"] ?? o["message"] ?? o["title"] ?? o["errors"]?[0]?["message"] ?? o["errors"];
                if (message is not null) return message is JsonValue ? message.ToString() : message.ToJsonString();
            }
        }
        catch (System.Text.Json.JsonException) { }
        return text.Length > 300 ? text[..300] : text.Length == 0 ? response.ReasonPhrase ?? "" : text;
    }

    /// <summary>Texts compared the way platforms return them: whitespace collapsed, links dropped (X rewrites them).</summary>
    public static string Comparable(string text) =>
        string.Join(' ', System.Text.RegularExpressions.Regex.Replace(text, @"https?://\S+", "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
