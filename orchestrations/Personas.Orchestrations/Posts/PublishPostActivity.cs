using Personas.Domain.Blobs;
using Personas.Domain.Posts;
using Personas.Domain.Stores;
using Microsoft.DurableTask;
using Personas.Orchestrations.Dataset;
using Personas.Providers.Publishing;

namespace Personas.Orchestrations.Posts;

/// <summary>What a staged post publishes.</summary>
public static class PostPublishing
{
    /// <summary>The images for the post's platform, in order: the carousel's slides, else the quote card, else the persona picture.</summary>
    public static IReadOnlyList<PostAsset> AssetsToPublish(Post post)
    {
        var assets = post.Current?.Assets ?? [];
        var variant = PostMaker.VariantFor(post.Platform);
        var slides = assets.Where(a => a.Role == PostAsset.CarouselSlide && a.Variant == variant).OrderBy(a => a.Slide).ToList();
        if (slides.Count > 0) return slides;
        var card = assets.FirstOrDefault(a => a.Role == PostAsset.QuoteCard && a.Variant == variant);
        if (card is not null) return [card];
        return assets.Where(a => a.Role == PostAsset.PersonaImage).Take(1).ToList();
    }
}

/// <summary>
/// Publishes an approved post, once. Refuses anything without an approval on record. Before each call it records the
/// attempt; when an earlier attempt never recorded its outcome (its answer was lost, or the host stopped), the
/// platform is searched for what that attempt made first. Each part's external id is stored the moment it is known,
/// so a thread that failed half-way resumes after its last posted part. The persona's consent is read again before
/// the first part and before each later one: a withdrawal stops a thread between parts (ConsentException).
/// </summary>
public sealed class PublishPostActivity(IPostCatalog posts, ICatalog catalog, IBlobStore blobs, IPublicLinks links,
    Publishers publishers, TimeProvider clock) : TaskActivity<PostRef, Publication>
{
    public override async Task<Publication> RunAsync(TaskActivityContext context, PostRef input)
    {
        var ct = context.CancellationToken;
        var post = await posts.GetPostAsync(input.Owner, input.PostId, ct) ?? throw new InvalidDataException($"Post {input.PostId} no longer exists.");
        if (post.Publication is { } done) return done;
        if (post.Decision is not { Approved: true }) throw new PublishRefusedException("personas", 403, "The post has no approval on record; it is never published without one.");
        await RequireConsentAsync(post, ct);

        var publisher = publishers.For(input.Owner, post.Platform);
        var unsettled = post.Attempts.LastOrDefault(a => a.EndedAt is null);
        var attempt = new PublishAttempt(Guid.NewGuid().ToString("N")[..12], publisher.Name, clock.GetUtcNow());
        post = await Update(input, p => (p with { Attempts = [.. p.Attempts, attempt] }).With(attempt.StartedAt, $"Publishing to {publisher.Name} (attempt {attempt.Id}).",
            PostStatus.Publishing), ct);

        var request = new PublishRequest(post.Id, post.Owner, post.Platform, post.Kind, post.Current!.Copy.Texts, Media(post), attempt.Id,
            (unsettled ?? attempt).StartedAt.AddMinutes(-1));
        var parts = post.PostedParts.ToList();
        string? link = null;
        try
        {
            for (var part = parts.Count; part < request.Texts.Count; part++)
            {
                if (part > 0) await RequireConsentAsync(post, ct);
                var made = unsettled is not null && unsettled.Publisher == publisher.Name ? await publisher.FindAsync(request, part, ct) : null;
                made ??= await publisher.PostAsync(request, part, parts.LastOrDefault(), ct);
                parts.Add(made.ExternalId);
                link ??= made.Url; // the first part's link is the post's link
                await Update(input, p => p with { PostedParts = [.. parts] }, ct);
            }
        }
        catch (ConsentException ex)
        {
            // Every part made so far is recorded; the thread stops here.
            await Update(input, p => p with { Attempts = Ended(p.Attempts, attempt.Id, ex.Message) }, ct);
            throw;
        }
        catch (PublishException ex)
        {
            // A refusal made nothing, so the attempt is settled. Anything else (no answer, an outage) may have posted:
            // the attempt stays open, and the next one looks for what it made first.
            var refused = ex is PublishRefusedException;
            await Update(input, p => (p with { Attempts = [.. p.Attempts.Select(a => a.Id != attempt.Id ? a : a with { Error = ex.Message, EndedAt = refused ? clock.GetUtcNow() : null })] })
                .With(clock.GetUtcNow(), $"Attempt {attempt.Id} failed{(refused ? "" : ", and will be looked up before posting again")}: {ex.Message}"), ct);
            throw;
        }
        var publication = new Publication(publisher.Name, parts, link, clock.GetUtcNow());
        await Update(input, p => (p with { Publication = publication, Attempts = Ended(p.Attempts, attempt.Id, null) })
            .With(publication.At, $"Published to {publisher.Name}: {string.Join(", ", parts)}.", PostStatus.Published), ct);
        return publication;
    }

    private async Task RequireConsentAsync(Post post, CancellationToken ct)
    {
        if (await PostConsent.RefusalAsync(catalog, post, clock.GetUtcNow(), ct) is { } refusal)
            throw new ConsentException(refusal);
    }

    /// <summary>Every earlier attempt is settled by this one; this one ends with its error, if any.</summary>
    private IReadOnlyList<PublishAttempt> Ended(IReadOnlyList<PublishAttempt> attempts, string id, string? error) =>
        attempts.Select(a => a.EndedAt is not null ? a : a with { EndedAt = clock.GetUtcNow(), Error = a.Id == id ? error : "Settled by a later attempt." }).ToList();

    private IReadOnlyList<PublishMedia> Media(Post post) => PostPublishing.AssetsToPublish(post).Select(asset => new PublishMedia(
        links.Blob(asset.Blob, TimeSpan.FromHours(24)) ?? new Uri("about:blank"),
        post.Current!.Copy.AltText,
        async ct => await blobs.ReadAllBytesAsync(asset.Blob, ct) ?? throw new InvalidDataException($"The file {asset.Blob} is missing."))).ToList();

    private async Task<Post> Update(PostRef input, Func<Post, Post> change, CancellationToken ct) =>
        await posts.UpdatePostAsync(input.Owner, input.PostId, change, ct) ?? throw new InvalidDataException($"Post {input.PostId} no longer exists.");
}
