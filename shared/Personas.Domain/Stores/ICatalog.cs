using Personas.Domain.Personas;
using Personas.Domain.Photos;

namespace Personas.Domain.Stores;

/// <summary>
/// Personas and their photos, always read and written for one owner: there is no call that reaches another owner's data.
/// SQLite is the embedded default; Cosmos DB will implement the same interface.
/// </summary>
public interface ICatalog
{
    Task InitializeAsync(CancellationToken ct = default);

    /// <summary>Creates the persona. Returns false, writing nothing, when the owner already uses its trigger word.</summary>
    Task<bool> TryCreatePersonaAsync(Persona persona, CancellationToken ct = default);

    Task<Persona?> GetPersonaAsync(string owner, string id, CancellationToken ct = default);

    Task<IReadOnlyList<Persona>> ListPersonasAsync(string owner, CancellationToken ct = default);

    /// <summary>
    /// Every owner's personas in one of <paramref name="statuses"/>: the startup repair's one look across owners, for
    /// work a stopped host may have stranded.
    /// </summary>
    Task<IReadOnlyList<Persona>> ListPersonasInStatusAsync(IReadOnlyCollection<PersonaStatus> statuses,
        CancellationToken ct = default);

    /// <summary>Reads, changes and writes one persona atomically. Returns null when it does not exist for this owner.</summary>
    Task<Persona?> UpdatePersonaAsync(string owner, string id, Func<Persona, Persona> change, CancellationToken ct = default);

    Task<IReadOnlyList<Photo>> ListPhotosAsync(string owner, string personaId, CancellationToken ct = default);

    /// <summary>Adds photos in one transaction, if the persona still has room for all of them (<paramref name="maxPhotos"/>).</summary>
    Task<bool> TryAddPhotosAsync(string owner, string personaId, IReadOnlyList<Photo> photos, int maxPhotos, CancellationToken ct = default);

    Task UpdatePhotoAsync(Photo photo, CancellationToken ct = default);

    Task<Photo?> DeletePhotoAsync(string owner, string personaId, string photoId, CancellationToken ct = default);

    /// <summary>Deletes the persona and its photo records and writes the audit entry, in one transaction. Returns the number of photos, or null when it did not exist.</summary>
    Task<int?> DeletePersonaAsync(string owner, string personaId, AuditEntry audit, CancellationToken ct = default);

    Task<IReadOnlyList<AuditEntry>> ListAuditAsync(string owner, CancellationToken ct = default);

    /// <summary>Remembers which orchestration waits on a provider's job, for its webhooks.</summary>
    Task RecordProviderJobAsync(Training.ProviderJobLink link, CancellationToken ct = default);

    Task<IReadOnlyList<Training.ProviderJobLink>> ListProviderJobsAsync(string owner, string personaId, CancellationToken ct = default);

    Task<Training.ProviderJobLink?> FindProviderJobAsync(string provider, string jobId, CancellationToken ct = default);

    Task RecordCostAsync(Training.CostEntry entry, CancellationToken ct = default);

    /// <summary>
    /// Records a paid call under its key (<see cref="Training.CostEntry.Key"/>, required). Returns false, writing
    /// nothing, when the key is already recorded: the call was paid for before (an activity ran again).
    /// </summary>
    Task<bool> TryRecordPaidCallAsync(Training.CostEntry entry, CancellationToken ct = default);

    /// <summary>The entry recorded under the key, with what the call produced; null when none.</summary>
    Task<Training.CostEntry?> FindPaidCallAsync(string owner, Training.CostKey key, CancellationToken ct = default);

    Task<IReadOnlyList<Training.CostEntry>> ListCostsAsync(string owner, string personaId, CancellationToken ct = default);

    /// <summary>What the owner's ledger holds across all their personas, for the owner-wide budget.</summary>
    Task<decimal> OwnerSpentUsdAsync(string owner, CancellationToken ct = default);

    /// <summary>Stores a generation; saving the same id again replaces it (activities may repeat).</summary>
    Task SaveGenerationAsync(Generations.Generation generation, CancellationToken ct = default);

    Task<Generations.Generation?> GetGenerationAsync(string owner, string id, CancellationToken ct = default);

    Task<IReadOnlyList<Generations.Generation>> ListGenerationsAsync(string owner, string personaId, CancellationToken ct = default);
}

/// <summary>A record of something done to a person's data, kept after the data itself is gone.</summary>
public sealed record AuditEntry(string Owner, string PersonaId, string Action, DateTimeOffset At, string Details);
