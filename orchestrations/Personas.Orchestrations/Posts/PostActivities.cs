using System.Net.Http.Json;
using Personas.Domain.Posts;
using Personas.Domain.Stores;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Personas.Domain.Workflows;
using Personas.Orchestrations.Dataset;

namespace Personas.Orchestrations.Posts;

public sealed record PostRef(string Owner, string PostId);

public sealed record WritePostInput(GeneratePostsInput Batch, PostWork Work);

/// <summary>A dated change to a post: a line for its history, and optionally a new status, decision, schedule or error.</summary>
public sealed record PostChange(string Owner, string PostId, string What, PostStatus? Status = null)
{
    public PostDecision? Decision { get; init; }
    public DateTimeOffset? ScheduledAt { get; init; }
    public bool ClearSchedule { get; init; }
    public string? Error { get; init; }
}

/// <summary>
/// Writes one revision of one post and stores it (a new post waits for approval once its lifecycle starts). A regenerated post gets the new
/// revision on top of the old ones, which are kept. Repeating the activity replaces its own revision rather than
/// adding another.
/// </summary>
public sealed class WritePostActivity(IPostCatalog posts, PostMaker maker, TimeProvider clock) : TaskActivity<WritePostInput, string>
{
    public override async Task<string> RunAsync(TaskActivityContext context, WritePostInput input)
    {
        var ct = context.CancellationToken;
        var (batch, work) = (input.Batch, input.Work);
        var existing = await posts.GetPostAsync(batch.Owner, work.PostId, ct) ?? throw new InvalidDataException($"Post {work.PostId} no longer exists.");
        var earlier = existing.Revisions.Where(r => r.Number < work.Revision).ToList();
        var revision = await maker.MakeAsync(context.InstanceId, input, earlier, ct);
        await posts.UpdatePostAsync(batch.Owner, work.PostId,
            post => Apply(post, revision, work.Feedback, clock.GetUtcNow()), ct);
        return work.PostId;
    }

    /// <summary>
    /// The post with <paramref name="revision"/> in place of any earlier copy of it. A regeneration that ends after
    /// the post left approval (approved, rejected, canceled) is discarded with a line in the history: what is
    /// published must be what the owner approved.
    /// </summary>
    public static Post Apply(Post post, PostRevision revision, string? feedback, DateTimeOffset now)
    {
        if (revision.Number > 1 && !post.Editable)
            return post.With(now, $"Regeneration as revision {revision.Number} discarded: the post was {post.Status} "
                + "before it was written.");
        var kept = post.Revisions.Where(r => r.Number < revision.Number).ToList();
        var what = revision.Number == 1 ? $"Written ({revision.Copy.Source})."
            : $"Regenerated as revision {revision.Number}: {feedback}";
        return (post with { Revisions = [.. kept, revision], Error = null }).With(now, what);
    }
}

/// <summary>
/// Applies a <see cref="PostChange"/>. A change to Canceled cancels the post with <see cref="PostChange.What"/> as
/// the reason; a canceled post takes no later change (a late record must not revive it).
/// </summary>
public sealed class RecordPostActivity(IPostCatalog posts, TimeProvider clock) : TaskActivity<PostChange, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, PostChange change) =>
        await posts.UpdatePostAsync(change.Owner, change.PostId, post =>
            change.Status is PostStatus.Canceled ? PostConsent.Cancel(post, clock.GetUtcNow(), change.What)
            : post.Status is PostStatus.Canceled ? post
            : post.With(clock.GetUtcNow(), change.What, change.Status) with
        {
            Decision = change.Decision ?? post.Decision,
            ScheduledAt = change.ScheduledAt ?? (change.ClearSchedule ? null : post.ScheduledAt),
            Error = change.Error ?? (change.Status is PostStatus.Failed ? post.Error : null),
        }, context.CancellationToken) is not null;
}

/// <summary>Starts the post's own PostLifecycle instance (idempotent on its id) with the configured reminder and expiry.</summary>
public sealed class StartPostLifecycleActivity(DurableTaskClient client, IPostCatalog posts, PostOptions options, TimeProvider clock) : TaskActivity<PostRef, string>
{
    public override async Task<string> RunAsync(TaskActivityContext context, PostRef input)
    {
        var since = clock.GetUtcNow();
        var (lifecycle, _) = await client.StartOnceAsync(PostLifecycleOrchestrator.Name,
            new PostLifecycleInput(input.Owner, input.PostId, since, options.ReminderHours, options.ExpiryDays),
            new StartOrchestrationOptions(PostLifecycleOrchestrator.InstanceId(input.PostId)),
            context.CancellationToken);
        // Only now, with its lifecycle there to receive the decision, does the post wait for approval. A second
        // delivery (the host died before the runtime recorded the first) may come after the lifecycle moved the post
        // on: only a post still generating is changed, or an approved post would go back to waiting.
        await posts.UpdatePostAsync(input.Owner, input.PostId, post => post.Status != PostStatus.Generating ? post
            : (post with { ExpiresAt = since.AddDays(options.ExpiryDays) })
                .With(since, "Waiting for approval.", PostStatus.AwaitingApproval), context.CancellationToken);
        return lifecycle.InstanceId;
    }
}

/// <summary>Records the reminder on the post and, when a notification webhook is configured, POSTs it there.</summary>
public sealed class RemindOwnerActivity(IPostCatalog posts, PostOptions options, IHttpClientFactory httpFactory, TimeProvider clock) : TaskActivity<PostRef, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, PostRef input)
    {
        var ct = context.CancellationToken;
        var post = await posts.UpdatePostAsync(input.Owner, input.PostId,
            p => p.With(clock.GetUtcNow(), $"Reminder: waiting for approval since {p.CreatedAt:u}; expires {p.ExpiresAt:u}."), ct);
        if (post is null || string.IsNullOrWhiteSpace(options.NotificationWebhookUrl)) return false;
        using var response = await httpFactory.CreateClient("notifications").PostAsJsonAsync(options.NotificationWebhookUrl, new
        {
            type = "post.approval.reminder", owner = post.Owner, postId = post.Id, platform = post.Platform.ToString().ToLowerInvariant(),
            kind = post.Kind.ToString().ToLowerInvariant(), hook = post.Current?.Copy.Hook, createdAt = post.CreatedAt, expiresAt = post.ExpiresAt,
        }, ct);
        response.EnsureSuccessStatusCode();
        return true;
    }
}

/// <summary>
/// Stages an approved post: reads the persona's consent again (a refusal cancels the post), freezes the approved
/// revision, checks its copy against the platform's rules once more and that every file it will publish is stored.
/// </summary>
public sealed class StagePostActivity(IPostCatalog posts, ICatalog catalog, Domain.Blobs.IBlobStore blobs,
    TimeProvider clock) : TaskActivity<PostRef, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, PostRef input)
    {
        var ct = context.CancellationToken;
        var post = await posts.GetPostAsync(input.Owner, input.PostId, ct) ?? throw new InvalidDataException($"Post {input.PostId} no longer exists.");
        if (await PostConsent.RefusalAsync(catalog, post, clock.GetUtcNow(), ct) is { } refusal)
            throw new ConsentException(refusal);
        var revision = post.Current ?? throw new InvalidDataException("The post has no revision to stage.");
        var problems = PlatformLimits.Problems(revision.Copy);
        var assets = PostPublishing.AssetsToPublish(post);
        foreach (var asset in assets)
            if (await blobs.OpenReadAsync(asset.Blob, ct) is { } stream) await stream.DisposeAsync();
            else problems = [.. problems, $"The file {asset.Blob} is missing."];
        var note = problems.Count == 0 ? $"Staged revision {revision.Number} with {assets.Count} image(s)."
            : $"Staged revision {revision.Number}, with problems: {string.Join(" ", problems)}";
        await posts.UpdatePostAsync(input.Owner, input.PostId, p => p.With(clock.GetUtcNow(), note), ct);
        return problems.Count == 0;
    }
}
