using Personas.Domain.Personas;
using Personas.Domain.Stores;

namespace Personas.Domain.Posts;

/// <summary>
/// Consent for a post that shows a persona, read when the post is approved, scheduled, staged or published.
/// </summary>
public static class PostConsent
{
    public const string WithdrawnReason = "consent withdrawn";

    /// <summary>Why the post may not go further now; null when it may (or when it shows no persona).</summary>
    public static Task<string?> RefusalAsync(ICatalog catalog, Post post, DateTimeOffset now, CancellationToken ct) =>
        post.PersonaId is { } personaId
            ? LikenessConsent.RefusalAsync(catalog, post.Owner, personaId, post.Usage, now, ct)
            : Task.FromResult<string?>(null);

    /// <summary>The post canceled for <paramref name="reason"/>: final, and the reason stays on the post.</summary>
    public static Post Cancel(Post post, DateTimeOffset at, string reason) =>
        post.Status is PostStatus.Canceled or PostStatus.Published ? post
            : (post with { CancelReason = reason, ScheduledAt = null })
                .With(at, $"Canceled: {reason.TrimEnd('.')}.", PostStatus.Canceled);
}
