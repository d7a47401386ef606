using Personas.Domain.Personas;
using Personas.Domain.Posts;
using Personas.Domain.Training;
using static Personas.Azure.Tests.Catalog.CatalogSamples;

namespace Personas.Azure.Tests.Catalog;

/// <summary>Keyed paid calls (one entry per key) and the startup repair's listings across owners.</summary>
public abstract partial class CatalogContractTests
{
    [Fact]
    public async Task A_paid_call_is_recorded_once_per_key_and_found_again_with_its_reference()
    {
        var owner = NewOwner();
        var key = new CostKey(NewId("train"), "train", 0);
        var paid = Cost(owner, "persona-a", 2.5m) with { Key = key, Reference = "{\"job\":\"j-1\"}" };
        await Catalog.RecordCostAsync(Cost(owner, "persona-a", 0.1m)); // an unkeyed entry, as written before keys

        Assert.Null(await Catalog.FindPaidCallAsync(owner, key));
        Assert.True(await Catalog.TryRecordPaidCallAsync(paid));
        Assert.False(await Catalog.TryRecordPaidCallAsync(paid with { EstimatedUsd = 9m, Reference = "other" }));

        var found = await Catalog.FindPaidCallAsync(owner, key);
        Assert.Equal("{\"job\":\"j-1\"}", found!.Reference);
        Assert.Equal(key, found.Key);
        Assert.Null(await Catalog.FindPaidCallAsync(NewOwner(), key));
        Assert.Null(await Catalog.FindPaidCallAsync(owner, key with { Attempt = 1 }));
        Assert.True(await Catalog.TryRecordPaidCallAsync(paid with { Key = key with { Task = "picture/0" } }));
        var amounts = (await Catalog.ListCostsAsync(owner, "persona-a")).Select(c => c.EstimatedUsd).Order();
        Assert.Equal([0.1m, 2.5m, 2.5m], amounts);
        Assert.Equal(5.1m, await Catalog.OwnerSpentUsdAsync(owner));
    }

    [Fact]
    public async Task Personas_and_posts_in_given_statuses_are_listed_across_owners()
    {
        var (first, second) = (NewOwner(), NewOwner());
        var training = Persona(first) with { Status = PersonaStatus.Training };
        var ready = Persona(second) with { Status = PersonaStatus.Ready };
        var preparing = Persona(second) with { Status = PersonaStatus.Preparing };
        foreach (var persona in new[] { training, ready, preparing })
            Assert.True(await Catalog.TryCreatePersonaAsync(persona));
        var generating = Post(first, null, 1, PostStatus.Generating);
        var publishing = Post(second, null, 2, PostStatus.Publishing);
        await Posts.SavePostAsync(generating);
        await Posts.SavePostAsync(publishing);
        await Posts.SavePostAsync(Post(second, null, 3, PostStatus.Published));

        var busy = await Catalog.ListPersonasInStatusAsync([PersonaStatus.Training, PersonaStatus.Preparing]);
        var waiting = await Posts.ListPostsInStatusAsync([PostStatus.Generating, PostStatus.Publishing]);

        var mine = new[] { training.Id, ready.Id, preparing.Id };
        Assert.Equal(new[] { preparing.Id, training.Id }.Order(), busy.Select(p => p.Id).Where(mine.Contains).Order());
        var posts = new[] { generating.Id, publishing.Id };
        Assert.Equal(posts.Order(), waiting.Select(p => p.Id).Where(posts.Contains).Order());
        Assert.DoesNotContain(waiting, p => p.Status == PostStatus.Published);
    }
}
