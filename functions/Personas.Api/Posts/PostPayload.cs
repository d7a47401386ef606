using System.Text.Json.Serialization;
using Personas.Domain.Generations;
using Personas.Domain.Posts;

namespace Personas.Api.Posts;

/// <summary>
/// A post as the API shows it: the current copy and files (with signed links), and every revision, decision, attempt
/// and history line. Fields that depend on the post's state (scheduledAt, decision, publication…) are always
/// present, null when they do not apply, so a client reads one name in every state.
/// </summary>
public sealed record PostPayload(
    string Id,
    string BatchId,
    string? PersonaId,
    PostKind Kind,
    SocialPlatform Platform,
    PostStatus Status,
    string ProjectTitle,
    string Tone,
    double Creativity,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] PostRevisionPayload? Current,
    IReadOnlyList<PostRevisionPayload> Revisions,
    decimal CostUsd,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] PostDecision? Decision,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] DateTimeOffset? ScheduledAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] DateTimeOffset? ExpiresAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] Publication? Publication,
    IReadOnlyList<PublishAttempt> Attempts,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Error,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? CancelReason,
    IReadOnlyList<PostEvent> History,
    DateTimeOffset CreatedAt,
    PostLinks Links)
{
    public static PostPayload From(Post post, Func<string, string> link) => new(
        post.Id, post.BatchId, post.PersonaId, post.Kind, post.Platform, post.Status, post.Brief.ProjectTitle,
        post.Brief.Tone, post.Creativity, post.Current is { } current ? PostRevisionPayload.From(current, link) : null,
        post.Revisions.Select(r => PostRevisionPayload.From(r, link)).ToList(), post.Revisions.Sum(r => r.CostUsd),
        post.Decision, post.ScheduledAt, post.ExpiresAt, post.Publication, post.Attempts, post.Error,
        post.CancelReason, post.History, post.CreatedAt,
        new PostLinks($"/api/posts/{post.Id}", $"/api/posts/{post.Id}/download"));
}

public sealed record PostLinks(string Self, string Download);

/// <summary>One revision: its copy, prompt, files with signed links, seeds and cost.</summary>
public sealed record PostRevisionPayload(
    int Number,
    PostCopyPayload Copy,
    ImagePrompt? Prompt,
    IReadOnlyList<PostAssetPayload> Assets,
    IReadOnlyList<long> Seeds,
    decimal CostUsd,
    string? ImageProvider,
    string? Label,
    string? Feedback,
    string? EditedBy,
    IReadOnlyList<string> Notes,
    DateTimeOffset CreatedAt,
    FaceSwapOutcome? FaceSwap, Domain.Rating.ContentRating? Rating)
{
    public static PostRevisionPayload From(PostRevision r, Func<string, string> link) => new(
        r.Number, PostCopyPayload.From(r.Copy), r.Prompt,
        r.Assets.Select(a => new PostAssetPayload(a.Role, a.Variant, a.Width, a.Height, a.Slide, link(a.Blob)))
            .ToList(),
        r.Seeds, r.CostUsd, r.ImageProvider, r.Label, r.Feedback, r.EditedBy, r.Notes, r.CreatedAt, r.FaceSwap,
        r.Rating);
}

/// <summary>One platform-ready file: its role, size name, pixels, slide number and signed link.</summary>
public sealed record PostAssetPayload(string Role, string Variant, int Width, int Height, int? Slide, string Url);

/// <summary>The copy, the texts as posted, and each text's length against the platform's limit.</summary>
public sealed record PostCopyPayload(
    string Hook,
    string Body,
    string Cta,
    IReadOnlyList<string> Hashtags,
    string AltText,
    string Source,
    IReadOnlyList<Slide> Slides,
    IReadOnlyList<string> ThreadPosts,
    IReadOnlyList<string> Texts,
    IReadOnlyList<int> Lengths,
    int Limit)
{
    public static PostCopyPayload From(PostCopy c) => new(c.Hook, c.Body, c.Cta, c.Hashtags, c.AltText, c.Source,
        c.Slides, c.ThreadPosts, c.Texts, c.Texts.Select(t => PlatformLimits.Length(t, c.Platform)).ToList(),
        PlatformLimits.MaxLength(c.Platform));
}
