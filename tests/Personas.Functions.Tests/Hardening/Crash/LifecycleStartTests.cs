using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Personas.Domain.Posts;
using Personas.Domain.Stores;
using Personas.Orchestrations.Posts;

namespace Personas.Functions.Tests.Hardening.Crash;

/// <summary>
/// Starting a post's lifecycle delivered again, after the lifecycle already moved the post on, changes nothing: the
/// chaos test once found an approved post back at AwaitingApproval with its lifecycle waiting for a publishing time.
/// </summary>
public sealed class LifecycleStartTests(DryRunApiHost host) : IClassFixture<DryRunApiHost>
{
    private T Service<T>() where T : notnull => host.App.Services.GetRequiredService<T>();

    [Fact]
    public async Task A_second_delivery_after_the_approval_leaves_the_post_staged()
    {
        var posts = Service<IPostCatalog>();
        var post = new Post("lifecycleagain01", "alice", "batchagain01", null, PostKind.Quote, SocialPlatform.X,
            new ContentBrief("t", "x"), 0.4, PostStatus.Generating, [], DateTimeOffset.UtcNow);
        await posts.SavePostAsync(post);
        var activity = new StartPostLifecycleActivity(Service<DurableTaskClient>(), posts, Service<PostOptions>(),
            TimeProvider.System);
        var context = new ActivityContext("posts-batchagain01", nameof(StartPostLifecycleActivity));
        var input = new PostRef("alice", post.Id);

        var lifecycle = await activity.RunAsync(context, input);
        var waiting = (await posts.GetPostAsync("alice", post.Id))!;
        Assert.Equal(PostStatus.AwaitingApproval, waiting.Status);
        // What the lifecycle's approval and staging leave.
        await posts.UpdatePostAsync("alice", post.Id,
            p => p.With(DateTimeOffset.UtcNow, "Approved.", PostStatus.Staged));

        Assert.Equal(lifecycle, await activity.RunAsync(context, input));

        var after = (await posts.GetPostAsync("alice", post.Id))!;
        Assert.Equal(PostStatus.Staged, after.Status);
        Assert.Equal(waiting.ExpiresAt, after.ExpiresAt);
        Assert.Single(after.History, e => e.What == "Waiting for approval.");
        await Service<DurableTaskClient>().TerminateInstanceAsync(lifecycle);
    }
}
