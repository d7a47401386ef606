using Personas.Domain.Batches;
using Personas.Domain.Stores;
using static Personas.Azure.Tests.Catalog.CatalogSamples;

namespace Personas.Azure.Tests.Catalog;

public abstract partial class CatalogContractTests
{
    private IBatchCatalog Batches => (IBatchCatalog)Catalog;

    [Fact]
    public async Task A_batch_reads_back_as_written_and_only_for_its_owner()
    {
        var (owner, persona) = await NewPersonaAsync();
        var batch = Batch(owner, persona);

        await Batches.SaveBatchAsync(batch);

        Assert.Equal(Json(batch), Json(await Batches.GetBatchAsync(owner, batch.Id)));
        Assert.Null(await Batches.GetBatchAsync(NewOwner(), batch.Id));
        Assert.Null(await Batches.UpdateBatchAsync(NewOwner(), batch.Id, b => b with { Status = BatchStatus.Paused }));
        Assert.Empty(await Batches.ListBatchesAsync(NewOwner(), persona));
        Assert.Equal(BatchStatus.Running, (await Batches.GetBatchAsync(owner, batch.Id))!.Status);
    }

    [Fact]
    public async Task Saving_a_stored_batch_again_keeps_its_progress()
    {
        var (owner, persona) = await NewPersonaAsync();
        var batch = Batch(owner, persona);
        await Batches.SaveBatchAsync(batch);
        await Batches.UpdateBatchAsync(owner, batch.Id,
            b => b.WithItem(b.Items[0] with { Status = BatchItemStatus.Done, CostUsd = 0.04m }));

        await Batches.SaveBatchAsync(batch);

        Assert.Equal(1, (await Batches.GetBatchAsync(owner, batch.Id))!.Count(BatchItemStatus.Done));
    }

    [Fact]
    public async Task Concurrent_item_updates_all_land()
    {
        var (owner, persona) = await NewPersonaAsync();
        var batch = Batch(owner, persona, items: Racers);
        await Batches.SaveBatchAsync(batch);

        await Task.WhenAll(Enumerable.Range(0, Racers).Select(i => Task.Run(() => Batches.UpdateBatchAsync(owner,
            batch.Id, b => b.WithItem(b.Items[i] with { Status = BatchItemStatus.Done, CostUsd = 0.01m })))));

        var stored = (await Batches.GetBatchAsync(owner, batch.Id))!;
        Assert.Equal(Racers, stored.Count(BatchItemStatus.Done));
        Assert.Equal(Racers * 0.01m, stored.SpentUsd());
    }

    [Fact]
    public async Task An_update_that_changes_nothing_returns_the_stored_batch()
    {
        var (owner, persona) = await NewPersonaAsync();
        var batch = Batch(owner, persona);
        await Batches.SaveBatchAsync(batch);

        var unchanged = await Batches.UpdateBatchAsync(owner, batch.Id, b => b);

        Assert.Equal(Json(batch), Json(unchanged));
    }

    [Fact]
    public async Task A_personas_batches_list_oldest_first_and_go_with_the_persona()
    {
        var (owner, persona) = await NewPersonaAsync();
        var sibling = Persona(owner);
        Assert.True(await Catalog.TryCreatePersonaAsync(sibling));
        var later = Batch(owner, persona, minute: 5);
        var earlier = Batch(owner, persona, minute: 1);
        var siblings = Batch(owner, sibling.Id);
        foreach (var b in new[] { later, earlier, siblings }) await Batches.SaveBatchAsync(b);

        Assert.Equal([earlier.Id, later.Id], (await Batches.ListBatchesAsync(owner, persona)).Select(b => b.Id));

        await Catalog.DeletePersonaAsync(owner, persona, new AuditEntry(owner, persona, "persona.deleted", Epoch, ""));

        Assert.Empty(await Batches.ListBatchesAsync(owner, persona));
        Assert.Null(await Batches.GetBatchAsync(owner, earlier.Id));
        Assert.NotNull(await Batches.GetBatchAsync(owner, siblings.Id));
    }
}
