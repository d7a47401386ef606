using System.Text.RegularExpressions;

namespace Personas.Domain.Posts;

/// <summary>
/// Repairs copy that is over a platform's limits without cutting a word: the body loses whole sentences from its end,
/// hashtags are dropped from the end, and only a single sentence too long on its own is shortened at a word boundary
/// (with an ellipsis). The hook is kept to its first 7 words.
/// </summary>
public static partial class CopyFitter
{
    public static PostCopy Fit(PostCopy copy)
    {
        var hook = FirstWords(copy.Hook, PlatformLimits.HookWords);
        var hashtags = copy.Hashtags.Take(copy.Platform == SocialPlatform.Instagram ? PlatformLimits.InstagramMaxHashtags : int.MaxValue).ToList();
        var fitted = copy with { Hook = hook, Hashtags = hashtags };
        if (copy.Kind == PostKind.Thread && copy.ThreadPosts.Count > 0)
            return fitted with { ThreadPosts = copy.ThreadPosts.Take(PlatformLimits.MaxThreadPosts).Select(p => Shorten(p, PlatformLimits.MaxLength(copy.Platform), copy.Platform)).ToList() };

        var max = PlatformLimits.MaxLength(copy.Platform);
        var sentences = Sentences(fitted.Body).ToList();
        while (Over(fitted, max) && fitted.Hashtags.Count > (copy.Platform == SocialPlatform.X ? 0 : 3)) fitted = fitted with { Hashtags = fitted.Hashtags.SkipLast(1).ToList() };
        while (Over(fitted, max) && sentences.Count > 1)
        {
            sentences.RemoveAt(sentences.Count - 1);
            fitted = fitted with { Body = string.Join(' ', sentences) };
        }
        while (Over(fitted, max) && fitted.Hashtags.Count > 0) fitted = fitted with { Hashtags = fitted.Hashtags.SkipLast(1).ToList() };
        if (Over(fitted, max))
        {
            var others = PlatformLimits.Length(fitted.Texts[0], copy.Platform) - PlatformLimits.Length(fitted.Body, copy.Platform);
            fitted = fitted with { Body = Shorten(fitted.Body, Math.Max(0, max - others), copy.Platform) };
        }
        return fitted;
    }

    /// <summary>Sentences, keeping their end punctuation.</summary>
    public static IEnumerable<string> Sentences(string text) =>
        SentenceEnd().Split(text.Trim()).Select(s => s.Trim()).Where(s => s.Length > 0);

    /// <summary>Whole sentences that fit; failing that, whole words and an ellipsis. Never part of a word.</summary>
    public static string Shorten(string text, int max, SocialPlatform platform)
    {
        if (PlatformLimits.Length(text, platform) <= max) return text;
        var kept = "";
        foreach (var sentence in Sentences(text))
        {
            var next = kept.Length == 0 ? sentence : kept + " " + sentence;
            if (PlatformLimits.Length(next, platform) > max) break;
            kept = next;
        }
        if (kept.Length > 0) return kept;
        var words = "";
        foreach (var word in text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            var next = words.Length == 0 ? word : words + " " + word;
            if (PlatformLimits.Length(next + "…", platform) > max) break;
            words = next;
        }
        return words.Length == 0 ? "" : words.TrimEnd(',', ';', ':', '-') + "…";
    }

    public static string FirstWords(string text, int count) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Take(count));

    private static bool Over(PostCopy copy, int max) => copy.Texts.Any(t => PlatformLimits.Length(t, copy.Platform) > max);

    [GeneratedRegex(@"(?<=[.!?…])\s+")]
    private static partial Regex SentenceEnd();
}
