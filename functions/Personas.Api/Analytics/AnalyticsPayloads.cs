using System.Text.Json.Serialization;
using Personas.Domain.Analytics;
using Personas.Domain.Posts;

namespace Personas.Api.Analytics;

/// <summary>
/// The counters, each null where the platform gives no such number (always present, never a made-up 0);
/// engagement is likes + comments + shares + saves + clicks.
/// </summary>
public sealed record MetricsCounts(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] long? Impressions,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] long? Reach,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] long? Likes,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] long? Comments,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] long? Shares,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] long? Saves,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] long? Clicks,
    long Engagement)
{
    public static MetricsCounts From(EngagementCounts c) =>
        new(c.Impressions, c.Reach, c.Likes, c.Comments, c.Shares, c.Saves, c.Clicks, c.Engagement);
}

/// <summary>
/// One sample of a post: when it was read, how long after publishing, from which publisher, and its counters.
/// Label is set on the dry run's synthetic numbers.
/// </summary>
public sealed record PostMetricsPoint(DateTimeOffset At, double AfterHours, SocialPlatform Platform, string Source,
    MetricsCounts Counts, [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Label)
{
    public static PostMetricsPoint From(EngagementSample s) =>
        new(s.At, s.AfterHours, s.Platform, s.Source, MetricsCounts.From(s.Counts), s.Label);
}

/// <summary>
/// One UTC day of a persona's engagement: over the persona's posts sampled that day, each post's latest counters
/// that day, summed (counters are running totals, so a post counts once a day). Label is set when any of them is
/// synthetic.
/// </summary>
public sealed record PersonaMetricsDay(DateOnly Date, int Posts, int Samples, MetricsCounts Counts,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Label)
{
    public static IReadOnlyList<PersonaMetricsDay> Of(IReadOnlyList<EngagementSample> samples) =>
        samples.GroupBy(s => DateOnly.FromDateTime(s.At.UtcDateTime)).OrderBy(d => d.Key).Select(day =>
        {
            var latest = day.GroupBy(s => s.PostId).Select(p => p.MaxBy(s => s.At)!).ToList();
            return new PersonaMetricsDay(day.Key, latest.Count, day.Count(),
                MetricsCounts.From(latest.Select(s => s.Counts).Aggregate((a, b) => a.Plus(b))),
                latest.FirstOrDefault(s => s.Label is not null)?.Label);
        }).ToList();
}
