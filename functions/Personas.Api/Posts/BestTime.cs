using Personas.Domain.Posts;

namespace Personas.Api.Posts;

/// <summary>
/// Default publishing slots per platform, in the owner's local time (docs/posts.md): Instagram 11:00 and 19:00 every
/// day; LinkedIn 08:30 and 12:00 on weekdays; X 09:00, 12:00 and 17:00 every day. The next slot at least 5 minutes away.
/// Learned slots (the owner's best hours, Analytics/LearnedBestTime) replace the default ones; the
/// platform's days stay.
/// </summary>
public static class BestTime
{
    private static readonly Dictionary<SocialPlatform, (TimeOnly[] Slots, bool WeekdaysOnly)> Slots = new()
    {
        [SocialPlatform.Instagram] = ([new(11, 0), new(19, 0)], false),
        [SocialPlatform.LinkedIn] = ([new(8, 30), new(12, 0)], true),
        [SocialPlatform.X] = ([new(9, 0), new(12, 0), new(17, 0)], false),
    };

    public static DateTimeOffset Next(SocialPlatform platform, DateTimeOffset now, TimeZoneInfo zone,
        IReadOnlyList<TimeOnly>? learned = null)
    {
        var (defaults, weekdaysOnly) = Slots[platform];
        var slots = learned is { Count: > 0 } ? learned.Order().ToArray() : defaults;
        var earliest = now.AddMinutes(5);
        var local = TimeZoneInfo.ConvertTime(earliest, zone);
        for (var day = 0; day < 8; day++)
        {
            var date = DateOnly.FromDateTime(local.DateTime).AddDays(day);
            if (weekdaysOnly && date.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday) continue;
            foreach (var slot in slots)
            {
                var wall = date.ToDateTime(slot);
                if (zone.IsInvalidTime(wall)) continue; // skipped by a clock change
                var at = new DateTimeOffset(wall, zone.GetUtcOffset(wall));
                if (at >= earliest) return at.ToUniversalTime();
            }
        }
        return earliest;
    }
}
