using Personas.Domain.Posts;
using static Personas.Azure.Tests.Catalog.CatalogSamples;

namespace Personas.Azure.Tests.Catalog;

public abstract partial class CatalogContractTests
{
    [Fact]
    public async Task Posts_page_newest_first_with_the_total_of_all_matches()
    {
        var owner = NewOwner();
        var posts = Enumerable.Range(0, 7).Select(minute => Post(owner, null, minute)).ToList();
        foreach (var post in posts) await Posts.SavePostAsync(post);
        await Posts.SavePostAsync(Post(NewOwner(), null, 3));

        var page = await Posts.ListPostsAsync(owner, null, null, null, offset: 2, limit: 3);

        Assert.Equal(7, page.Total);
        Assert.Equal([posts[4].Id, posts[3].Id, posts[2].Id], page.Items.Select(p => p.Id));
        var beyond = await Posts.ListPostsAsync(owner, null, null, null, offset: 7, limit: 3);
        Assert.Empty(beyond.Items);
        Assert.Equal(7, beyond.Total);
    }

    [Fact]
    public async Task Posts_created_at_the_same_time_page_in_a_stable_order()
    {
        var owner = NewOwner();
        var ids = new[] { "post-c", "post-a", "post-b" };
        foreach (var id in ids) await Posts.SavePostAsync(Post(owner, null, minute: 1, id: id));

        var first = await Posts.ListPostsAsync(owner, null, null, null, 0, 2);
        var second = await Posts.ListPostsAsync(owner, null, null, null, 2, 2);

        Assert.Equal(["post-a", "post-b", "post-c"], first.Items.Concat(second.Items).Select(p => p.Id));
    }

    [Fact]
    public async Task Post_filters_combine()
    {
        var owner = NewOwner();
        var match = Post(owner, "persona-a", 1, PostStatus.Staged, "batch-x");
        var others = new[]
        {
            Post(owner, "persona-b", 2, PostStatus.Staged, "batch-x"),
            Post(owner, "persona-a", 3, PostStatus.AwaitingApproval, "batch-x"),
            Post(owner, "persona-a", 4, PostStatus.Staged, "batch-y"),
            Post(owner, null, 5, PostStatus.Staged, "batch-x"),
        };
        foreach (var post in others.Append(match)) await Posts.SavePostAsync(post);

        var both = await Posts.ListPostsAsync(owner, PostStatus.Staged, "persona-a", "batch-x", 0, 10);
        var staged = await Posts.ListPostsAsync(owner, PostStatus.Staged, null, null, 0, 10);
        var batch = await Posts.ListPostsAsync(owner, null, null, "batch-y", 0, 10);
        var persona = await Posts.ListPostsAsync(owner, null, "persona-a", null, 0, 1);

        Assert.Equal([match.Id], both.Items.Select(p => p.Id));
        Assert.Equal(4, staged.Total);
        Assert.Equal([others[2].Id], batch.Items.Select(p => p.Id));
        Assert.Equal((3, others[2].Id), (persona.Total, Assert.Single(persona.Items).Id));
    }

    [Fact]
    public async Task Saving_a_post_again_replaces_it()
    {
        var owner = NewOwner();
        var post = Post(owner, null, 1);
        await Posts.SavePostAsync(post);

        await Posts.SavePostAsync(post with { Status = PostStatus.Staged, Error = "retried" });

        var page = await Posts.ListPostsAsync(owner, PostStatus.Staged, null, null, 0, 10);
        Assert.Equal("retried", Assert.Single(page.Items).Error);
        Assert.Equal(0, (await Posts.ListPostsAsync(owner, PostStatus.AwaitingApproval, null, null, 0, 10)).Total);
    }

    [Fact]
    public async Task Concurrent_post_updates_all_apply_and_strangers_see_nothing()
    {
        var owner = NewOwner();
        var post = Post(owner, null, 1);
        await Posts.SavePostAsync(post);

        await Task.WhenAll(Enumerable.Range(0, Racers).Select(i => Task.Run(() =>
            Posts.UpdatePostAsync(owner, post.Id, p => p.With(Epoch, $"event {i}")))));

        var stored = await Posts.GetPostAsync(owner, post.Id);
        Assert.Equal(Racers, stored!.History.Count);
        Assert.Null(await Posts.GetPostAsync(NewOwner(), post.Id));
        Assert.Null(await Posts.UpdatePostAsync(NewOwner(), post.Id, p => p.With(Epoch, "stranger")));
        Assert.Null(await Posts.UpdatePostAsync(owner, "no-such-post", p => p));
    }

    [Fact]
    public async Task An_update_that_changes_the_status_moves_the_post_between_filters()
    {
        var owner = NewOwner();
        var post = Post(owner, null, 1);
        await Posts.SavePostAsync(post);

        var updated = await Posts.UpdatePostAsync(owner, post.Id, p => p.With(Epoch, "approved", PostStatus.Staged));

        Assert.Equal(PostStatus.Staged, updated!.Status);
        Assert.Equal(1, (await Posts.ListPostsAsync(owner, PostStatus.Staged, null, null, 0, 10)).Total);
        Assert.Equal(0, (await Posts.ListPostsAsync(owner, PostStatus.AwaitingApproval, null, null, 0, 10)).Total);
    }

    [Fact]
    public async Task A_brand_kit_belongs_to_its_owner_and_saving_replaces_it()
    {
        var owner = NewOwner();
        Assert.Null(await Posts.GetBrandKitAsync(owner));

        await Posts.SaveBrandKitAsync(owner, BrandKit.Default);
        await Posts.SaveBrandKitAsync(owner, BrandKit.Default with { AccentColor = "#123456" });

        Assert.Equal("#123456", (await Posts.GetBrandKitAsync(owner))!.AccentColor);
        Assert.Null(await Posts.GetBrandKitAsync(NewOwner()));
    }
}
