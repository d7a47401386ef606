using Personas.Providers.Publishing;

namespace Personas.Providers.Analytics;

/// <summary>
/// Picks the metrics client for a publication: the publisher that made the post, with the owner's account for it
/// (<c>Personas:Publishing:Accounts:{owner}:*</c>); the outbox's dry run for posts the outbox kept. Null when the
/// account that published is no longer configured.
/// </summary>
public sealed class MetricsClients(PublishingOptions options, HttpClient http)
{
    public IMetricsClient? For(string owner, string publisher)
    {
        var accounts = options.Accounts.GetValueOrDefault(owner);
        return publisher switch
        {
            "outbox" => new DryRunMetricsClient(),
            "instagram" when accounts is { InstagramToken: { Length: > 0 } token } =>
                new InstagramInsightsClient(http, new InstagramInsightsClientOptions
                {
                    AccessToken = token, Endpoint = new Uri(options.InstagramEndpoint),
                }),
            "linkedin" when accounts is { LinkedInAuthor: { Length: > 0 } author, LinkedInToken: { Length: > 0 } li } =>
                new LinkedInMetricsClient(http, new LinkedInMetricsClientOptions
                {
                    AuthorUrn = author, AccessToken = li, Version = options.LinkedInVersion,
                    Endpoint = new Uri(options.LinkedInEndpoint),
                }),
            "x" when accounts is { XToken: { Length: > 0 } x } =>
                new XMetricsClient(http, new XMetricsClientOptions
                {
                    UserToken = x, Endpoint = new Uri(options.XEndpoint),
                }),
            "ayrshare" when options.AyrshareApiKey.Length > 0 =>
                new AyrshareAnalyticsClient(http, new AyrshareAnalyticsClientOptions
                {
                    ApiKey = options.AyrshareApiKey, ProfileKey = accounts?.AyrshareProfileKey,
                    XKeys = Publishing.AyrshareXKeys.From(options.AyrshareXApiKey, options.AyrshareXApiSecret),
                    Endpoint = new Uri(options.AyrshareEndpoint),
                }),
            _ => null,
        };
    }
}
