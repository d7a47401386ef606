using System.Net.Http.Json;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Personas.Domain.Posts;
using Personas.Orchestrations.Posts;
using static Personas.Functions.Tests.HttpAssertions;

namespace Personas.Functions.Tests.Posts;

/// <summary>
/// What the owner approves is what is published: no approval or edit while the copy is being rewritten, and a
/// rewrite that ends after the post left approval is discarded.
/// </summary>
public sealed class RegenerationRaceTests(PostsApiHost host) : IClassFixture<PostsApiHost>
{
    private readonly HttpClient _alice = host.Client(ApiHost.AliceKey);
    private DurableTaskClient Durable => host.App.Services.GetRequiredService<DurableTaskClient>();

    [Fact]
    public async Task Approving_or_editing_while_a_regeneration_of_the_post_runs_is_refused_until_it_is_written()
    {
        var post = (await PostFlowTests.GenerateAsync(_alice, null, ["quote"], ["x"])).Single();
        var (id, batch) = (post["id"]!.GetValue<string>(), post["batchId"]!.GetValue<string>());
        var unwritten = await StartRegenerationAsync(batch, id, revision: 2);

        var refused = await Problem(await _alice.PostAsync($"/api/posts/{id}/approve", null), 409, "postId");
        Assert.Contains("regeneration", refused["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        var edit = new { caption = "My own words." };
        await Problem(await _alice.PatchAsJsonAsync($"/api/posts/{id}", edit), 409, "postId");

        await EndAsync(unwritten);
        // A run whose revision the post already has is only finishing: it holds nothing up.
        var finishing = await StartRegenerationAsync(batch, id, revision: 1);
        Assert.Equal(200, (int)(await _alice.PatchAsJsonAsync($"/api/posts/{id}", edit)).StatusCode);
        Assert.Equal(202, (int)(await _alice.PostAsync($"/api/posts/{id}/approve", null)).StatusCode);
        await EndAsync(finishing);
    }

    /// <summary>A regeneration run of the post waiting to start in an hour: active, and it writes nothing.</summary>
    private async Task<string> StartRegenerationAsync(string batch, string postId, int revision)
    {
        var instance = $"posts-{batch}-{postId}-r{revision}";
        var input = new GeneratePostsInput("alice", batch, new ContentBrief("t", "x"), 0.4, null, "personal",
            [new PostWork(postId, PostKind.Quote, SocialPlatform.X, 1, revision)], Regeneration: true);
        await Durable.ScheduleNewOrchestrationInstanceAsync(GeneratePostsOrchestrator.Name, input,
            new StartOrchestrationOptions(instance, DateTimeOffset.UtcNow.AddHours(1)));
        return instance;
    }

    private async Task EndAsync(string instance)
    {
        await Durable.TerminateInstanceAsync(instance);
        await Durable.WaitForInstanceCompletionAsync(instance);
    }

    [Theory]
    [InlineData(PostStatus.AwaitingApproval, true)]
    [InlineData(PostStatus.Staged, false)]
    [InlineData(PostStatus.Scheduled, false)]
    [InlineData(PostStatus.Rejected, false)]
    public void A_regenerated_revision_is_kept_only_while_the_post_awaits_approval(PostStatus status, bool kept)
    {
        var at = DateTimeOffset.UnixEpoch;
        PostRevision Revision(int n) => new(n, new PostCopy(PostKind.Single, SocialPlatform.X, $"Hook {n}", "Body",
            "CTA", [], "alt", "template"), null, [], [], 0, at);
        var post = new Post("p1", "alice", "b1", null, PostKind.Single, SocialPlatform.X, new ContentBrief("t", "x"),
            0.4, status, [Revision(1)], at);

        var after = WritePostActivity.Apply(post, Revision(2), "shorter", at);

        Assert.Equal(kept ? [1, 2] : [1], after.Revisions.Select(r => r.Number));
        Assert.Equal(status, after.Status);
        Assert.Equal(kept ? "Regenerated as revision 2: shorter" : $"Regeneration as revision 2 discarded: the post "
            + $"was {status} before it was written.", after.History[^1].What);
    }
}
