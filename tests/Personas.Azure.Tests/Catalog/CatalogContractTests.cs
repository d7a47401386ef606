using Personas.Domain.Stores;
using static Personas.Azure.Tests.Catalog.CatalogSamples;

namespace Personas.Azure.Tests.Catalog;

/// <summary>
/// What every catalog backend promises (the doc comments of ICatalog, IPostCatalog and IInstanceLedger), run against
/// each real backend by a subclass. Every test works in owners and instances of its own.
/// </summary>
public abstract partial class CatalogContractTests : IAsyncLifetime
{
    private const int Racers = 8;

    protected ICatalog Catalog { get; private set; } = null!;
    protected IPostCatalog Posts { get; private set; } = null!;
    protected IInstanceLedger Ledger { get; private set; } = null!;

    /// <summary>A ready store implementing all three interfaces.</summary>
    protected abstract Task<object> CreateStoreAsync();

    public async Task InitializeAsync()
    {
        var store = await CreateStoreAsync();
        Catalog = (ICatalog)store;
        Posts = (IPostCatalog)store;
        Ledger = (IInstanceLedger)store;
        await Catalog.InitializeAsync();
    }

    public virtual Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_persona_reads_back_as_written_and_only_for_its_owner()
    {
        var owner = NewOwner();
        var stranger = NewOwner();
        var persona = Persona(owner);

        Assert.True(await Catalog.TryCreatePersonaAsync(persona));

        Assert.Equal(Json(persona), Json(await Catalog.GetPersonaAsync(owner, persona.Id)));
        Assert.Null(await Catalog.GetPersonaAsync(stranger, persona.Id));
        Assert.Empty(await Catalog.ListPersonasAsync(stranger));
        Assert.Null(await Catalog.UpdatePersonaAsync(stranger, persona.Id, p => p with { Name = "Taken" }));
        Assert.Equal("Ada Example", (await Catalog.GetPersonaAsync(owner, persona.Id))!.Name);
    }

    [Fact]
    public async Task Personas_list_oldest_first()
    {
        var owner = NewOwner();
        var later = Persona(owner, minute: 5);
        var earlier = Persona(owner, minute: 1);
        Assert.True(await Catalog.TryCreatePersonaAsync(later));
        Assert.True(await Catalog.TryCreatePersonaAsync(earlier));

        var listed = await Catalog.ListPersonasAsync(owner);

        Assert.Equal([earlier.Id, later.Id], listed.Select(p => p.Id));
    }

    [Fact]
    public async Task A_trigger_word_is_unique_per_owner_but_not_across_owners()
    {
        var owner = NewOwner();
        var first = Persona(owner, triggerWord: "zqwa");

        Assert.True(await Catalog.TryCreatePersonaAsync(first));
        Assert.False(await Catalog.TryCreatePersonaAsync(Persona(owner, triggerWord: "zqwa")));
        Assert.True(await Catalog.TryCreatePersonaAsync(Persona(NewOwner(), triggerWord: "zqwa")));

        Assert.Equal([first.Id], (await Catalog.ListPersonasAsync(owner)).Select(p => p.Id));
    }

    [Fact]
    public async Task Concurrent_creates_with_one_trigger_word_admit_exactly_one()
    {
        var owner = NewOwner();
        var candidates = Enumerable.Range(0, Racers).Select(_ => Persona(owner, triggerWord: "zrace")).ToList();

        var results = await Task.WhenAll(candidates.Select(p => Task.Run(() => Catalog.TryCreatePersonaAsync(p))));

        Assert.Equal(1, results.Count(created => created));
        var winner = candidates[Array.IndexOf(results, true)];
        Assert.Equal([winner.Id], (await Catalog.ListPersonasAsync(owner)).Select(p => p.Id));
    }

    [Fact]
    public async Task A_persona_id_that_exists_is_refused()
    {
        var owner = NewOwner();
        var persona = Persona(owner);
        Assert.True(await Catalog.TryCreatePersonaAsync(persona));

        Assert.False(await Catalog.TryCreatePersonaAsync(persona with { Name = "Other", TriggerWord = "zother" }));

        Assert.Equal("Ada Example", (await Catalog.GetPersonaAsync(owner, persona.Id))!.Name);
    }

    [Fact]
    public async Task Concurrent_updates_of_a_persona_all_apply()
    {
        var owner = NewOwner();
        var persona = Persona(owner);
        Assert.True(await Catalog.TryCreatePersonaAsync(persona));

        await Task.WhenAll(Enumerable.Range(0, Racers).Select(i => Task.Run(() =>
            Catalog.UpdatePersonaAsync(owner, persona.Id, p => p with { StatusReason = p.StatusReason + i + ";" }))));

        var reasons = (await Catalog.GetPersonaAsync(owner, persona.Id))!.StatusReason!.Split(';',
            StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(Enumerable.Range(0, Racers).Select(i => i.ToString()), reasons.Order());
    }

    [Fact]
    public async Task Updating_returns_the_new_persona_or_null_when_missing()
    {
        var owner = NewOwner();
        var persona = Persona(owner);
        Assert.True(await Catalog.TryCreatePersonaAsync(persona));

        var updated = await Catalog.UpdatePersonaAsync(owner, persona.Id,
            p => p with { Status = Domain.Personas.PersonaStatus.Preparing });

        Assert.Equal(Domain.Personas.PersonaStatus.Preparing, updated!.Status);
        Assert.Equal(Json(updated), Json(await Catalog.GetPersonaAsync(owner, persona.Id)));
        Assert.Null(await Catalog.UpdatePersonaAsync(owner, "no-such-persona", p => p));
    }

    [Fact]
    public async Task Ids_with_characters_that_are_special_to_urls_work()
    {
        var owner = "tenant/with?odd#chars|" + Guid.NewGuid().ToString("N");
        var persona = Persona(owner, id: "p/1?x#y|z%41");
        Assert.True(await Catalog.TryCreatePersonaAsync(persona));
        Assert.True(await Catalog.TryAddPhotosAsync(owner, persona.Id, [Photo(owner, persona.Id, id: "ph/1#")], 5));

        Assert.Equal(persona.Id, (await Catalog.GetPersonaAsync(owner, persona.Id))!.Id);
        Assert.Equal(["ph/1#"], (await Catalog.ListPhotosAsync(owner, persona.Id)).Select(p => p.Id));
        Assert.Null(await Catalog.GetPersonaAsync(owner, "p/1?x#y|z%2541"));
    }
}
