using System.Net.Http.Headers;
using Personas.Domain.Analytics;
using Personas.Providers.Publishing;

namespace Personas.Providers.Analytics;

/// <summary>
/// LinkedIn's versioned REST API. A page's post is read from <c>organizationalEntityShareStatistics</c> (its
/// <c>totalShareStatistics</c>: impressionCount, uniqueImpressionsCount, likeCount, commentCount, shareCount,
/// clickCount). A member's post is read from <c>socialActions/{urn}</c>: likesSummary.totalLikes and
/// commentsSummary.aggregatedTotalComments (replies included), the rest null. memberCreatorPostAnalytics would give
/// a member's impressions, reach and reshares, but needs r_member_postAnalytics (docs/analytics-wire.md). A page's
/// statistics need rw_organization_admin (an ADMINISTRATOR of the page); a member's socialActions need
/// r_member_social, which LinkedIn grants to select developers only (w_member_social alone gets a 403).
/// </summary>
public sealed class LinkedInMetricsClient(HttpClient http, LinkedInClientOptions options) : IMetricsClient
{
    private readonly MetricsHttp _api = new(http, "linkedin",
        () => new AuthenticationHeaderValue("Bearer", options.AccessToken));

    public string Name => "linkedin";

    public async Task<MetricsReading> FetchAsync(MetricsRequest request, CancellationToken ct)
    {
        var urn = request.ExternalIds.FirstOrDefault()
            ?? throw new MetricsRefusedException(Name, 0, "the post has no LinkedIn URN");
        return options.AuthorUrn.StartsWith("urn:li:organization:", StringComparison.Ordinal)
            ? await PageStatisticsAsync(urn, ct) : await SocialActionsAsync(urn, ct);
    }

    private async Task<MetricsReading> PageStatisticsAsync(string urn, CancellationToken ct)
    {
        var list = urn.StartsWith("urn:li:ugcPost:", StringComparison.Ordinal) ? "ugcPosts" : "shares";
        var query = $"q=organizationalEntity&organizationalEntity={Uri.EscapeDataString(options.AuthorUrn)}" +
            $"&{list}=List({Uri.EscapeDataString(urn)})";
        var answer = await _api.SendAsync(HttpMethod.Get,
            new Uri(options.Endpoint, $"rest/organizationalEntityShareStatistics?{query}"), null, ct, Headers);
        var totals = answer?["elements"]?[0]?["totalShareStatistics"];
        return new MetricsReading(new EngagementCounts(MetricsHttp.Count(totals, "impressionCount"),
            MetricsHttp.Count(totals, "uniqueImpressionsCount"), MetricsHttp.Count(totals, "likeCount"),
            MetricsHttp.Count(totals, "commentCount"), MetricsHttp.Count(totals, "shareCount"), Saves: null,
            MetricsHttp.Count(totals, "clickCount")));
    }

    private async Task<MetricsReading> SocialActionsAsync(string urn, CancellationToken ct)
    {
        var answer = await _api.SendAsync(HttpMethod.Get,
            new Uri(options.Endpoint, $"rest/socialActions/{Uri.EscapeDataString(urn)}"), null, ct, Headers);
        return new MetricsReading(EngagementCounts.None with
        {
            Likes = MetricsHttp.Count(answer?["likesSummary"], "totalLikes", "aggregatedTotalLikes"),
            Comments = MetricsHttp.Count(answer?["commentsSummary"], "aggregatedTotalComments",
                "totalFirstLevelComments"),
        });
    }

    private void Headers(HttpRequestMessage message)
    {
        message.Headers.Add("LinkedIn-Version", options.Version);
        message.Headers.Add("X-Restli-Protocol-Version", "2.0.0");
    }
}
