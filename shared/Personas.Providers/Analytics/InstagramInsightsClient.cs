using System.Text.Json.Nodes;
using Personas.Domain.Analytics;

namespace Personas.Providers.Analytics;

public sealed class InstagramInsightsClientOptions
{
    /// <summary>An Instagram User access token with instagram_business_manage_insights.</summary>
    public string AccessToken { get; set; } = "";
    public Uri Endpoint { get; set; } = new("https://graph.instagram.com/v24.0/");
}

/// <summary>
/// Instagram media insights: <c>GET /{media-id}/insights?metric=…</c>, answered as
/// <c>{ data: [ { name, period, values: [ { value } ] } ] }</c>. Meta replaced impressions with views for media made
/// after July 2024, so views is read as impressions. A metric Meta leaves out (it answers an empty set rather than 0
/// when data is missing) stays null.
/// </summary>
public sealed class InstagramInsightsClient(HttpClient http, InstagramInsightsClientOptions options) : IMetricsClient
{
    public const string Metrics = "views,reach,likes,comments,shares,saved,total_interactions";
    private readonly MetricsHttp _api = new(http, "instagram", () => null);

    public string Name => "instagram";

    public async Task<MetricsReading> FetchAsync(MetricsRequest request, CancellationToken ct)
    {
        var media = request.ExternalIds.FirstOrDefault()
            ?? throw new MetricsRefusedException(Name, 0, "the post has no Instagram media id");
        var uri = new Uri(options.Endpoint, $"{Uri.EscapeDataString(media)}/insights?metric={Metrics}" +
            $"&access_token={Uri.EscapeDataString(options.AccessToken)}");
        var answer = await _api.SendAsync(HttpMethod.Get, uri, null, ct);
        var values = (answer?["data"] as JsonArray ?? []).OfType<JsonObject>()
            .Where(m => m["name"] is not null)
            .ToDictionary(m => m["name"]!.ToString(), m => (JsonNode?)m["values"]?[0]);
        long? Metric(string name) => MetricsHttp.Count(values.GetValueOrDefault(name), "value");
        return new MetricsReading(new EngagementCounts(Metric("views"), Metric("reach"), Metric("likes"),
            Metric("comments"), Metric("shares"), Metric("saved"), Clicks: null));
    }
}
