using Personas.Domain.Analytics;
using Personas.Domain.Posts;
using Personas.Domain.Stores;
using Personas.Orchestrations.Analytics;

namespace Personas.Api.Analytics;

/// <summary>A bestTime answer: the time, whether it was learned from the owner's engagement, from how many posts.
/// </summary>
public sealed record BestTimeChoice(DateTimeOffset At, SocialPlatform Platform, bool Learned,
    IReadOnlyList<TimeOnly> Hours, int Posts, int MinPosts)
{
    public string Source => Learned ? "learned" : "default";

    public string Explain() => Learned
        ? $"best time learned from the engagement of your {Posts} {Platform} posts (best hours " +
          $"{string.Join(", ", Hours.Select(h => h.ToString("HH:mm")))})"
        : $"default best-time slots: {Posts} of your {Platform} posts have engagement samples; " +
          $"{MinPosts} are needed to learn your own hours";
}

/// <summary>
/// The owner's best posting hours on a platform, learned from their own posts' engagement: each post is scored by
/// its first-day engagement (likes, comments, shares, saves and clicks in its latest sample at most 24 h after
/// publishing, else its earliest), posts are grouped by the local hour they were published, and the hours with the
/// highest mean win. Synthetic dry-run samples are never learned from. With fewer than the configured number of
/// posts, the defaults stay.
/// </summary>
public static class LearnedBestTime
{
    public static IReadOnlyList<TimeOnly>? Hours(IReadOnlyList<EngagementSample> samples, TimeZoneInfo zone,
        int minPosts, int slots, out int posts)
    {
        var scored = samples.Where(s => s.Label is null).GroupBy(s => s.PostId)
            .Select(g => g.Where(s => s.AfterHours <= 24).MaxBy(s => s.AfterHours) ?? g.MinBy(s => s.AfterHours)!)
            .ToList();
        posts = scored.Count;
        if (posts < Math.Max(1, minPosts)) return null;
        return scored.GroupBy(s => TimeZoneInfo.ConvertTime(s.PublishedAt, zone).Hour)
            .Select(g => (Hour: g.Key, Mean: g.Average(s => (double)s.Counts.Engagement)))
            .OrderByDescending(h => h.Mean).ThenBy(h => h.Hour).Take(Math.Max(1, slots))
            .Select(h => new TimeOnly(h.Hour, 0)).Order().ToList();
    }

    public static async Task<BestTimeChoice> NextAsync(IAnalyticsCatalog analytics, AnalyticsOptions options,
        string owner, SocialPlatform platform, DateTimeOffset now, TimeZoneInfo zone, CancellationToken ct)
    {
        var samples = await analytics.ListPlatformSamplesAsync(owner, platform, ct);
        var hours = Hours(samples, zone, options.LearnedBestTimeMinPosts, options.LearnedBestTimeSlots, out var posts);
        return new BestTimeChoice(Posts.BestTime.Next(platform, now, zone, hours), platform, hours is not null,
            hours ?? [], posts, options.LearnedBestTimeMinPosts);
    }
}
