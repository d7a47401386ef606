using Personas.Providers.Publishing;

namespace Personas.Providers.Analytics;

/// <summary>
/// Picks the metrics client for a publication: the publisher that made the post, with the owner's account for it
/// (<c>Personas:Publishing:Accounts:{owner}:*</c>); the outbox's dry run for posts the outbox kept. Null when the
/// account that published is no longer configured.
/// </summary>
public sealed class MetricsClients(PublishingOptions options, HttpClient http)
{
    public IMetricsClient? For(string owner, string publisher) => publisher switch
    {
        "outbox" => new DryRunMetricsClient(),
        "instagram" when options.Instagram(owner) is { } instagram => new InstagramInsightsClient(http, instagram),
        "linkedin" when options.LinkedIn(owner) is { } linkedIn => new LinkedInMetricsClient(http, linkedIn),
        "x" when options.X(owner) is { } x => new XMetricsClient(http, x),
        "ayrshare" when options.Ayrshare(owner) is { } ayrshare => new AyrshareAnalyticsClient(http, ayrshare),
        _ => null,
    };
}
