using Personas.Domain.Batches;
using Personas.Domain.Stores;
using static Personas.Azure.Cosmos.DocumentKeys;

namespace Personas.Azure.Cosmos;

/// <summary>
/// One document per batch, items included, in the owner's partition: 500 items stay far below Cosmos' 2 MB item
/// limit, and one document makes every change to a batch a single ETag-guarded write, as SQLite's one row does.
/// </summary>
public sealed partial class CosmosCatalog : IBatchCatalog
{
    public Task SaveBatchAsync(Batch batch, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        // A conflict means a repeated request stored it first: that one keeps its progress.
        return TryCreateAsync(Document(batch), OwnerPartition(batch.Owner), ct);
    }

    public async Task<Batch?> GetBatchAsync(string owner, string id, CancellationToken ct = default) =>
        (await ReadAsync<ItemDocument<Batch>>(Id(DocumentTypes.Batch, id), OwnerPartition(owner), ct)).Document?.Body;

    public async Task<Batch?> UpdateBatchAsync(string owner, string id, Func<Batch, Batch> change,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        var updated = await ModifyAsync<ItemDocument<Batch>>(Id(DocumentTypes.Batch, id), OwnerPartition(owner),
            d => change(d.Body!) is var next && ReferenceEquals(next, d.Body) ? d : Document(next), ct);
        return updated?.Body;
    }

    public async Task<IReadOnlyList<Batch>> ListBatchesAsync(string owner, string personaId,
        CancellationToken ct = default) =>
        (await QueryPartitionAsync<ItemDocument<Batch>>(OwnerPartition(owner), DocumentTypes.Batch, ct,
            filters: ("personaId", personaId)))
            .OrderBy(d => d.SortKey, StringComparer.Ordinal).ThenBy(d => d.Body!.Id, StringComparer.Ordinal)
            .Select(d => d.Body!).ToList();

    private static ItemDocument<Batch> Document(Batch b) => new()
    {
        Id = Id(DocumentTypes.Batch, b.Id), Pk = OwnerPartition(b.Owner), Type = DocumentTypes.Batch,
        PersonaId = b.PersonaId, SortKey = SortKey(b.CreatedAt), Status = b.Status.ToString(), Body = b,
    };
}
