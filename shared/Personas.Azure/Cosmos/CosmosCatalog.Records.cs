using Microsoft.Azure.Cosmos;
using Personas.Domain.Generations;
using Personas.Domain.Training;
using static Personas.Azure.Cosmos.DocumentKeys;

namespace Personas.Azure.Cosmos;

public sealed partial class CosmosCatalog
{
    public Task RecordProviderJobAsync(ProviderJobLink link, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(link);
        var pk = OwnerPartition(link.Owner);
        return UpsertAsync(new ItemDocument<ProviderJobLink>
        {
            Id = Id(DocumentTypes.ProviderJob, link.Provider, link.JobId), Pk = pk, Type = DocumentTypes.ProviderJob,
            PersonaId = link.PersonaId, Provider = link.Provider, JobId = link.JobId, Body = link,
        }, pk, ct);
    }

    public async Task<IReadOnlyList<ProviderJobLink>> ListProviderJobsAsync(string owner, string personaId,
        CancellationToken ct = default) =>
        (await QueryPartitionAsync<ItemDocument<ProviderJobLink>>(OwnerPartition(owner), DocumentTypes.ProviderJob,
            ct, filters: ("personaId", personaId))).Select(d => d.Body!).ToList();

    /// <summary>
    /// A webhook knows no owner: this is the catalog's one cross-partition query (rare, and by two fields).
    /// </summary>
    public async Task<ProviderJobLink?> FindProviderJobAsync(string provider, string jobId,
        CancellationToken ct = default)
    {
        var query = new QueryDefinition(
                "SELECT * FROM c WHERE c.type = @type AND c.provider = @provider AND c.jobId = @job")
            .WithParameter("@type", DocumentTypes.ProviderJob).WithParameter("@provider", provider)
            .WithParameter("@job", jobId);
        return (await QueryAsync<ItemDocument<ProviderJobLink>>(query, null, ct)).FirstOrDefault()?.Body;
    }

    /// <summary>Every call appends an entry, as in SQLite; entries sort by their time.</summary>
    public Task RecordCostAsync(CostEntry entry, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var pk = OwnerPartition(entry.Owner);
        return UpsertAsync(new ItemDocument<CostEntry>
        {
            Id = Id(DocumentTypes.Cost, Guid.NewGuid().ToString("N")), Pk = pk, Type = DocumentTypes.Cost,
            PersonaId = entry.PersonaId, SortKey = SortKey(entry.At), Body = entry,
        }, pk, ct);
    }

    /// <summary>
    /// The document id is the key, so Cosmos refuses a second entry for it (409) in the owner's partition.
    /// </summary>
    public async Task<bool> TryRecordPaidCallAsync(CostEntry entry, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var key = entry.Key ?? throw new ArgumentException("A paid call needs its key.", nameof(entry));
        var pk = OwnerPartition(entry.Owner);
        return await TryCreateAsync(new ItemDocument<CostEntry>
        {
            Id = PaidCallId(key), Pk = pk, Type = DocumentTypes.Cost,
            PersonaId = entry.PersonaId, SortKey = SortKey(entry.At), Body = entry,
        }, pk, ct) is not null;
    }

    public async Task<CostEntry?> FindPaidCallAsync(string owner, CostKey key, CancellationToken ct = default) =>
        (await ReadAsync<ItemDocument<CostEntry>>(PaidCallId(key), OwnerPartition(owner), ct)).Document?.Body;

    private static string PaidCallId(CostKey key) =>
        Id(DocumentTypes.Cost, "key", key.InstanceId, key.Task,
            key.Attempt.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public async Task<IReadOnlyList<CostEntry>> ListCostsAsync(string owner, string personaId,
        CancellationToken ct = default) =>
        (await QueryPartitionAsync<ItemDocument<CostEntry>>(OwnerPartition(owner), DocumentTypes.Cost, ct,
            filters: ("personaId", personaId)))
            .OrderBy(d => d.SortKey, StringComparer.Ordinal).Select(d => d.Body!).ToList();

    /// <summary>Summed here rather than with SUM(), which would add the amounts as doubles.</summary>
    public async Task<decimal> OwnerSpentUsdAsync(string owner, CancellationToken ct = default) =>
        (await QueryPartitionAsync<ItemDocument<CostEntry>>(OwnerPartition(owner), DocumentTypes.Cost, ct))
            .Sum(d => d.Body!.EstimatedUsd);

    public Task SaveGenerationAsync(Generation generation, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(generation);
        var pk = OwnerPartition(generation.Owner);
        return UpsertAsync(new ItemDocument<Generation>
        {
            Id = Id(DocumentTypes.Generation, generation.Id), Pk = pk, Type = DocumentTypes.Generation,
            PersonaId = generation.PersonaId, SortKey = SortKey(generation.CreatedAt), Body = generation,
        }, pk, ct);
    }

    public async Task<Generation?> GetGenerationAsync(string owner, string id, CancellationToken ct = default) =>
        (await ReadAsync<ItemDocument<Generation>>(Id(DocumentTypes.Generation, id), OwnerPartition(owner), ct))
            .Document?.Body;

    public async Task<IReadOnlyList<Generation>> ListGenerationsAsync(string owner, string personaId,
        CancellationToken ct = default) =>
        (await QueryPartitionAsync<ItemDocument<Generation>>(OwnerPartition(owner), DocumentTypes.Generation, ct,
            filters: ("personaId", personaId)))
            .OrderBy(d => d.SortKey, StringComparer.Ordinal).Select(d => d.Body!).ToList();
}
