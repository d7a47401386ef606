using Personas.Domain.Posts;

namespace Personas.Providers.Publishing;

/// <summary>An image to publish: a public link the platform fetches (Instagram, Ayrshare), or bytes we upload (X, LinkedIn).</summary>
public sealed record PublishMedia(Uri PublicUrl, string AltText, Func<CancellationToken, Task<byte[]>> ReadAsync)
{
    /// <summary>Platforms that fetch images need a link they can reach: refused (not retried) without Personas:PublicBaseUrl.</summary>
    public static void RequireLinks(string publisher, IEnumerable<PublishMedia> media)
    {
        if (media.Any(m => m.PublicUrl.Scheme is not ("https" or "http")))
            throw new PublishRefusedException(publisher, 0, "this platform fetches images by link; set Personas:PublicBaseUrl to this service's public https address.");
    }
}

/// <summary>
/// One post as a publisher sees it: the texts (one caption, or each post of a thread) and the images, which go with
/// the first part. The attempt id is unique per try and names it wherever a platform takes a client reference.
/// </summary>
public sealed record PublishRequest(string PostId, string Owner, SocialPlatform Platform, PostKind Kind, IReadOnlyList<string> Texts,
    IReadOnlyList<PublishMedia> Media, string AttemptId, DateTimeOffset NotBefore);

/// <summary>What one published part became on the platform.</summary>
public sealed record PublishedPart(string ExternalId, string? Url);

/// <summary>Publishing failed in a way worth trying again (no answer, rate limit, the platform's outage). Status is its HTTP status, 0 when it never answered.</summary>
public class PublishException(string publisher, int status, string message) : Exception($"{publisher} answered {status}: {message}")
{
    public string Publisher { get; } = publisher;
    public int Status { get; } = status;
}

/// <summary>The platform refused the post itself (bad token, content rejected): trying again will not help.</summary>
public sealed class PublishRefusedException(string publisher, int status, string message) : PublishException(publisher, status, message);

/// <summary>
/// One way to publish. Posting is split by part so a thread that failed half-way resumes where it stopped, and
/// <see cref="FindAsync"/> lets a retry whose earlier answer was lost find the post the platform did make instead of
/// making it twice.
/// </summary>
public interface IPublisher
{
    string Name { get; }

    /// <summary>Posts part <paramref name="part"/>; a thread's later parts reply to <paramref name="replyTo"/>.</summary>
    Task<PublishedPart> PostAsync(PublishRequest request, int part, string? replyTo, CancellationToken ct);

    /// <summary>Looks for part <paramref name="part"/> made by an earlier attempt since <see cref="PublishRequest.NotBefore"/>; null when there is none.</summary>
    Task<PublishedPart?> FindAsync(PublishRequest request, int part, CancellationToken ct);
}
