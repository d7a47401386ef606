namespace Personas.Domain.Posts;

public enum PostKind { Carousel, Quote, Single, Thread }

public enum SocialPlatform { Instagram, LinkedIn, X }

public enum SlideRole { Hook, Educational, Cta }

/// <summary>One carousel slide: its role, a short title and the text under it.</summary>
public sealed record Slide(SlideRole Role, string Title, string Text);

/// <summary>
/// The words of one post for one platform: a hook that leads (at most 7 words), the body, a call to action, hashtags
/// (without '#'), alt text for the image, and for a carousel its 5 slides, for a thread its 3–8 posts. Source says
/// who wrote it: "model" or "template".
/// </summary>
public sealed record PostCopy(
    PostKind Kind,
    SocialPlatform Platform,
    string Hook,
    string Body,
    string Cta,
    IReadOnlyList<string> Hashtags,
    string AltText,
    string Source)
{
    public IReadOnlyList<Slide> Slides { get; init; } = [];
    public IReadOnlyList<string> ThreadPosts { get; init; } = [];

    public string HashtagLine => string.Join(' ', Hashtags.Select(h => "#" + h));

    /// <summary>
    /// The text as it is posted: one caption, or for a thread each post in order (the first carries the hook, the last
    /// the call to action and hashtags).
    /// </summary>
    public IReadOnlyList<string> Texts => Kind == PostKind.Thread && ThreadPosts.Count > 0
        ? ThreadPosts
        : [string.Join("\n\n", new[] { Hook, Body, Cta, HashtagLine }.Where(p => p.Length > 0))];
}
