using Microsoft.Azure.Cosmos;
using Personas.Domain.Posts;
using Personas.Domain.Stores;
using static Personas.Azure.Cosmos.DocumentKeys;

namespace Personas.Azure.Cosmos;

public sealed partial class CosmosCatalog
{
    private static readonly string BrandKitId = Id(DocumentTypes.BrandKit, "owner");

    public Task SavePostAsync(Post post, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(post);
        var pk = OwnerPartition(post.Owner);
        return UpsertAsync(PostDocument(post, pk), pk, ct);
    }

    public async Task<Post?> GetPostAsync(string owner, string id, CancellationToken ct = default) =>
        (await ReadAsync<ItemDocument<Post>>(Id(DocumentTypes.Post, id), OwnerPartition(owner), ct)).Document?.Body;

    public async Task<Post?> UpdatePostAsync(string owner, string id, Func<Post, Post> change,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        var pk = OwnerPartition(owner);
        var updated = await ModifyAsync<ItemDocument<Post>>(Id(DocumentTypes.Post, id), pk, d =>
        {
            var next = change(d.Body!);
            return ReferenceEquals(next, d.Body) ? d : PostDocument(next, pk) with { PersonaId = d.PersonaId };
        }, ct);
        return updated?.Body;
    }

    /// <summary>Cross-partition, on the indexed status field: it runs once at startup.</summary>
    public async Task<IReadOnlyList<Post>> ListPostsInStatusAsync(IReadOnlyCollection<PostStatus> statuses,
        CancellationToken ct = default) =>
        (await QueryAsync<ItemDocument<Post>>(
                new QueryDefinition("SELECT * FROM c WHERE c.type = @type AND ARRAY_CONTAINS(@statuses, c.status)")
                    .WithParameter("@type", DocumentTypes.Post)
                    .WithParameter("@statuses", statuses.Select(s => s.ToString()).ToArray()), null, ct))
            .Select(d => d.Body!).ToList();

    /// <summary>
    /// Sorts and pages in code: the query returns only the matching ids and times (the total is their count), and
    /// the page is read with one ReadMany. The interface pages by offset, which continuation tokens cannot serve,
    /// and the emulator has no OFFSET/LIMIT; sorting here also needs no composite index on the service.
    /// </summary>
    public async Task<PostPage> ListPostsAsync(string owner, PostStatus? status, string? personaId, string? batchId,
        int offset, int limit, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        var pk = OwnerPartition(owner);
        var filters = new List<(string, string)>();
        if (status is { } s) filters.Add(("status", s.ToString()));
        if (personaId is not null) filters.Add(("personaId", personaId));
        if (batchId is not null) filters.Add(("batchId", batchId));
        var keys = (await QueryPartitionAsync<DocumentKey>(pk, DocumentTypes.Post, ct, "c.id, c.sortKey",
                [.. filters]))
            .OrderByDescending(k => k.SortKey, StringComparer.Ordinal).ThenBy(k => k.Id, StringComparer.Ordinal)
            .ToList();
        var page = keys.Skip(offset).Take(limit).Select(k => k.Id).ToList();
        if (page.Count == 0) return new PostPage([], keys.Count);
        var read = await Container.ReadManyItemsAsync<ItemDocument<Post>>(
            page.Select(id => (id, new PartitionKey(pk))).ToList(), cancellationToken: ct);
        var byId = read.ToDictionary(d => d.Id, StringComparer.Ordinal);
        // A post deleted between the two reads is left out of the page.
        return new PostPage(page.Where(byId.ContainsKey).Select(id => byId[id].Body!).ToList(), keys.Count);
    }

    public async Task<BrandKit?> GetBrandKitAsync(string owner, CancellationToken ct = default) =>
        (await ReadAsync<ItemDocument<BrandKit>>(BrandKitId, OwnerPartition(owner), ct)).Document?.Body;

    public Task SaveBrandKitAsync(string owner, BrandKit kit, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(kit);
        var pk = OwnerPartition(owner);
        return UpsertAsync(new ItemDocument<BrandKit>
        {
            Id = BrandKitId, Pk = pk, Type = DocumentTypes.BrandKit, Body = kit,
        }, pk, ct);
    }

    private static ItemDocument<Post> PostDocument(Post post, string pk) => new()
    {
        Id = Id(DocumentTypes.Post, post.Id), Pk = pk, Type = DocumentTypes.Post, PersonaId = post.PersonaId,
        Status = post.Status.ToString(), BatchId = post.BatchId, SortKey = SortKey(post.CreatedAt), Body = post,
    };
}
