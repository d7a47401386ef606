using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Personas.Domain.Analytics;
using Personas.Domain.Stores;
using Personas.Domain.Workflows;
using Personas.Orchestrations.Posts;
using Personas.Providers.Analytics;

namespace Personas.Orchestrations.Analytics;

/// <summary>
/// Starts the published post's own collector (idempotent on its id), timed from the publication. Returns its
/// instance id, or null when the post has no publication.
/// </summary>
public sealed class StartMetricsCollectionActivity(DurableTaskClient client, IPostCatalog posts,
    AnalyticsOptions options) : TaskActivity<PostRef, string?>
{
    public override async Task<string?> RunAsync(TaskActivityContext context, PostRef input)
    {
        var post = await posts.GetPostAsync(input.Owner, input.PostId, context.CancellationToken);
        if (post?.Publication is not { } publication) return null;
        var (instance, _) = await client.StartOnceAsync(CollectMetricsOrchestrator.Name,
            new CollectMetricsInput(input.Owner, input.PostId, publication.At, options.Offsets()),
            new StartOrchestrationOptions(CollectMetricsOrchestrator.InstanceId(input.PostId)),
            context.CancellationToken);
        return instance.InstanceId;
    }
}

/// <summary>
/// Reads the post's counters from the publisher that published it and stores the sample. False when there is
/// nothing to read from: the post is gone, or the account that published it is no longer configured.
/// </summary>
public sealed class CollectSampleActivity(IPostCatalog posts, IAnalyticsCatalog samples, MetricsClients clients,
    TimeProvider clock) : TaskActivity<CollectSampleInput, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, CollectSampleInput input)
    {
        var ct = context.CancellationToken;
        var post = await posts.GetPostAsync(input.Owner, input.PostId, ct);
        if (post?.Publication is not { } publication) return false;
        if (clients.For(input.Owner, publication.Publisher) is not { } client) return false;
        var reading = await client.FetchAsync(new MetricsRequest(post.Id, post.Platform, publication.ExternalIds,
            publication.At, input.AfterHours), ct);
        await samples.SaveSampleAsync(new EngagementSample(post.Owner, post.Id, post.PersonaId, post.Platform,
            client.Name, publication.At, input.AfterHours, clock.GetUtcNow(), reading.Counts) { Label = reading.Label },
            ct);
        return true;
    }
}
