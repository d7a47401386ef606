using System.Text.Json;
using Microsoft.Azure.Cosmos;
using Personas.Azure.Cosmos;
using Personas.TestEmulators;
using Personas.Domain.Stores;
using static Personas.Azure.Tests.Catalog.CatalogSamples;

namespace Personas.Azure.Tests.Catalog;

/// <summary>
/// What the Cosmos catalog leaves after a crash between its single-document writes, and how the next call heals it.
/// The half-finished states are written directly, as a process that died at that point would have left them.
/// </summary>
[Collection(CosmosEmulator.Collection)]
public sealed class CosmosCatalogCrashTests(CosmosEmulator emulator) : IAsyncLifetime
{
    private readonly ManualTimeProvider _time = new(Epoch);
    private readonly string _owner = NewOwner();
    private CosmosCatalog _catalog = null!;

    private string Pk => DocumentKeys.OwnerPartition(_owner);

    public async Task InitializeAsync()
    {
        _catalog = new CosmosCatalog(emulator.Client, emulator.SettingsFor("crash"), _time)
        {
            ReservationGrace = TimeSpan.FromMinutes(1),
        };
        await _catalog.InitializeAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_reservation_whose_create_crashed_blocks_the_word_only_for_the_grace_period()
    {
        await _catalog.Container.CreateItemAsync(new TriggerReservation
        {
            Id = DocumentKeys.Id(DocumentTypes.TriggerWord, "zorphan"), Pk = Pk, PersonaId = "never-written",
            ReservedAt = _time.GetUtcNow(),
        }, new PartitionKey(Pk));

        Assert.False(await _catalog.TryCreatePersonaAsync(Persona(_owner, triggerWord: "zorphan")));
        _time.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
        var persona = Persona(_owner, triggerWord: "zorphan");
        Assert.True(await _catalog.TryCreatePersonaAsync(persona));

        Assert.False(await _catalog.TryCreatePersonaAsync(Persona(_owner, triggerWord: "zorphan")));
        Assert.Equal([persona.Id], (await _catalog.ListPersonasAsync(_owner)).Select(p => p.Id));
    }

    [Fact]
    public async Task A_persona_written_before_a_crash_keeps_its_word_though_the_reservation_was_not_committed()
    {
        var persona = Persona(_owner, triggerWord: "zkept");
        Assert.True(await _catalog.TryCreatePersonaAsync(persona));
        var id = DocumentKeys.Id(DocumentTypes.TriggerWord, "zkept");
        var reservation = (await _catalog.Container.ReadItemAsync<TriggerReservation>(id, new PartitionKey(Pk)))
            .Resource;
        await _catalog.Container.ReplaceItemAsync(reservation with { Committed = false }, id, new PartitionKey(Pk));
        _time.Advance(TimeSpan.FromHours(1));

        Assert.False(await _catalog.TryCreatePersonaAsync(Persona(_owner, triggerWord: "zkept")));
    }

    [Fact]
    public async Task A_deletion_that_crashed_after_the_tombstone_hides_the_persona_and_a_rerun_finishes_it()
    {
        var persona = Persona(_owner, triggerWord: "ztomb");
        Assert.True(await _catalog.TryCreatePersonaAsync(persona));
        Assert.True(await _catalog.TryAddPhotosAsync(_owner, persona.Id, TwoPhotos(persona.Id), 20));
        var stored = await ReadPersonaDocumentAsync(persona.Id);
        await WritePersonaDocumentAsync(stored with { Tombstone = new PersonaTombstone(Epoch, 2), Body = null });

        Assert.Null(await _catalog.GetPersonaAsync(_owner, persona.Id));
        Assert.Empty(await _catalog.ListPersonasAsync(_owner));
        Assert.Null(await _catalog.UpdatePersonaAsync(_owner, persona.Id, p => p));
        var audit = new AuditEntry(_owner, persona.Id, "persona.deleted", Epoch, "");
        Assert.Equal(2, await _catalog.DeletePersonaAsync(_owner, persona.Id, audit));

        Assert.Empty(await _catalog.ListPhotosAsync(_owner, persona.Id));
        Assert.Single(await _catalog.ListAuditAsync(_owner));
        Assert.True(await _catalog.TryCreatePersonaAsync(Persona(_owner, triggerWord: "ztomb")));
    }

    [Fact]
    public async Task A_deletion_that_crashed_after_its_audit_entry_does_not_audit_twice()
    {
        var persona = Persona(_owner);
        Assert.True(await _catalog.TryCreatePersonaAsync(persona));
        var stored = await ReadPersonaDocumentAsync(persona.Id);
        var audit = new AuditEntry(_owner, persona.Id, "persona.deleted", Epoch, "");
        Assert.Equal(0, await _catalog.DeletePersonaAsync(_owner, persona.Id, audit));
        // As if the last step, deleting the tombstoned persona document, had not happened.
        await WritePersonaDocumentAsync(stored with { Tombstone = new PersonaTombstone(Epoch, 0), Body = null });

        Assert.Equal(0, await _catalog.DeletePersonaAsync(_owner, persona.Id, audit with { At = Epoch.AddHours(1) }));

        Assert.Equal(Epoch, Assert.Single(await _catalog.ListAuditAsync(_owner)).At);
        Assert.Null(await _catalog.DeletePersonaAsync(_owner, persona.Id, audit));
    }

    [Fact]
    public async Task A_photo_slot_whose_photo_was_never_written_is_freed_after_the_grace_period()
    {
        var persona = Persona(_owner);
        Assert.True(await _catalog.TryCreatePersonaAsync(persona));
        var stored = await ReadPersonaDocumentAsync(persona.Id);
        await WritePersonaDocumentAsync(stored with { PhotoSlots = [new PhotoSlot("lost", _time.GetUtcNow())] });

        Assert.False(await _catalog.TryAddPhotosAsync(_owner, persona.Id, TwoPhotos(persona.Id), 2));
        _time.Advance(TimeSpan.FromMinutes(2));
        Assert.True(await _catalog.TryAddPhotosAsync(_owner, persona.Id, TwoPhotos(persona.Id), 2));

        Assert.Equal(2, (await _catalog.ListPhotosAsync(_owner, persona.Id)).Count);
    }

    [Fact]
    public async Task Documents_hold_the_domain_json_in_an_envelope_with_exact_large_integers()
    {
        var persona = Persona(_owner);
        Assert.True(await _catalog.TryCreatePersonaAsync(persona));
        var photo = Photo(_owner, persona.Id, differenceHash: ulong.MaxValue);
        Assert.True(await _catalog.TryAddPhotosAsync(_owner, persona.Id, [photo], 20));

        using var personaJson = await ReadRawAsync(DocumentKeys.Id(DocumentTypes.Persona, persona.Id));
        using var photoJson = await ReadRawAsync(DocumentKeys.Id(DocumentTypes.Photo, photo.Id));

        var root = personaJson.RootElement;
        Assert.Equal(("persona", Pk), (root.GetProperty("type").GetString(), root.GetProperty("pk").GetString()));
        Assert.Equal(persona.TriggerWord, root.GetProperty("body").GetProperty("triggerWord").GetString());
        Assert.Equal("draft", root.GetProperty("body").GetProperty("status").GetString());
        Assert.Equal(ulong.MaxValue.ToString(),
            photoJson.RootElement.GetProperty("body").GetProperty("differenceHash").GetString());
    }

    private Domain.Photos.Photo[] TwoPhotos(string personaId) =>
        [Photo(_owner, personaId, second: 1), Photo(_owner, personaId, second: 2)];

    private async Task<PersonaDocument> ReadPersonaDocumentAsync(string personaId) =>
        (await _catalog.Container.ReadItemAsync<PersonaDocument>(DocumentKeys.Id(DocumentTypes.Persona, personaId),
            new PartitionKey(Pk))).Resource;

    private Task WritePersonaDocumentAsync(PersonaDocument document) =>
        _catalog.Container.UpsertItemAsync(document, new PartitionKey(Pk));

    private async Task<JsonDocument> ReadRawAsync(string id)
    {
        using var response = await _catalog.Container.ReadItemStreamAsync(id, new PartitionKey(Pk));
        response.EnsureSuccessStatusCode();
        return await JsonDocument.ParseAsync(response.Content);
    }

    private sealed class ManualTimeProvider(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset _now = start;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
