using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Personas.Domain.Analytics;
using Personas.Providers.Publishing;

namespace Personas.Providers.Analytics;

/// <summary>
/// Instagram media insights: <c>GET /{media-id}/insights?metric=…</c>, answered as
/// <c>{ data: [ { name, period, values: [ { value } ] } ] }</c>. Meta replaced impressions with views (impressions
/// fails for media made after 2 July 2024), so views is read as impressions. A metric Meta leaves out (it answers an
/// empty set rather than 0 when data is missing) stays null. A metric that does not apply to the media's type fails
/// the whole call with a (#100) naming it; the call is then made once more without the metrics named. The owner's
/// token needs instagram_business_manage_insights besides the publishing scope.
/// </summary>
public sealed class InstagramInsightsClient(HttpClient http, InstagramClientOptions options) : IMetricsClient
{
    public const string Metrics = "views,reach,likes,comments,shares,saved,total_interactions";
    private readonly MetricsHttp _api = new(http, "instagram", () => null);

    public string Name => "instagram";

    public async Task<MetricsReading> FetchAsync(MetricsRequest request, CancellationToken ct)
    {
        var media = request.ExternalIds.FirstOrDefault()
            ?? throw new MetricsRefusedException(Name, 0, "the post has no Instagram media id");
        JsonNode? answer;
        try { answer = await InsightsAsync(media, Metrics, ct); }
        catch (MetricsRefusedException refused) when (refused.Status == 400
            && Applicable(refused.ProviderMessage) is { Length: > 0 } rest && rest != Metrics)
        {
            answer = await InsightsAsync(media, rest, ct);
        }
        var values = (answer?["data"] as JsonArray ?? []).OfType<JsonObject>()
            .Where(m => m["name"] is not null)
            .ToDictionary(m => m["name"]!.ToString(), m => (JsonNode?)m["values"]?[0]);
        long? Metric(string name) => MetricsHttp.Count(values.GetValueOrDefault(name), "value");
        return new MetricsReading(new EngagementCounts(Metric("views"), Metric("reach"), Metric("likes"),
            Metric("comments"), Metric("shares"), Metric("saved"), Clicks: null));
    }

    private Task<JsonNode?> InsightsAsync(string media, string metrics, CancellationToken ct) =>
        _api.SendAsync(HttpMethod.Get, new Uri(options.Endpoint, $"{Uri.EscapeDataString(media)}/insights" +
            $"?metric={metrics}&access_token={Uri.EscapeDataString(options.AccessToken)}"), null, ct);

    /// <summary>
    /// Our metrics left after a (#100) refusal: Meta either names those it refuses ("does not support the likes,
    /// comments metric for this media product type") or lists those it takes ("must be one of the following
    /// values: …"). Empty when the refusal names none of ours, so it is not about metrics.
    /// </summary>
    public static string Applicable(string message)
    {
        if (!message.Contains("(#100)", StringComparison.Ordinal)) return "";
        var ours = Metrics.Split(',');
        var named = ours.Where(m => Regex.IsMatch(message, $@"\b{m}\b")).ToList();
        if (named.Count == 0) return "";
        var listed = message.Contains("must be one of", StringComparison.OrdinalIgnoreCase);
        return string.Join(',', ours.Where(m => named.Contains(m) == listed));
    }
}
