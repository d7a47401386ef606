using Personas.Domain.Analytics;
using Personas.Domain.Posts;

namespace Personas.Providers.Analytics;

/// <summary>
/// A published post as a metrics client sees it: the platform's ids of its parts (one, or each post of a thread),
/// when it was published and which collection this is (hours after publishing).
/// </summary>
public sealed record MetricsRequest(string PostId, SocialPlatform Platform, IReadOnlyList<string> ExternalIds,
    DateTimeOffset PublishedAt, double AfterHours);

/// <summary>What a client read; Label is set when the numbers are not a platform's (the dry run).</summary>
public sealed record MetricsReading(EngagementCounts Counts, string? Label = null);

/// <summary>
/// Reading a post's counters failed in a way worth trying again (no answer, a rate limit, an outage). Status is the
/// HTTP status, 0 when nothing answered; RetryAfter is the platform's own wait when it gave one. Throttled marks a
/// rate limit the platform answers with another status (Meta's Graph API: a 400 or 403 naming a throttling code).
/// </summary>
public class MetricsException(string provider, int status, string message)
    : Exception($"{provider} answered {status}: {message}")
{
    public string Provider { get; } = provider;
    public int Status { get; } = status;
    public string ProviderMessage { get; } = message;
    public TimeSpan? RetryAfter { get; init; }
    public bool Throttled { get; init; }
    public bool RateLimited => Status == 429 || Throttled;
}

/// <summary>The platform refused (bad token, missing permission, deleted post): asking again will not help.</summary>
public sealed class MetricsRefusedException(string provider, int status, string message)
    : MetricsException(provider, status, message);

/// <summary>One platform's engagement counters for posts published through it.</summary>
public interface IMetricsClient
{
    string Name { get; }

    Task<MetricsReading> FetchAsync(MetricsRequest request, CancellationToken ct);
}
