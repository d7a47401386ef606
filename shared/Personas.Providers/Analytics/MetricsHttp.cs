using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Polly.CircuitBreaker;
using Polly.Timeout;
using Personas.Providers.Publishing;
using Personas.Providers.Resilience;

namespace Personas.Providers.Analytics;

/// <summary>
/// How the metrics clients talk HTTP: through one named pipeline per provider ("{name}-metrics", one quick retry;
/// the collector's durable retries wait longer), with errors turned into <see cref="MetricsException"/> carrying the
/// platform's own message and, for a rate limit, its wait (Retry-After, or X's x-rate-limit-reset). Meta answers its
/// rate limits as a 400 or 403 with a throttling code in error.code, so those are retryable too.
/// </summary>
public sealed class MetricsHttp(HttpClient http, string provider, Func<AuthenticationHeaderValue?> auth,
    TimeProvider? clock = null)
{
    public static string PipelineName(string provider) => $"{provider}-metrics";

    /// <summary>Graph API throttling codes: app (4), user (17), page (32), custom (613), Page/Instagram BUC.</summary>
    private static readonly int[] MetaThrottlingCodes = [4, 17, 32, 613, 80001, 80002];

    public async Task<JsonNode?> SendAsync(HttpMethod method, Uri uri, JsonNode? body, CancellationToken ct,
        Action<HttpRequestMessage>? configure = null)
    {
        HttpResponseMessage response;
        try
        {
            response = await ProviderPipelines.For(PipelineName(provider), TimeSpan.FromSeconds(30), retries: 1)
                .ExecuteAsync(async token =>
                {
                    using var message = new HttpRequestMessage(method, uri);
                    if (body is not null)
                        message.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
                    message.Headers.Authorization = auth();
                    configure?.Invoke(message);
                    return await http.SendAsync(message, token);
                }, ct);
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutRejectedException or BrokenCircuitException
            || ex is OperationCanceledException && !ct.IsCancellationRequested)
        {
            throw new MetricsException(provider, 0, ex.Message);
        }
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(ct);
            var status = (int)response.StatusCode;
            if (!response.IsSuccessStatusCode)
            {
                var detail = PublisherHttp.Detail(text, response);
                var throttled = MetaThrottled(text);
                throw response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout
                    || status >= 500 || throttled
                    ? new MetricsException(provider, status, detail)
                    {
                        RetryAfter = Wait(response), Throttled = throttled,
                    }
                    : new MetricsRefusedException(provider, status, detail);
            }
            try { return string.IsNullOrWhiteSpace(text) ? null : JsonNode.Parse(text); }
            catch (System.Text.Json.JsonException)
            {
                throw new MetricsException(provider, status, "the answer is not JSON");
            }
        }
    }

    private static bool MetaThrottled(string text)
    {
        try
        {
            return JsonNode.Parse(text) is JsonObject { } o && o["error"] is JsonObject error
                && error["code"] is JsonValue code && code.TryGetValue<int>(out var n)
                && MetaThrottlingCodes.Contains(n);
        }
        catch (System.Text.Json.JsonException) { return false; }
    }

    private TimeSpan? Wait(HttpResponseMessage response)
    {
        if (response.Headers.RetryAfter is { } after)
            return after.Delta ?? (after.Date - (clock ?? TimeProvider.System).GetUtcNow());
        if (response.Headers.TryGetValues("x-rate-limit-reset", out var values)
            && long.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var reset))
            return DateTimeOffset.FromUnixTimeSeconds(reset) - (clock ?? TimeProvider.System).GetUtcNow();
        return null;
    }

    /// <summary>A count from a JSON object: the first of <paramref name="names"/> that holds a number.</summary>
    public static long? Count(JsonNode? node, params string[] names)
    {
        foreach (var name in names)
            if (node?[name] is JsonValue value && value.TryGetValue<long>(out var n)) return n;
        return null;
    }
}
