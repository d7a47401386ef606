namespace Personas.Domain.Posts;

/// <summary>
/// Where a post is in its life. Generating → AwaitingApproval → (Rejected | Expired | Staged) → Scheduled → Publishing
/// → Published, or Failed. Only the PostLifecycle workflow moves a post past AwaitingApproval, except Canceled: a
/// withdrawal of the persona's consent cancels every unfinished post at once (with <see cref="Post.CancelReason"/>),
/// and Canceled is final.
/// </summary>
public enum PostStatus
{
    Generating, AwaitingApproval, Rejected, Expired, Staged, Scheduled, Publishing, Published, Failed, Canceled,
}

/// <summary>
/// One platform-ready file of a post: the persona picture, a quote card or a carousel slide, at one size. Variant
/// names the size ("instagram", "story", "x"…); Slide is 1-based for slides.
/// </summary>
public sealed record PostAsset(string Blob, string Role, string Variant, int Width, int Height, int? Slide = null)
{
    public const string PersonaImage = "persona-image", QuoteCard = "quote-card", CarouselSlide = "slide";
}

/// <summary>
/// One version of a post: its copy, the image prompt, the files, the seeds and what it cost. A regeneration adds a
/// revision with the feedback that asked for it; an edit adds one with <see cref="EditedBy"/>. Earlier ones are kept.
/// </summary>
public sealed record PostRevision(int Number, PostCopy Copy, ImagePrompt? Prompt, IReadOnlyList<PostAsset> Assets, IReadOnlyList<long> Seeds,
    decimal CostUsd, DateTimeOffset CreatedAt)
{
    public string? Feedback { get; init; }
    public string? EditedBy { get; init; }
    public string? ImageProvider { get; init; }
    /// <summary>The face-swap step's outcome on the persona picture, when the post asked for it.</summary>
    public Generations.FaceSwapOutcome? FaceSwap { get; init; }
    /// <summary>Set when anything in it is a dry-run stand-in.</summary>
    public string? Label { get; init; }
    /// <summary>Why the copy came from templates although a model is configured, or what repair it needed.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
    /// <summary>
    /// The rating of the written copy and image prompt (null on revisions made before ratings existed).
    /// </summary>
    public Rating.ContentRating? Rating { get; init; }
}

/// <summary>The human decision the approval gate waited for.</summary>
public sealed record PostDecision(bool Approved, string By, DateTimeOffset At, string? Reason);

/// <summary>
/// One try at publishing, recorded before the platform is called, so a retry after a lost answer knows to look the
/// post up first instead of posting again.
/// </summary>
public sealed record PublishAttempt(string Id, string Publisher, DateTimeOffset StartedAt)
{
    public DateTimeOffset? EndedAt { get; init; }
    public string? Error { get; init; }
}

/// <summary>Where the post went: the publisher, every external id (one per thread post) and the public link.</summary>
public sealed record Publication(string Publisher, IReadOnlyList<string> ExternalIds, string? Url, DateTimeOffset At);

/// <summary>A dated line in the post's history: generated, edited, reminded, approved, scheduled, published…</summary>
public sealed record PostEvent(DateTimeOffset At, string What);

/// <summary>
/// A social post for one platform, generated from a brief, optionally featuring a persona. It keeps its brief, so it
/// can be regenerated, and every revision.
/// </summary>
public sealed record Post(string Id, string Owner, string BatchId, string? PersonaId, PostKind Kind, SocialPlatform Platform, ContentBrief Brief,
    double Creativity, PostStatus Status, IReadOnlyList<PostRevision> Revisions, DateTimeOffset CreatedAt)
{
    public PostRevision? Current => Revisions.Count > 0 ? Revisions[^1] : null;
    /// <summary>What the persona's likeness is used for (personal, commercial, thirdParty), checked against consent on every regeneration.</summary>
    public string Usage { get; init; } = "personal";
    /// <summary>Whether each revision's persona picture goes through the face-swap step (settings.faceSwap).</summary>
    public bool FaceSwap { get; init; }
    public PostDecision? Decision { get; init; }
    public DateTimeOffset? ScheduledAt { get; init; }
    public DateTimeOffset? ExpiresAt { get; init; }
    public IReadOnlyList<PublishAttempt> Attempts { get; init; } = [];
    /// <summary>External ids of the parts already posted (a thread is posted part by part), by part index.</summary>
    public IReadOnlyList<string> PostedParts { get; init; } = [];
    public Publication? Publication { get; init; }
    public string? Error { get; init; }
    /// <summary>Why the post was canceled ("consent withdrawn"), when it was.</summary>
    public string? CancelReason { get; init; }
    public IReadOnlyList<PostEvent> History { get; init; } = [];

    /// <summary>A history line and, unless the post is canceled (that is final), a new status.</summary>
    public Post With(DateTimeOffset at, string what, PostStatus? status = null) =>
        this with
        {
            Status = Status == PostStatus.Canceled ? Status : status ?? Status,
            History = [.. History, new PostEvent(at, what)],
        };

    /// <summary>Copy and files can change only before the post is approved.</summary>
    public bool Editable => Status is PostStatus.AwaitingApproval;

    /// <summary>Unfinished, so a withdrawal of consent cancels it (a post being published settles itself).</summary>
    public bool Cancelable => Status is PostStatus.Generating or PostStatus.AwaitingApproval or PostStatus.Staged
        or PostStatus.Scheduled or PostStatus.Failed;
}
