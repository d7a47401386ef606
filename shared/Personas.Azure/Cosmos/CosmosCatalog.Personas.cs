using Microsoft.Azure.Cosmos;
using Personas.Domain.Personas;
using Personas.Domain.Photos;
using Personas.Domain.Stores;
using static Personas.Azure.Cosmos.DocumentKeys;

namespace Personas.Azure.Cosmos;

public sealed partial class CosmosCatalog
{
    /// <summary>
    /// Reserves the trigger word, creates the persona, then marks the reservation committed with its ETag. A rival
    /// that took an abandoned-looking reservation over in between wins: this persona is removed again.
    /// </summary>
    public async Task<bool> TryCreatePersonaAsync(Persona persona, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(persona);
        var pk = OwnerPartition(persona.Owner);
        var id = Id(DocumentTypes.Persona, persona.Id);
        // Like SQLite's INSERT OR IGNORE, an existing id is refused too.
        if ((await ReadAsync<PersonaDocument>(id, pk, ct)).Document is not null) return false;

        var reservation = new TriggerReservation
        {
            Id = Id(DocumentTypes.TriggerWord, persona.TriggerWord), Pk = pk, PersonaId = persona.Id,
            ReservedAt = _time.GetUtcNow(),
        };
        var reservationETag = await ReserveTriggerWordAsync(reservation, ct);
        if (reservationETag is null) return false;

        var document = new PersonaDocument
        {
            Id = id, Pk = pk, PersonaId = persona.Id, TriggerWord = persona.TriggerWord,
            SortKey = SortKey(persona.CreatedAt), Body = persona,
        };
        if (await TryCreateAsync(document, pk, ct) is null)
        {
            await TryDeleteAsync(reservation.Id, pk, ct, reservationETag);
            return false;
        }
        var committed = reservation with { Committed = true };
        if (await TryReplaceAsync(committed, reservation.Id, pk, reservationETag, ct) is not null) return true;
        await TryDeleteAsync(id, pk, ct);
        return false;
    }

    /// <summary>Creates the reservation, or takes over an abandoned one; null when the word is in use.</summary>
    private async Task<string?> ReserveTriggerWordAsync(TriggerReservation reservation, CancellationToken ct)
    {
        for (var attempt = 0; attempt < MaxWriteAttempts; attempt++)
        {
            if (await TryCreateAsync(reservation, reservation.Pk, ct) is { } created) return created;
            var (standing, etag) = await ReadAsync<TriggerReservation>(reservation.Id, reservation.Pk, ct);
            if (standing is null) continue;
            if (!await IsAbandonedAsync(standing, ct)) return null;
            if (await TryReplaceAsync(reservation, reservation.Id, reservation.Pk, etag!, ct) is { } taken)
                return taken;
        }
        throw new CosmosCatalogException("Gave up reserving a trigger word after too many concurrent attempts.");
    }

    /// <summary>
    /// A reservation is abandoned when its persona is not live and either its create finished (so the persona is
    /// being deleted) or its create crashed long enough ago that it cannot still be running.
    /// </summary>
    private async Task<bool> IsAbandonedAsync(TriggerReservation standing, CancellationToken ct)
    {
        var (holder, _) = await ReadAsync<PersonaDocument>(Id(DocumentTypes.Persona, standing.PersonaId),
            standing.Pk, ct);
        if (holder?.Live is not null) return false;
        return standing.Committed || standing.ReservedAt + ReservationGrace < _time.GetUtcNow();
    }

    public async Task<Persona?> GetPersonaAsync(string owner, string id, CancellationToken ct = default) =>
        (await ReadAsync<PersonaDocument>(Id(DocumentTypes.Persona, id), OwnerPartition(owner), ct)).Document?.Live;

    public async Task<IReadOnlyList<Persona>> ListPersonasAsync(string owner, CancellationToken ct = default) =>
        (await QueryPartitionAsync<PersonaDocument>(OwnerPartition(owner), DocumentTypes.Persona, ct))
            .Where(d => d.Live is not null)
            .OrderBy(d => d.SortKey, StringComparer.Ordinal).ThenBy(d => d.PersonaId, StringComparer.Ordinal)
            .Select(d => d.Live!).ToList();

    /// <summary>Cross-partition, filtered here: it runs once at startup, and statuses live in the body only.</summary>
    public async Task<IReadOnlyList<Persona>> ListPersonasInStatusAsync(IReadOnlyCollection<PersonaStatus> statuses,
        CancellationToken ct = default) =>
        (await QueryAsync<PersonaDocument>(new QueryDefinition("SELECT * FROM c WHERE c.type = @type")
                .WithParameter("@type", DocumentTypes.Persona), null, ct))
            .Where(d => d.Live is { } live && statuses.Contains(live.Status)).Select(d => d.Live!).ToList();

    public async Task<Persona?> UpdatePersonaAsync(string owner, string id, Func<Persona, Persona> change,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        var updated = await ModifyAsync<PersonaDocument>(Id(DocumentTypes.Persona, id), OwnerPartition(owner),
            d => d.Live is { } live ? d with { Body = change(live) } : null, ct);
        return updated?.Body;
    }

    public async Task<IReadOnlyList<Photo>> ListPhotosAsync(string owner, string personaId,
        CancellationToken ct = default) =>
        (await QueryPartitionAsync<ItemDocument<Photo>>(OwnerPartition(owner), DocumentTypes.Photo, ct,
            filters: ("personaId", personaId)))
            .Select(d => d.Body!).OrderBy(p => p.CreatedAt).ThenBy(p => p.Id, StringComparer.Ordinal).ToList();

    /// <summary>
    /// First claims slots on the persona document with its ETag (the cap check and the claim are one conditional
    /// write), then writes the photos, then checks the persona was not deleted meanwhile. A crash after the claim
    /// leaves slots without photos: they count until <see cref="ReservationGrace"/> has passed, then the next add
    /// drops them.
    /// </summary>
    public async Task<bool> TryAddPhotosAsync(string owner, string personaId, IReadOnlyList<Photo> photos,
        int maxPhotos, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(photos);
        var pk = OwnerPartition(owner);
        var id = Id(DocumentTypes.Persona, personaId);
        for (var attempt = 0; ; attempt++)
        {
            if (attempt == MaxWriteAttempts)
                throw new CosmosCatalogException("Gave up adding photos after too many concurrent changes.");
            var (persona, etag) = await ReadAsync<PersonaDocument>(id, pk, ct);
            if (persona?.Live is null) return false;
            var now = _time.GetUtcNow();
            var slots = await LiveSlotsAsync(persona, now, ct);
            var adding = photos.Where(p => !slots.Any(s => s.Id == p.Id)).ToList();
            if (slots.Count + adding.Count > maxPhotos) return false;
            var claimed = persona with { PhotoSlots = [.. slots, .. adding.Select(p => new PhotoSlot(p.Id, now))] };
            if (await TryReplaceAsync(claimed, id, pk, etag!, ct) is null) continue;
            break;
        }
        var documents = photos.Select(p => PhotoDocument(p, pk, personaId)).ToList();
        await Task.WhenAll(documents.Select(d => UpsertAsync(d, pk, ct)));
        if ((await ReadAsync<PersonaDocument>(id, pk, ct)).Document?.Live is not null) return true;
        // Deleted while the photos were written: they must not outlive it.
        await Task.WhenAll(documents.Select(d => TryDeleteAsync(d.Id, pk, ct)));
        return false;
    }

    /// <summary>The slots that still count: recent ones, and older ones whose photo exists.</summary>
    private async Task<IReadOnlyList<PhotoSlot>> LiveSlotsAsync(PersonaDocument persona, DateTimeOffset now,
        CancellationToken ct)
    {
        if (!persona.PhotoSlots.Any(s => s.At + ReservationGrace < now)) return persona.PhotoSlots;
        var stored = (await QueryPartitionAsync<DocumentKey>(persona.Pk, DocumentTypes.Photo, ct, "c.id, c.sortKey",
            ("personaId", persona.PersonaId))).Select(k => k.Id).ToHashSet(StringComparer.Ordinal);
        return persona.PhotoSlots
            .Where(s => s.At + ReservationGrace >= now || stored.Contains(Id(DocumentTypes.Photo, s.Id))).ToList();
    }

    private static ItemDocument<Photo> PhotoDocument(Photo photo, string pk, string personaId) => new()
    {
        Id = Id(DocumentTypes.Photo, photo.Id), Pk = pk, Type = DocumentTypes.Photo, PersonaId = personaId,
        SortKey = SortKey(photo.CreatedAt), Body = photo,
    };

    public async Task UpdatePhotoAsync(Photo photo, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(photo);
        await ModifyAsync<ItemDocument<Photo>>(Id(DocumentTypes.Photo, photo.Id), OwnerPartition(photo.Owner),
            d => d with { Body = photo }, ct);
    }

    /// <summary>Deletes the photo, then frees its slot; a crash in between leaves a slot the next add drops.</summary>
    public async Task<Photo?> DeletePhotoAsync(string owner, string personaId, string photoId,
        CancellationToken ct = default)
    {
        var pk = OwnerPartition(owner);
        var id = Id(DocumentTypes.Photo, photoId);
        var (photo, _) = await ReadAsync<ItemDocument<Photo>>(id, pk, ct);
        if (photo is null || photo.PersonaId != personaId || !await TryDeleteAsync(id, pk, ct)) return null;
        await ModifyAsync<PersonaDocument>(Id(DocumentTypes.Persona, personaId), pk,
            d => d.PhotoSlots.Any(s => s.Id == photoId)
                ? d with { PhotoSlots = d.PhotoSlots.Where(s => s.Id != photoId).ToList() } : d, ct);
        return photo.Body;
    }

    /// <summary>
    /// Tombstones the persona (it reads as missing at once, and its body is dropped), deletes its children and
    /// trigger word, writes the audit entry under an id derived from the persona and action, and deletes the
    /// persona document last. A rerun after a crash finds the tombstone and finishes the same steps.
    /// </summary>
    public async Task<int?> DeletePersonaAsync(string owner, string personaId, AuditEntry audit,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(audit);
        var pk = OwnerPartition(owner);
        var id = Id(DocumentTypes.Persona, personaId);
        var (persona, _) = await ReadAsync<PersonaDocument>(id, pk, ct);
        if (persona is null) return null;
        if (persona.Tombstone is null)
        {
            var photos = (await QueryPartitionAsync<DocumentKey>(pk, DocumentTypes.Photo, ct, "c.id, c.sortKey",
                ("personaId", personaId))).Count;
            var tombstone = new PersonaTombstone(_time.GetUtcNow(), photos);
            persona = await ModifyAsync<PersonaDocument>(id, pk,
                d => d.Tombstone is null ? d with { Tombstone = tombstone, Body = null, PhotoSlots = [] } : d, ct);
            if (persona is null) return null;
        }

        foreach (var type in DocumentTypes.PersonaChildren)
        {
            var children = await QueryPartitionAsync<DocumentKey>(pk, type, ct, "c.id, c.sortKey",
                ("personaId", personaId));
            await Task.WhenAll(children.Select(c => TryDeleteAsync(c.Id, pk, ct)));
        }
        var reservationId = Id(DocumentTypes.TriggerWord, persona.TriggerWord);
        var (reservation, reservationETag) = await ReadAsync<TriggerReservation>(reservationId, pk, ct);
        if (reservation?.PersonaId == personaId) await TryDeleteAsync(reservationId, pk, ct, reservationETag);

        // SQLite keeps exactly these fields; a rerun finds the first entry and leaves it.
        await TryCreateAsync(new ItemDocument<AuditEntry>
        {
            Id = Id(DocumentTypes.Audit, personaId, audit.Action), Pk = pk, Type = DocumentTypes.Audit,
            PersonaId = personaId, SortKey = SortKey(audit.At),
            Body = new AuditEntry(owner, personaId, audit.Action, audit.At, audit.Details),
        }, pk, ct);
        await TryDeleteAsync(id, pk, ct);
        return persona.Tombstone!.Photos;
    }

    public async Task<IReadOnlyList<AuditEntry>> ListAuditAsync(string owner, CancellationToken ct = default) =>
        (await QueryPartitionAsync<ItemDocument<AuditEntry>>(OwnerPartition(owner), DocumentTypes.Audit, ct))
            .OrderBy(d => d.SortKey, StringComparer.Ordinal).ThenBy(d => d.Id, StringComparer.Ordinal)
            .Select(d => d.Body!).ToList();
}
