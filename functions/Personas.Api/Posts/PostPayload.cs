using Personas.Domain.Posts;

namespace Personas.Api.Posts;

/// <summary>A post as the API shows it: the current copy and files (with signed links), and every revision, decision, attempt and history line.</summary>
public static class PostPayload
{
    public static object From(Post post, Func<string, string> link) => new
    {
        id = post.Id,
        batchId = post.BatchId,
        personaId = post.PersonaId,
        kind = post.Kind,
        platform = post.Platform,
        status = post.Status,
        projectTitle = post.Brief.ProjectTitle,
        tone = post.Brief.Tone,
        creativity = post.Creativity,
        current = post.Current is { } current ? Revision(current, link) : null,
        revisions = post.Revisions.Select(r => Revision(r, link)),
        costUsd = post.Revisions.Sum(r => r.CostUsd),
        decision = post.Decision,
        scheduledAt = post.ScheduledAt,
        expiresAt = post.ExpiresAt,
        publication = post.Publication,
        attempts = post.Attempts,
        error = post.Error,
        cancelReason = post.CancelReason,
        history = post.History,
        createdAt = post.CreatedAt,
        links = new { self = $"/api/posts/{post.Id}", download = $"/api/posts/{post.Id}/download" },
    };

    private static object Revision(PostRevision r, Func<string, string> link) => new
    {
        number = r.Number,
        copy = new
        {
            r.Copy.Hook, r.Copy.Body, r.Copy.Cta, r.Copy.Hashtags, r.Copy.AltText, r.Copy.Source, r.Copy.Slides, r.Copy.ThreadPosts, texts = r.Copy.Texts,
            lengths = r.Copy.Texts.Select(t => PlatformLimits.Length(t, r.Copy.Platform)), limit = PlatformLimits.MaxLength(r.Copy.Platform),
        },
        prompt = r.Prompt,
        assets = r.Assets.Select(a => new { a.Role, a.Variant, a.Width, a.Height, a.Slide, url = link(a.Blob) }),
        seeds = r.Seeds,
        costUsd = r.CostUsd,
        imageProvider = r.ImageProvider,
        label = r.Label,
        feedback = r.Feedback,
        editedBy = r.EditedBy,
        notes = r.Notes,
        createdAt = r.CreatedAt,
    };
}
