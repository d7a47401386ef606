using Microsoft.DurableTask.Client;
using Personas.Domain.Posts;
using Personas.Domain.Stores;
using Personas.Orchestrations.Posts;

namespace Personas.Api.Recovery;

/// <summary>
/// Posts a stopped host left in a state only a run can move them out of: Generating while their batch run is gone or
/// over, or waiting on a lifecycle (approval, staging, schedule, publishing) that is gone or over while no batch run
/// could still start it. They become Failed with the reason.
/// </summary>
public sealed class StrandedPostRepair(IPostCatalog posts, DurableTaskClient client, TimeProvider clock)
{
    private static readonly PostStatus[] Waiting =
    [
        PostStatus.Generating, PostStatus.AwaitingApproval, PostStatus.Staged, PostStatus.Scheduled,
        PostStatus.Publishing,
    ];

    /// <summary>
    /// Returns the ids of the posts it failed. Only records unchanged for at least <paramref name="unchangedFor"/>
    /// are looked at.
    /// </summary>
    public async Task<IReadOnlyList<string>> RunAsync(TimeSpan unchangedFor, CancellationToken ct)
    {
        var repaired = new List<string>();
        var changedBefore = clock.GetUtcNow() - unchangedFor;
        foreach (var post in await posts.ListPostsInStatusAsync(Waiting, ct))
        {
            if ((post.History.Count > 0 ? post.History[^1].At : post.CreatedAt) > changedBefore) continue;
            if (await StrandedRun.IsLiveAsync(client, $"posts-{post.BatchId}", ct)) continue;
            var lifecycle = PostLifecycleOrchestrator.InstanceId(post.Id);
            if (post.Status != PostStatus.Generating && await StrandedRun.IsLiveAsync(client, lifecycle, ct)) continue;
            var reason = post.Status == PostStatus.Generating
                ? "Generation stopped before this post was written (the host was stopped); generate it again."
                : $"Its workflow ({lifecycle}) stopped while it was {post.Status} (the host was stopped); "
                    + "generate it again.";
            var updated = await posts.UpdatePostAsync(post.Owner, post.Id, p => p.Status != post.Status ? p
                : (p with { Error = reason }).With(clock.GetUtcNow(), reason, PostStatus.Failed), ct);
            if (updated is { Status: PostStatus.Failed }) repaired.Add(post.Id);
        }
        return repaired;
    }
}
