using Personas.Domain.Stores;
using Personas.Domain.Training;
using static Personas.Azure.Tests.Catalog.CatalogSamples;

namespace Personas.Azure.Tests.Catalog;

public abstract partial class CatalogContractTests
{
    [Fact]
    public async Task Deleting_a_persona_removes_what_belongs_to_it_and_writes_one_audit_entry()
    {
        var (owner, persona) = await NewPersonaAsync();
        var sibling = Persona(owner);
        Assert.True(await Catalog.TryCreatePersonaAsync(sibling));
        Assert.True(await Catalog.TryAddPhotosAsync(owner, persona, [.. PhotosFor(owner, persona, 2)], 20));
        Assert.True(await Catalog.TryAddPhotosAsync(owner, sibling.Id, [.. PhotosFor(owner, sibling.Id, 1)], 20));
        var job = new ProviderJobLink("fal", NewId("job"), owner, persona, "train-1");
        await Catalog.RecordProviderJobAsync(job);
        await Catalog.RecordCostAsync(Cost(owner, persona, 1.5m));
        await Catalog.RecordCostAsync(Cost(owner, sibling.Id, 0.25m));
        var generation = Generation(owner, persona);
        await Catalog.SaveGenerationAsync(generation);
        var ownPost = Post(owner, persona, minute: 1);
        var siblingPost = Post(owner, sibling.Id, minute: 2);
        var plainPost = Post(owner, null, minute: 3);
        foreach (var post in new[] { ownPost, siblingPost, plainPost }) await Posts.SavePostAsync(post);
        var audit = new AuditEntry(owner, persona, "persona.deleted", Epoch.AddDays(1), "photos=2");

        Assert.Equal(2, await Catalog.DeletePersonaAsync(owner, persona, audit));

        Assert.Null(await Catalog.GetPersonaAsync(owner, persona));
        Assert.Equal([sibling.Id], (await Catalog.ListPersonasAsync(owner)).Select(p => p.Id));
        Assert.Empty(await Catalog.ListPhotosAsync(owner, persona));
        Assert.Single(await Catalog.ListPhotosAsync(owner, sibling.Id));
        Assert.Empty(await Catalog.ListProviderJobsAsync(owner, persona));
        Assert.Null(await Catalog.FindProviderJobAsync(job.Provider, job.JobId));
        Assert.Empty(await Catalog.ListCostsAsync(owner, persona));
        Assert.Equal(0.25m, await Catalog.OwnerSpentUsdAsync(owner));
        Assert.Null(await Catalog.GetGenerationAsync(owner, generation.Id));
        Assert.Null(await Posts.GetPostAsync(owner, ownPost.Id));
        Assert.NotNull(await Posts.GetPostAsync(owner, siblingPost.Id));
        Assert.NotNull(await Posts.GetPostAsync(owner, plainPost.Id));
        Assert.Equal(Json(audit), Json(Assert.Single(await Catalog.ListAuditAsync(owner))));
        Assert.Empty(await Catalog.ListAuditAsync(NewOwner()));
    }

    [Fact]
    public async Task Deleting_again_or_as_another_owner_finds_nothing_and_audits_nothing()
    {
        var (owner, persona) = await NewPersonaAsync();
        var audit = new AuditEntry(owner, persona, "persona.deleted", Epoch, "");

        Assert.Null(await Catalog.DeletePersonaAsync(NewOwner(), persona, audit));
        Assert.Equal(0, await Catalog.DeletePersonaAsync(owner, persona, audit));
        Assert.Null(await Catalog.DeletePersonaAsync(owner, persona, audit));

        Assert.Single(await Catalog.ListAuditAsync(owner));
    }

    [Fact]
    public virtual async Task A_deleted_persona_frees_its_trigger_word_and_takes_no_more_photos()
    {
        var owner = NewOwner();
        var persona = Persona(owner, triggerWord: "zgone");
        Assert.True(await Catalog.TryCreatePersonaAsync(persona));
        await Catalog.DeletePersonaAsync(owner, persona.Id, new AuditEntry(owner, persona.Id, "deleted", Epoch, ""));

        Assert.False(await Catalog.TryAddPhotosAsync(owner, persona.Id, [Photo(owner, persona.Id)], 20));
        Assert.True(await Catalog.TryCreatePersonaAsync(Persona(owner, triggerWord: "zgone")));
    }

    [Fact]
    public async Task The_audit_entry_keeps_neither_name_nor_trigger_word()
    {
        var owner = NewOwner();
        var persona = Persona(owner, triggerWord: "zsecretword") with { Name = "Private Name" };
        Assert.True(await Catalog.TryCreatePersonaAsync(persona));

        await Catalog.DeletePersonaAsync(owner, persona.Id, new AuditEntry(owner, persona.Id, "deleted", Epoch, "ok"));

        var entry = Json(Assert.Single(await Catalog.ListAuditAsync(owner)));
        Assert.DoesNotContain("Private Name", entry);
        Assert.DoesNotContain("zsecretword", entry);
    }
}
