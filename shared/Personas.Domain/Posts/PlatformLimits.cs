using System.Globalization;
using System.Text.RegularExpressions;

namespace Personas.Domain.Posts;

/// <summary>
/// What each platform accepts (../shared/providers.md §5): X 280 per post, counted its way; an Instagram caption
/// 2,200 characters with at most 30 hashtags; LinkedIn 3,000 characters. Also the rules every post follows: a hook of at
/// most 7 words, a carousel of exactly 5 slides (hook, 3 educational, call to action), a thread of 3–8 posts.
/// </summary>
public static partial class PlatformLimits
{
    public const int HookWords = 7, CarouselSlides = 5, MinThreadPosts = 3, MaxThreadPosts = 8, InstagramMaxHashtags = 30;

    public static int MaxLength(SocialPlatform platform) => platform switch
    {
        SocialPlatform.X => 280,
        SocialPlatform.Instagram => 2200,
        _ => 3000,
    };

    /// <summary>
    /// Length as the platform counts it. X weighs characters (twitter-text): most Latin, Greek and Cyrillic letters and
    /// common punctuation count 1, everything else (CJK, emoji) 2, and each link 23. Others count Unicode characters.
    /// </summary>
    public static int Length(string text, SocialPlatform platform)
    {
        if (platform != SocialPlatform.X) return new StringInfo(text).LengthInTextElements;
        var links = Link().Matches(text);
        var rest = Link().Replace(text, "");
        var weight = 0;
        foreach (var rune in rest.EnumerateRunes())
        {
            var v = rune.Value;
            weight += v <= 0x10FF || v is >= 0x2000 and <= 0x200D or >= 0x2010 and <= 0x201F or >= 0x2032 and <= 0x2037 ? 1 : 2;
        }
        return weight + 23 * links.Count;
    }

    /// <summary>Every rule the copy breaks, in words; empty when it fits.</summary>
    public static IReadOnlyList<string> Problems(PostCopy copy)
    {
        var problems = new List<string>();
        var max = MaxLength(copy.Platform);
        foreach (var (text, i) in copy.Texts.Select((t, i) => (t, i)))
        {
            var length = Length(text, copy.Platform);
            if (length > max) problems.Add($"{(copy.Texts.Count > 1 ? $"Post {i + 1}" : "The caption")} is {length} characters; {copy.Platform} allows {max}.");
        }
        if (Words(copy.Hook) > HookWords) problems.Add($"The hook has {Words(copy.Hook)} words; it must land in the first {HookWords}.");
        if (copy.Hook.Length == 0) problems.Add("There is no hook.");
        if (copy.Platform == SocialPlatform.Instagram && copy.Hashtags.Count > InstagramMaxHashtags)
            problems.Add($"{copy.Hashtags.Count} hashtags; Instagram allows {InstagramMaxHashtags}.");
        if (copy.Kind == PostKind.Carousel)
        {
            var roles = copy.Slides.Select(s => s.Role).ToList();
            if (!roles.SequenceEqual([SlideRole.Hook, SlideRole.Educational, SlideRole.Educational, SlideRole.Educational, SlideRole.Cta]))
                problems.Add("A carousel needs exactly 5 slides: a hook slide, 3 educational slides and a call-to-action slide.");
        }
        if (copy.Kind == PostKind.Thread && copy.ThreadPosts.Count is < MinThreadPosts or > MaxThreadPosts)
            problems.Add($"A thread needs {MinThreadPosts}–{MaxThreadPosts} posts; it has {copy.ThreadPosts.Count}.");
        return problems;
    }

    public static int Words(string text) => text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;

    [GeneratedRegex(@"https?://\S+")]
    private static partial Regex Link();
}
