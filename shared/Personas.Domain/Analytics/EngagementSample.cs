using Personas.Domain.Posts;

namespace Personas.Domain.Analytics;

/// <summary>
/// What a platform counts for one post at one moment. Each is null when the platform does not give that number
/// (X has no reach, LinkedIn members get no impressions): never a made-up 0.
/// </summary>
public sealed record EngagementCounts(long? Impressions, long? Reach, long? Likes, long? Comments, long? Shares,
    long? Saves, long? Clicks)
{
    public static readonly EngagementCounts None = new(null, null, null, null, null, null, null);

    /// <summary>Interactions the owner caused: likes, comments, shares, saves and clicks that were reported.</summary>
    public long Engagement => (Likes ?? 0) + (Comments ?? 0) + (Shares ?? 0) + (Saves ?? 0) + (Clicks ?? 0);

    /// <summary>Field by field sum where either side reported it (a thread's parts, a day's posts).</summary>
    public EngagementCounts Plus(EngagementCounts o) => new(Add(Impressions, o.Impressions), Add(Reach, o.Reach),
        Add(Likes, o.Likes), Add(Comments, o.Comments), Add(Shares, o.Shares), Add(Saves, o.Saves),
        Add(Clicks, o.Clicks));

    private static long? Add(long? a, long? b) => a is null && b is null ? null : (a ?? 0) + (b ?? 0);
}

/// <summary>
/// One collection of a published post's counters, <see cref="AfterHours"/> after it was published. Source is the
/// publisher that was asked (instagram, linkedin, x, ayrshare, or outbox for the dry run); Label is set when the
/// numbers are synthetic.
/// </summary>
public sealed record EngagementSample(string Owner, string PostId, string? PersonaId, SocialPlatform Platform,
    string Source, DateTimeOffset PublishedAt, double AfterHours, DateTimeOffset At, EngagementCounts Counts)
{
    public string? Label { get; init; }
}
