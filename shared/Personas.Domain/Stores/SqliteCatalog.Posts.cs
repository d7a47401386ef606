using Personas.Domain.Posts;

namespace Personas.Domain.Stores;

public sealed partial class SqliteCatalog
{
    public Task SavePostAsync(Post post, CancellationToken ct = default) => Write(c =>
        c.Execute("INSERT OR REPLACE INTO posts(id, owner, persona_id, status, created_at, doc) VALUES ($id, $owner, $persona, $status, $created, $doc)",
            ("$id", post.Id), ("$owner", post.Owner), ("$persona", post.PersonaId), ("$status", post.Status.ToString()), ("$created", post.CreatedAt.UtcTicks),
            ("$doc", json.Serialize(post))));

    public Task<Post?> GetPostAsync(string owner, string id, CancellationToken ct = default) =>
        Read(c => c.Query("SELECT doc FROM posts WHERE owner = $owner AND id = $id", r => json.Deserialize<Post>(r.GetString(0)), ("$owner", owner), ("$id", id))
            .FirstOrDefault());

    public Task<Post?> UpdatePostAsync(string owner, string id, Func<Post, Post> change, CancellationToken ct = default) => Write(c =>
    {
        var current = c.Query("SELECT doc FROM posts WHERE owner = $owner AND id = $id", r => json.Deserialize<Post>(r.GetString(0)), ("$owner", owner), ("$id", id))
            .FirstOrDefault();
        if (current is null) return null;
        var updated = change(current);
        if (ReferenceEquals(updated, current)) return current;
        c.Execute("UPDATE posts SET doc = $doc, status = $status WHERE id = $id", ("$doc", json.Serialize(updated)), ("$status", updated.Status.ToString()), ("$id", id));
        return updated;
    });

    public Task<PostPage> ListPostsAsync(string owner, PostStatus? status, string? personaId, string? batchId, int offset, int limit, CancellationToken ct = default) =>
        Read(c =>
        {
            // Batch ids live only in the document; batches are small, so they are filtered after the indexed query.
            const string where = "WHERE owner = $owner AND ($status IS NULL OR status = $status) AND ($persona IS NULL OR persona_id = $persona)";
            var args = new (string, object?)[] { ("$owner", owner), ("$status", status?.ToString()), ("$persona", personaId) };
            var rows = c.Query($"SELECT doc FROM posts {where} ORDER BY created_at DESC, id", r => json.Deserialize<Post>(r.GetString(0))!, args)
                .Where(p => batchId is null || p.BatchId == batchId).ToList();
            return new PostPage(rows.Skip(offset).Take(limit).ToList(), rows.Count);
        });

    public Task<IReadOnlyList<Post>> ListPostsInStatusAsync(IReadOnlyCollection<PostStatus> statuses,
        CancellationToken ct = default) =>
        Read<IReadOnlyList<Post>>(c => c.Query("SELECT doc FROM posts ORDER BY created_at, id",
                r => json.Deserialize<Post>(r.GetString(0))!)
            .Where(p => statuses.Contains(p.Status)).ToList());

    public Task<BrandKit?> GetBrandKitAsync(string owner, CancellationToken ct = default) =>
        Read(c => c.Query("SELECT doc FROM brand_kits WHERE owner = $owner", r => json.Deserialize<BrandKit>(r.GetString(0)), ("$owner", owner)).FirstOrDefault());

    public Task SaveBrandKitAsync(string owner, BrandKit kit, CancellationToken ct = default) => Write(c =>
        c.Execute("INSERT OR REPLACE INTO brand_kits(owner, doc) VALUES ($owner, $doc)", ("$owner", owner), ("$doc", json.Serialize(kit))));
}
