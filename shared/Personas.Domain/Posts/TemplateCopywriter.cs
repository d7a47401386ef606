using System.Text.RegularExpressions;

namespace Personas.Domain.Posts;

/// <summary>Key topics, quotable moments and the overall sentiment of the content, when the caller has them.</summary>
public sealed record ContentAnalysis(IReadOnlyList<string>? KeyTopics = null, IReadOnlyList<string>? Moments = null, string? Sentiment = null);

/// <summary>What a post is made from: the project's title, its transcript and/or analysis, and the tone wanted.</summary>
public sealed record ContentBrief(string ProjectTitle, string? Transcript, ContentAnalysis? Analysis = null, string Tone = "professional");

/// <summary>
/// Copy without a language model: the transcript's key sentences (the ones dense in its most repeated content words,
/// quotable moments first) placed into fixed shapes per post kind and platform, then fitted to the platform's limits.
/// Deterministic: the same brief gives the same copy. Labelled <c>source: template</c>.
/// </summary>
public static partial class TemplateCopywriter
{
    public const string SourceLabel = "template";

    public static PostCopy Write(ContentBrief brief, PostKind kind, SocialPlatform platform)
    {
        var sentences = KeySentences(brief, 6);
        var topic = Topic(brief);
        var hook = CopyFitter.FirstWords(Hook(brief.Tone, topic), PlatformLimits.HookWords);
        var cta = Cta(platform, topic);
        var hashtags = Hashtags(brief, platform == SocialPlatform.Instagram ? 6 : platform == SocialPlatform.LinkedIn ? 3 : 2);
        var lead = sentences.FirstOrDefault() ?? brief.ProjectTitle;
        var copy = kind switch
        {
            PostKind.Quote => new PostCopy(kind, platform, hook, $"“{Unquote(lead)}” — {brief.ProjectTitle}", cta, hashtags,
                $"Quote card with the words: {Unquote(lead)}", SourceLabel),
            PostKind.Carousel => new PostCopy(kind, platform, hook, string.Join(' ', sentences.Take(2)), cta, hashtags,
                $"Carousel on {topic}: {string.Join(" ", sentences.Take(3))}", SourceLabel) { Slides = Slides(hook,
                    brief, sentences, cta) },
            PostKind.Thread => new PostCopy(kind, platform, hook, string.Join(' ', sentences), cta, hashtags,
                $"Image for a thread on {topic}", SourceLabel) { ThreadPosts = Thread(hook, sentences, cta, hashtags, platform) },
            _ => new PostCopy(kind, platform, hook, string.Join(platform == SocialPlatform.X ? " " : "\n\n", sentences.Take(platform == SocialPlatform.X ? 1 : 3)), cta, hashtags,
                $"Image for a post on {topic}", SourceLabel),
        };
        return CopyFitter.Fit(copy);
    }

    /// <summary>Up to <paramref name="count"/> sentences, in the order they were said: moments first, then the densest in repeated content words.</summary>
    public static IReadOnlyList<string> KeySentences(ContentBrief brief, int count)
    {
        var moments = (brief.Analysis?.Moments ?? []).Select(Clean).Where(m => m.Length > 0).ToList();
        var candidates = CopyFitter.Sentences(Clean(brief.Transcript ?? "")).Where(s => PlatformLimits.Words(s) is >= 5 and <= 45).ToList();
        var frequency = ContentWords(string.Join(' ', candidates)).GroupBy(w => w).ToDictionary(g => g.Key, g => g.Count());
        var ranked = candidates.Select((s, i) => (s, i, score: ContentWords(s).Distinct().Sum(w => frequency.GetValueOrDefault(w)) / Math.Sqrt(PlatformLimits.Words(s))
                * (Intro().IsMatch(s) ? 0.3 : 1))) // "Today I want to talk about…" says little
            .OrderByDescending(x => x.score).ThenBy(x => x.i).Take(Math.Max(0, count - moments.Count)).OrderBy(x => x.i).Select(x => x.s);
        return moments.Take(count).Concat(ranked).Distinct().ToList();
    }

    private static IReadOnlyList<Slide> Slides(string hook, ContentBrief brief, IReadOnlyList<string> sentences,
        string cta)
    {
        var lessons = sentences.Concat([brief.ProjectTitle, brief.ProjectTitle, brief.ProjectTitle]).Take(3).ToList();
        var used = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        return
        [
            new Slide(SlideRole.Hook, hook, brief.ProjectTitle),
            .. lessons.Select((s, i) => new Slide(SlideRole.Educational, $"{i + 1}. {Heading(s, brief, used)}",
                CopyFitter.Shorten(s, 180, SocialPlatform.Instagram))),
            new Slide(SlideRole.Cta, "Your move", cta),
        ];
    }

    /// <summary>
    /// A slide heading that names what the sentence is about instead of repeating its first words: a key topic it
    /// mentions, else the phrase of two adjacent content words the talk repeats most ("small releases"; a word an
    /// earlier heading used counts half, so headings differ), else its most repeated content word. Adjacent words
    /// read as a phrase, where two words picked apart did not ("Small and week"). A sentence with no content word is
    /// headed by the post's topic.
    /// </summary>
    internal static string Heading(string sentence, ContentBrief brief, ISet<string> used)
    {
        var topic = (brief.Analysis?.KeyTopics ?? []).FirstOrDefault(t => t.Length > 0 && !used.Contains(t)
            && sentence.Contains(t, StringComparison.OrdinalIgnoreCase));
        if (topic is not null)
        {
            used.Add(topic);
            return Capitalised(topic);
        }
        var frequency = ContentWords(brief.Transcript ?? sentence).GroupBy(w => w).ToDictionary(g => g.Key,
            g => g.Count());
        double Weight(string word) => frequency.GetValueOrDefault(word, 1) * (used.Contains(word) ? 0.5 : 1);
        var words = WordPattern().Matches(sentence.ToLowerInvariant()).Select(m => m.Value).ToList();
        var phrase = words.Zip(words.Skip(1), (a, b) => (a, b)).Select((pair, i) => (pair.a, pair.b, i))
            .Where(p => IsContent(p.a) && IsContent(p.b) && p.a != p.b && !used.Contains($"{p.a} {p.b}"))
            .OrderByDescending(p => Weight(p.a) + Weight(p.b)).ThenBy(p => p.i)
            .Select(p => new[] { p.a, p.b }).FirstOrDefault()
            ?? ContentWords(sentence).OrderByDescending(Weight).Take(1).ToArray();
        if (phrase.Length == 0) return Capitalised(Topic(brief));
        var heading = string.Join(' ', phrase);
        used.Add(heading);
        foreach (var word in phrase) used.Add(word);
        return Capitalised(heading);
    }

    private static string Capitalised(string text) => text.Length == 0 ? text
        : char.ToUpperInvariant(text[0]) + text[1..];

    private static IReadOnlyList<string> Thread(string hook, IReadOnlyList<string> sentences, string cta, IReadOnlyList<string> hashtags, SocialPlatform platform)
    {
        var max = PlatformLimits.MaxLength(platform);
        var middle = sentences.Take(PlatformLimits.MaxThreadPosts - 2).Select(s => CopyFitter.Shorten(s, max, platform)).Where(s => s.Length > 0).ToList();
        if (middle.Count == 0) middle.Add(hook);
        var last = string.Join("\n\n", new[] { cta, string.Join(' ', hashtags.Select(h => "#" + h)) }.Where(p => p.Length > 0));
        return [CopyFitter.Shorten($"{hook} 🧵", max, platform), .. middle, CopyFitter.Shorten(last, max, platform)];
    }

    /// <summary>
    /// The post's subject in a few words: the first key topic, else the project title when it is short (a title says
    /// what the content is about better than word counts), else the most repeated content word.
    /// </summary>
    public static string Topic(ContentBrief brief)
    {
        var topic = brief.Analysis?.KeyTopics?.FirstOrDefault(t => !string.IsNullOrWhiteSpace(t))
            ?? (PlatformLimits.Words(brief.ProjectTitle) <= 4 ? brief.ProjectTitle.ToLowerInvariant() : null)
            ?? ContentWords(brief.Transcript ?? "").GroupBy(w => w).OrderByDescending(g => g.Count())
                .ThenBy(g => g.Key, StringComparer.Ordinal).FirstOrDefault()?.Key
            ?? brief.ProjectTitle;
        var words = CopyFitter.FirstWords(Spaces().Replace(Filler().Replace(topic, ""), " ").Trim(), 3)
            .TrimEnd('.', '!', '?', ',').Split(' ').ToList();
        // Cut after three words, "the future of" must lose its dangling "of" to read as a phrase.
        while (words.Count > 1 && Dangling.Contains(words[^1].ToLowerInvariant())) words.RemoveAt(words.Count - 1);
        return string.Join(' ', words);
    }

    private static readonly HashSet<string> Dangling =
    [
        "of", "in", "for", "to", "and", "or", "the", "a", "an", "with", "on", "at", "by", "from", "about", "is", "are",
    ];

    /// <summary>
    /// Hooks whose grammar holds for any noun phrase or gerund as the topic ("building in public", "freelance
    /// pricing"): no verb that needs a countable object, as "Stop getting building in public wrong" did.
    /// </summary>
    private static string Hook(string tone, string topic) => tone.ToLowerInvariant() switch
    {
        "casual" => $"Real talk about {topic}",
        "inspirational" => $"Why {topic} changes everything",
        "bold" or "provocative" => $"The hard truth about {topic}",
        _ => $"What {topic} really takes",
    };

    private static string Cta(SocialPlatform platform, string topic) => platform switch
    {
        SocialPlatform.Instagram => "Save this for later and share it with someone who needs it.",
        SocialPlatform.LinkedIn => $"How do you approach {topic}? Tell me in the comments.",
        _ => $"Follow for more on {topic}.",
    };

    /// <summary>
    /// Hashtags from phrases that name the subject: the key topics, the title when it is short, then two-word
    /// phrases the transcript repeats ("value pricing"). Never single words picked out of sentences: #Small #Rhythm
    /// #Week say nothing. Fewer tags than the platform allows is better than filler.
    /// </summary>
    internal static IReadOnlyList<string> Hashtags(ContentBrief brief, int count)
    {
        string[] title = PlatformLimits.Words(brief.ProjectTitle) <= 4 ? [brief.ProjectTitle] : [];
        var sources = (brief.Analysis?.KeyTopics ?? []).Concat(title).Concat(RepeatedPhrases(brief.Transcript ?? ""));
        return sources.Select(Tag).Where(t => t.Length is >= 3 and <= 30).Distinct(StringComparer.OrdinalIgnoreCase).Take(count).ToList();
    }

    /// <summary>Pairs of adjacent content words said at least twice, most repeated first.</summary>
    private static IEnumerable<string> RepeatedPhrases(string transcript) =>
        CopyFitter.Sentences(Clean(transcript))
            .SelectMany(s => WordPattern().Matches(s.ToLowerInvariant()).Select(m => m.Value).ToList() is var w
                ? w.Zip(w.Skip(1), (a, b) => (a, b)).Where(p => IsContent(p.a) && IsContent(p.b) && p.a != p.b)
                : [])
            .GroupBy(p => $"{p.a} {p.b}").Where(g => g.Count() >= 2)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Select(g => g.Key);

    private static bool IsContent(string word) => word.Length >= 4 && !StopWords.Contains(word);

    /// <summary>A hashtag from a phrase: its words joined in PascalCase, letters and digits only.</summary>
    private static string Tag(string phrase) =>
        string.Concat(NonWord().Split(phrase).Where(w => w.Length > 0).Select(w => char.ToUpperInvariant(w[0]) + w[1..]));

    private static IEnumerable<string> ContentWords(string text) =>
        WordPattern().Matches(text.ToLowerInvariant()).Select(m => m.Value).Where(IsContent);

    /// <summary>Filler words out; a sentence left starting with "and" or "so" loses it and starts with a capital.</summary>
    private static string Clean(string text) =>
        string.Join(' ', CopyFitter.Sentences(Spaces().Replace(Filler().Replace(text, ""), " ")).Select(s => LeadingJoin().Replace(s, "")).Where(s => s.Length > 0)
            .Select(s => char.ToUpperInvariant(s[0]) + s[1..]));

    private static string Unquote(string text) => text.Trim('"', '“', '”', '\'');

    private static readonly HashSet<string> StopWords =
    [
        "that", "this", "with", "have", "from", "they", "will", "what", "when", "your", "about", "there", "their", "would", "could", "should",
        "which", "were", "been", "then", "than", "them", "these", "those", "just", "really", "because", "into", "also", "some", "more", "very",
        "like", "know", "think", "going", "gonna", "want", "make", "made", "said", "says", "thing", "things", "much", "many", "even", "still",
        "here", "where", "while", "over", "only", "being", "does", "doing", "dont", "didn", "it's", "that's", "i'm", "you're", "we're", "okay",
        "every", "most", "first", "last", "never", "always", "each", "other", "three", "single", "send", "today", "talk", "finally", "instead",
        "lost", "year", "years", "time", "times", "well", "good", "great", "right", "need", "take", "give", "come", "look", "both",
    ];

    [GeneratedRegex(@"\b(?:um+|uh+|erm+|you know|i mean|sort of|kind of)\b,?\s*", RegexOptions.IgnoreCase)]
    private static partial Regex Filler();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    [GeneratedRegex(@"^(?:today|in this (?:video|episode|talk)|welcome|hi|hello|hey)\b|\b(?:i want|i'm going|we're going) to talk about\b", RegexOptions.IgnoreCase)]
    private static partial Regex Intro();

    [GeneratedRegex(@"^(?:(?:and|so|but|well|okay|right),?\s+)+", RegexOptions.IgnoreCase)]
    private static partial Regex LeadingJoin();

    [GeneratedRegex(@"[\p{L}\p{N}']+")]
    private static partial Regex WordPattern();

    [GeneratedRegex(@"[^\p{L}\p{N}]+")]
    private static partial Regex NonWord();
}
