using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Personas.Api.Auth;
using Personas.Api.Problems;

namespace Personas.Api.Hosting;

/// <summary>
/// ASP.NET Core rate limiting for the API: each request is counted against one partition (its key's owner, its
/// client address, failed authentication from its address, or its webhook provider) and, on routes that spend money,
/// against the owner's paid partition too. Runs after authentication, so a valid key is told apart from a guessed
/// one, and before authorization, so a guessing client gets 429 rather than another 401.
/// </summary>
public static class RateLimits
{
    /// <summary>Routes (by endpoint name) that start paid work.</summary>
    public static readonly IReadOnlySet<string> PaidEndpoints = new HashSet<string>(StringComparer.Ordinal)
    {
        "TrainPersona", "PrepareDataset", "ImportPhotos", "GenerateWithPersona", "GenerateSmartPosts",
        "RegeneratePost", "Post-publish-now", "ChatWithPersona", "GeneratePersonaProfile",
    };

    /// <summary>The bulk route is paid when its action is publish-now.</summary>
    public const string BulkPostsEndpoint = "BulkPosts";

    public static readonly IReadOnlySet<string> WebhookEndpoints =
        new HashSet<string>(StringComparer.Ordinal) { "FalWebhook", "ReplicateWebhook", "JobsWebhook" };

    /// <summary>Never limited: a probe that fails for being busy would restart a healthy host.</summary>
    public static readonly IReadOnlySet<string> HealthEndpoints =
        new HashSet<string>(StringComparer.Ordinal) { "Health", "HealthLive" };

    public static IServiceCollection AddPersonasRateLimits(this IServiceCollection services,
        IConfiguration configuration)
    {
        var settings = configuration.GetSection(RateLimitSettings.Section).Get<RateLimitSettings>()
            ?? new RateLimitSettings();
        settings.Validate();
        services.AddSingleton(settings);
        // One limiter for the process: the Function App builds its pipeline once, but the counts must not depend
        // on that, so they live in a singleton rather than in the middleware.
        services.AddSingleton<ApiRateLimiter>();
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = RejectAsync;
        });
        services.AddOptions<RateLimiterOptions>().Configure<ApiRateLimiter>((o, limiter) =>
        {
            if (settings.Enabled) o.GlobalLimiter = limiter.Limiter;
        });
        return services;
    }

    private static async ValueTask RejectAsync(OnRejectedContext context, CancellationToken ct)
    {
        var wait = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
            ? retryAfter : TimeSpan.FromSeconds(1);
        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await ProblemWriter.WriteAsync(context.HttpContext, StatusCodes.Status429TooManyRequests,
            "Too many requests", $"This client has sent too many requests; retry after {seconds} s.");
    }
}

/// <summary>The process's rate limiter: general partitions chained with the paid-route partitions.</summary>
public sealed class ApiRateLimiter : IDisposable
{
    private readonly RateLimitSettings _settings;
    private readonly PartitionedRateLimiter<HttpContext> _general, _paid;

    public ApiRateLimiter(RateLimitSettings settings)
    {
        _settings = settings;
        _general = PartitionedRateLimiter.Create<HttpContext, string>(GeneralPartition);
        _paid = PartitionedRateLimiter.Create<HttpContext, string>(PaidPartition);
        Limiter = PartitionedRateLimiter.CreateChained(_general, _paid);
    }

    public PartitionedRateLimiter<HttpContext> Limiter { get; }

    private RateLimitPartition<string> GeneralPartition(HttpContext http)
    {
        var endpoint = EndpointName(http);
        if (endpoint is not null && RateLimits.HealthEndpoints.Contains(endpoint))
            return RateLimitPartition.GetNoLimiter("exempt");
        if (endpoint is not null && RateLimits.WebhookEndpoints.Contains(endpoint))
            return Bucket($"webhook:{endpoint}", _settings.WebhooksPerProvider);
        if (http.User.Identity?.IsAuthenticated == true)
            return Bucket($"owner:{http.User.Owner()}", _settings.PerOwner);
        var address = ClientAddress.Of(http, _settings.ClientAddressHeader);
        // A key that authentication did not accept counts against the stricter failed-key bucket.
        return string.IsNullOrWhiteSpace(http.Request.Headers[ApiKeyAuthenticationHandler.HeaderName])
            ? Bucket($"address:{address}", _settings.PerAddress)
            : Bucket($"failed:{address}", _settings.FailedAuthPerAddress);
    }

    private RateLimitPartition<string> PaidPartition(HttpContext http)
    {
        var endpoint = EndpointName(http);
        var paid = endpoint is not null && (RateLimits.PaidEndpoints.Contains(endpoint)
            || endpoint == RateLimits.BulkPostsEndpoint && Equals(http.Request.RouteValues["action"], "publish-now"));
        return paid && http.User.Identity?.IsAuthenticated == true
            ? Bucket($"paid:{http.User.Owner()}", _settings.PaidPerOwner)
            : RateLimitPartition.GetNoLimiter("unpaid");
    }

    private static string? EndpointName(HttpContext http) =>
        http.GetEndpoint()?.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName;

    /// <summary>
    /// A token bucket holding <paramref name="limit"/> tokens, refilled at limit per window. Refills come at most
    /// once a second (the partitioned limiter replenishes on a coarse timer and adds one period's tokens per tick).
    /// </summary>
    private RateLimitPartition<string> Bucket(string key, int limit) =>
        RateLimitPartition.GetTokenBucketLimiter(key, _ => BucketOptions(limit, _settings.WindowSeconds));

    internal static TokenBucketRateLimiterOptions BucketOptions(int limit, int windowSeconds)
    {
        // Whole tokens per period, and a period of a second or more that makes the rate exactly limit per window.
        var tokensPerPeriod = (int)Math.Ceiling((double)limit / windowSeconds);
        return new TokenBucketRateLimiterOptions
        {
            TokenLimit = limit,
            ReplenishmentPeriod = TimeSpan.FromSeconds((double)tokensPerPeriod * windowSeconds / limit),
            TokensPerPeriod = tokensPerPeriod,
            QueueLimit = 0,
            AutoReplenishment = false,
        };
    }

    public void Dispose()
    {
        Limiter.Dispose();
        _general.Dispose();
        _paid.Dispose();
    }
}
