using Microsoft.Azure.Cosmos;
using Personas.Domain.Stores;
using static Personas.Azure.Cosmos.DocumentKeys;

namespace Personas.Azure.Cosmos;

/// <summary>
/// The instance ledger: each instance has its own partition holding its claim and one document per recorded event,
/// so claims are create-if-absent and events are created once by id.
/// </summary>
public sealed partial class CosmosCatalog
{
    private static readonly string ClaimId = Id(DocumentTypes.InstanceClaim, "claim");

    public async Task<InstanceClaim> ClaimAsync(string instanceId, string owner, string? requestHash,
        DateTimeOffset at, CancellationToken ct = default)
    {
        var pk = InstancePartition(instanceId);
        var claim = new InstanceClaim(instanceId, owner, requestHash, at);
        for (var attempt = 0; attempt < MaxWriteAttempts; attempt++)
        {
            var document = new ItemDocument<InstanceClaim>
            {
                Id = ClaimId, Pk = pk, Type = DocumentTypes.InstanceClaim, Body = claim,
            };
            if (await TryCreateAsync(document, pk, ct) is not null) return claim;
            // Forgotten between our create and read: try again.
            if (await FindClaimAsync(instanceId, ct) is { } standing) return standing;
        }
        throw new CosmosCatalogException("Gave up claiming an instance after too many concurrent changes.");
    }

    public async Task<InstanceClaim?> FindClaimAsync(string instanceId, CancellationToken ct = default) =>
        (await ReadAsync<ItemDocument<InstanceClaim>>(ClaimId, InstancePartition(instanceId), ct)).Document?.Body;

    public async Task<IReadOnlySet<string>> OwnedAsync(string owner, IReadOnlyCollection<string> instanceIds,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(instanceIds);
        var owned = new HashSet<string>(StringComparer.Ordinal);
        if (instanceIds.Count == 0) return owned;
        var claims = await Container.ReadManyItemsAsync<ItemDocument<InstanceClaim>>(
            instanceIds.Distinct(StringComparer.Ordinal)
                .Select(id => (ClaimId, new PartitionKey(InstancePartition(id)))).ToList(), cancellationToken: ct);
        foreach (var claim in claims)
            if (claim.Body is { } body && body.Owner == owner) owned.Add(body.InstanceId);
        return owned;
    }

    public async Task<bool> TryRecordEventAsync(string instanceId, string eventId, CancellationToken ct = default)
    {
        var pk = InstancePartition(instanceId);
        return await TryCreateAsync(new ItemDocument<string>
        {
            Id = Id(DocumentTypes.InstanceEvent, eventId), Pk = pk, Type = DocumentTypes.InstanceEvent, Body = eventId,
        }, pk, ct) is not null;
    }

    public Task ForgetEventAsync(string instanceId, string eventId, CancellationToken ct = default) =>
        TryDeleteAsync(Id(DocumentTypes.InstanceEvent, eventId), InstancePartition(instanceId), ct);

    /// <summary>Events first, claim last: a crash in between leaves a claim, and a rerun deletes it.</summary>
    public async Task ForgetInstanceAsync(string instanceId, CancellationToken ct = default)
    {
        var pk = InstancePartition(instanceId);
        var events = await QueryPartitionAsync<DocumentKey>(pk, DocumentTypes.InstanceEvent, ct, "c.id, c.sortKey");
        await Task.WhenAll(events.Select(e => TryDeleteAsync(e.Id, pk, ct)));
        await TryDeleteAsync(ClaimId, pk, ct);
    }
}
