using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Personas.Domain.Analytics;
using Personas.Domain.Posts;
using Personas.Providers.Publishing;

namespace Personas.Providers.Analytics;

/// <summary>
/// Ayrshare's <c>POST /api/analytics/post</c> by social post id (<c>searchPlatformId: true</c>): our publication
/// keeps the platform's id from postIds, not Ayrshare's own. One id goes in <c>id</c>; a thread's ids all go in
/// <c>postIds</c>. The answer has one object per platform with its <c>analytics</c>; X's come under publicMetrics,
/// and a thread as an array, summed. Field names are read tolerantly (several spellings), as Ayrshare documents them
/// per network.
/// </summary>
public sealed class AyrshareAnalyticsClient(HttpClient http, AyrshareClientOptions options) : IMetricsClient
{
    private readonly MetricsHttp _api = new(http, "ayrshare",
        () => new AuthenticationHeaderValue("Bearer", options.ApiKey));

    /// <summary>Ayrshare takes at most 100 social post ids in one postIds.</summary>
    public const int MaxIds = 100;

    public string Name => "ayrshare";

    public async Task<MetricsReading> FetchAsync(MetricsRequest request, CancellationToken ct)
    {
        var id = request.ExternalIds.FirstOrDefault()
            ?? throw new MetricsRefusedException(Name, 0, "the post has no social post id");
        var platform = Platform(request.Platform);
        var body = new JsonObject { ["platforms"] = new JsonArray(platform), ["searchPlatformId"] = true };
        // By social id a thread's replies are not included with its first post: every part is named in postIds.
        if (request.ExternalIds.Count > 1)
            body["postIds"] = new JsonArray(request.ExternalIds.Take(MaxIds).Select(i => (JsonNode?)i).ToArray());
        else
            body["id"] = id;
        var answer = await _api.SendAsync(HttpMethod.Post, new Uri(options.Endpoint, "api/analytics/post"), body, ct,
            m => AyrshareHeaders.Apply(m, options.ProfileKey, options.XKeys));
        if (answer?["status"]?.ToString() == "error")
            throw new MetricsRefusedException(Name, 200, answer["message"]?.ToString()
                ?? answer["errors"]?.ToJsonString() ?? "error");
        var entries = answer?[platform] switch
        {
            JsonArray thread => thread.Select(t => t?["analytics"]).ToList(),
            { } one => [one["analytics"]],
            _ => throw new MetricsRefusedException(Name, 200, $"the answer has no {platform} analytics"),
        };
        return new MetricsReading(entries.Select(a => Counts(request.Platform, a)).Aggregate((x, y) => x.Plus(y)));
    }

    private static EngagementCounts Counts(SocialPlatform platform, JsonNode? a)
    {
        if (platform == SocialPlatform.X)
        {
            var m = a?["publicMetrics"];
            var (retweets, quotes) = (MetricsHttp.Count(m, "retweetCount"), MetricsHttp.Count(m, "quoteCount"));
            return new EngagementCounts(MetricsHttp.Count(m, "impressionCount"), Reach: null,
                MetricsHttp.Count(m, "likeCount"), MetricsHttp.Count(m, "replyCount"),
                retweets is null ? quotes : retweets + (quotes ?? 0), MetricsHttp.Count(m, "bookmarkCount"),
                Clicks: null);
        }
        return new EngagementCounts(
            MetricsHttp.Count(a, "impressionCount", "impressionsCount", "viewsCount", "views"),
            MetricsHttp.Count(a, "reachCount", "uniqueImpressionsCount", "reach"),
            MetricsHttp.Count(a, "likeCount", "likesCount", "likes"),
            MetricsHttp.Count(a, "commentsCount", "commentCount", "comments"),
            MetricsHttp.Count(a, "sharesCount", "shareCount", "shares"),
            MetricsHttp.Count(a, "savedCount", "saves"),
            MetricsHttp.Count(a, "clickCount", "clicks"));
    }

    private static string Platform(SocialPlatform platform) => platform switch
    {
        SocialPlatform.Instagram => "instagram",
        SocialPlatform.LinkedIn => "linkedin",
        _ => "twitter",
    };
}
