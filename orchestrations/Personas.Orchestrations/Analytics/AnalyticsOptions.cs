using System.Globalization;

namespace Personas.Orchestrations.Analytics;

/// <summary>Engagement collection and learned posting times, under <c>Personas:Analytics:*</c>.</summary>
public sealed class AnalyticsOptions
{
    public const string Section = "Personas:Analytics";

    /// <summary>When to read a published post's counters, in hours after publishing, comma-separated.</summary>
    public string SampleHours { get; set; } = "1,24,168";

    /// <summary>How many of the owner's posts on a platform need samples before bestTime uses their hours.</summary>
    public int LearnedBestTimeMinPosts { get; set; } = 10;

    /// <summary>How many learned hours a day bestTime offers per platform.</summary>
    public int LearnedBestTimeSlots { get; set; } = 2;

    /// <summary>The offsets, ascending; a malformed list fails at startup, not silently later.</summary>
    public IReadOnlyList<double> Offsets()
    {
        var hours = SampleHours.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(h => double.TryParse(h, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v >= 0
                ? v : throw new FormatException($"{Section}:SampleHours has '{h}', which is not a number of hours."))
            .Distinct().Order().ToList();
        return hours.Count > 0 ? hours : throw new FormatException($"{Section}:SampleHours lists no hours.");
    }
}
