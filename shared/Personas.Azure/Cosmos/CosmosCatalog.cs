using System.Net;
using Microsoft.Azure.Cosmos;
using Personas.Domain.Stores;

namespace Personas.Azure.Cosmos;

/// <summary>
/// The catalog in one Cosmos DB container partitioned by <c>/pk</c>: an owner's documents share the partition
/// <c>owner/{owner}</c>, an instance's ledger documents <c>instance/{id}</c>. Every write is a single-document write,
/// guarded by ETags where it reads first, because TransactionalBatch is not available on the emulator we test with;
/// docs/azure-cosmos.md tells what each multi-document operation leaves behind after a crash and how a rerun heals it.
/// </summary>
public sealed partial class CosmosCatalog : ICatalog, IPostCatalog, IInstanceLedger, IAnalyticsCatalog
{
    // A read-modify-write that loses this many races in a row gives up rather than spin.
    private const int MaxWriteAttempts = 64;

    private readonly CosmosClient _client;
    private readonly CosmosSettings _settings;
    private readonly TimeProvider _time;
    private readonly Container _container;

    public CosmosCatalog(CosmosClient client, CosmosSettings settings, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(settings);
        _client = client;
        _settings = settings;
        _time = timeProvider ?? TimeProvider.System;
        _container = client.GetContainer(settings.Database, settings.Container);
    }

    /// <summary>
    /// How long a half-written reservation (a trigger word or a photo slot) protects a create that may still be
    /// running before another writer may take it over.
    /// </summary>
    public TimeSpan ReservationGrace { get; init; } = TimeSpan.FromMinutes(1);

    internal Container Container => _container;

    /// <summary>
    /// Creates the database and container when missing. An identity with data-plane rights only (Bicep created both)
    /// gets 403 on creation: then it is enough that the container can be read.
    /// </summary>
    public async Task InitializeAsync(CancellationToken ct = default)
    {
        try
        {
            var database = await _client.CreateDatabaseIfNotExistsAsync(_settings.Database, cancellationToken: ct);
            await database.Database.CreateContainerIfNotExistsAsync(
                new ContainerProperties(_settings.Container, "/pk"), cancellationToken: ct);
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.Forbidden)
        {
            try
            {
                await _container.ReadContainerAsync(cancellationToken: ct);
            }
            catch (CosmosException missing) when (missing.StatusCode == HttpStatusCode.NotFound)
            {
                throw new CosmosCatalogException(
                    $"Cosmos container '{_settings.Database}/{_settings.Container}' does not exist and this identity " +
                    "may not create it; create it (partition key /pk) in the infrastructure template.", missing);
            }
        }
    }

    private async Task<(T? Document, string? ETag)> ReadAsync<T>(string id, string pk, CancellationToken ct)
        where T : class
    {
        try
        {
            var response = await _container.ReadItemAsync<T>(id, new PartitionKey(pk), cancellationToken: ct);
            return (response.Resource, response.ETag);
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return (null, null);
        }
    }

    /// <summary>Creates the document unless its id is taken in the partition.</summary>
    private async Task<string?> TryCreateAsync<T>(T document, string pk, CancellationToken ct)
    {
        try
        {
            var response = await _container.CreateItemAsync(document, new PartitionKey(pk), NoContent, ct);
            return response.ETag;
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.Conflict)
        {
            return null;
        }
    }

    private Task UpsertAsync<T>(T document, string pk, CancellationToken ct) =>
        _container.UpsertItemAsync(document, new PartitionKey(pk), NoContent, ct);

    /// <summary>
    /// Replaces the document if it still has <paramref name="etag"/>, returning the new ETag; null when another
    /// writer changed or deleted it first.
    /// </summary>
    private async Task<string?> TryReplaceAsync<T>(T document, string id, string pk, string etag, CancellationToken ct)
    {
        try
        {
            var response = await _container.ReplaceItemAsync(document, id, new PartitionKey(pk),
                new ItemRequestOptions { IfMatchEtag = etag, EnableContentResponseOnWrite = false }, ct);
            return response.ETag;
        }
        catch (CosmosException e) when (e.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>
    /// Deletes the document (only with <paramref name="etag"/>, when given); false when it was not there.
    /// </summary>
    private async Task<bool> TryDeleteAsync(string id, string pk, CancellationToken ct, string? etag = null)
    {
        try
        {
            await _container.DeleteItemAsync<object>(id, new PartitionKey(pk),
                etag is null ? null : new ItemRequestOptions { IfMatchEtag = etag }, ct);
            return true;
        }
        catch (CosmosException e) when (e.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.PreconditionFailed)
        {
            return false;
        }
    }

    /// <summary>
    /// Reads, changes and replaces one document with its ETag, again on every lost race. The change returns null to
    /// treat the document as missing, or the same instance to write nothing.
    /// </summary>
    private async Task<T?> ModifyAsync<T>(string id, string pk, Func<T, T?> change, CancellationToken ct)
        where T : class
    {
        for (var attempt = 0; attempt < MaxWriteAttempts; attempt++)
        {
            var (current, etag) = await ReadAsync<T>(id, pk, ct);
            if (current is null) return null;
            var next = change(current);
            if (next is null || ReferenceEquals(next, current)) return next;
            if (await TryReplaceAsync(next, id, pk, etag!, ct) is not null) return next;
        }
        throw new CosmosCatalogException(
            $"Gave up writing a catalog document after {MaxWriteAttempts} concurrent changes won in a row.");
    }

    private async Task<List<T>> QueryAsync<T>(QueryDefinition query, string? pk, CancellationToken ct)
    {
        var options = pk is null ? null : new QueryRequestOptions { PartitionKey = new PartitionKey(pk) };
        using var iterator = _container.GetItemQueryIterator<T>(query, requestOptions: options);
        var results = new List<T>();
        while (iterator.HasMoreResults)
            results.AddRange(await iterator.ReadNextAsync(ct));
        return results;
    }

    /// <summary>
    /// The documents of one type in one partition. The SQL repeats the partition filter: the stock emulator ignores
    /// the partition header, and on the real service it costs nothing.
    /// </summary>
    private Task<List<T>> QueryPartitionAsync<T>(string pk, string type, CancellationToken ct,
        string select = "*", params (string Field, string Value)[] filters)
    {
        var sql = $"SELECT {select} FROM c WHERE c.pk = @pk AND c.type = @type";
        for (var i = 0; i < filters.Length; i++) sql += $" AND c.{filters[i].Field} = @f{i}";
        var query = new QueryDefinition(sql).WithParameter("@pk", pk).WithParameter("@type", type);
        for (var i = 0; i < filters.Length; i++) query = query.WithParameter($"@f{i}", filters[i].Value);
        return QueryAsync<T>(query, pk, ct);
    }

    private static readonly ItemRequestOptions NoContent = new() { EnableContentResponseOnWrite = false };
}
