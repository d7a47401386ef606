using Personas.Domain.Posts;

namespace Personas.Providers.Publishing;

/// <summary>An image to publish: a public https link the platform fetches (Instagram, Ayrshare), or bytes we upload (X, LinkedIn).</summary>
public sealed record PublishMedia(Uri PublicUrl, string AltText, Func<CancellationToken, Task<byte[]>> ReadAsync);

/// <summary>
/// One post as a publisher sees it: the texts (one caption, or each post of a thread) and the images, which go with
/// the first part. The attempt id is unique per try and names it wherever a platform takes a client reference.
/// </summary>
public sealed record PublishRequest(string PostId, string Owner, SocialPlatform Platform, PostKind Kind, IReadOnlyList<string> Texts,
    IReadOnlyList<PublishMedia> Media, string AttemptId, DateTimeOffset NotBefore);

/// <summary>What one published part became on the platform.</summary>
public sealed record PublishedPart(string ExternalId, string? Url);

/// <summary>The platform refused or failed; Status is its HTTP status (0 when it never answered).</summary>
public sealed class PublishException(string publisher, int status, string message, bool retryable = false)
    : Exception($"{publisher} answered {status}: {message}")
{
    public string Publisher { get; } = publisher;
    public int Status { get; } = status;
    /// <summary>Worth trying again later (rate limits, the platform's own outages); a refusal of the content is not.</summary>
    public bool Retryable { get; } = retryable;
}

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
