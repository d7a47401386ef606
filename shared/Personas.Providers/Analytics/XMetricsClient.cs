using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Personas.Domain.Analytics;
using Personas.Providers.Publishing;

namespace Personas.Providers.Analytics;

/// <summary>
/// X public metrics: <c>GET /2/tweets?ids=…&amp;tweet.fields=public_metrics</c>, every part of a thread in one call,
/// summed. like_count → likes, reply_count → comments, retweet_count + quote_count → shares,
/// bookmark_count → saves, impression_count → impressions; X gives no reach, and clicks only as non-public metrics.
/// </summary>
public sealed class XMetricsClient(HttpClient http, XClientOptions options) : IMetricsClient
{
    public const int MaxIds = 100;
    private readonly MetricsHttp _api = new(http, "x",
        () => new AuthenticationHeaderValue("Bearer", options.UserToken));

    public string Name => "x";

    public async Task<MetricsReading> FetchAsync(MetricsRequest request, CancellationToken ct)
    {
        if (request.ExternalIds.Count == 0) throw new MetricsRefusedException(Name, 0, "the post has no X ids");
        var ids = string.Join(',', request.ExternalIds.Take(MaxIds).Select(Uri.EscapeDataString));
        var answer = await _api.SendAsync(HttpMethod.Get,
            new Uri(options.Endpoint, $"2/tweets?ids={ids}&tweet.fields=public_metrics"), null, ct);
        var found = (answer?["data"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        // A deleted post is left out of data and named in errors (still a 200).
        if (found.Count == 0)
            throw new MetricsRefusedException(Name, 200, answer?["errors"]?[0]?["detail"]?.ToString()
                ?? "none of the posts was found");
        return new MetricsReading(found.Select(t => t["public_metrics"]).Select(m => new EngagementCounts(
                MetricsHttp.Count(m, "impression_count"), Reach: null, MetricsHttp.Count(m, "like_count"),
                MetricsHttp.Count(m, "reply_count"), Shares(m), MetricsHttp.Count(m, "bookmark_count"), Clicks: null))
            .Aggregate((a, b) => a.Plus(b)));
    }

    private static long? Shares(JsonNode? m) => MetricsHttp.Count(m, "retweet_count") is { } retweets
        ? retweets + (MetricsHttp.Count(m, "quote_count") ?? 0) : MetricsHttp.Count(m, "quote_count");
}
