using Personas.Domain.Batches;

namespace Personas.Domain.Stores;

/// <summary>Batches of pictures, always for one owner. A persona's batches are deleted with it.</summary>
public interface IBatchCatalog
{
    /// <summary>
    /// Stores a new batch. One already stored under the id is kept, with its progress: a keyed request repeated
    /// concurrently must not reset it.
    /// </summary>
    Task SaveBatchAsync(Batch batch, CancellationToken ct = default);

    Task<Batch?> GetBatchAsync(string owner, string id, CancellationToken ct = default);

    /// <summary>Reads, changes and writes one batch atomically; null when it does not exist for this owner.</summary>
    Task<Batch?> UpdateBatchAsync(string owner, string id, Func<Batch, Batch> change, CancellationToken ct = default);

    /// <summary>The persona's batches, oldest first.</summary>
    Task<IReadOnlyList<Batch>> ListBatchesAsync(string owner, string personaId, CancellationToken ct = default);
}
