using Personas.Domain.Batches;

namespace Personas.Domain.Stores;

public sealed partial class SqliteCatalog : IBatchCatalog
{
    private const string BatchesSchema = """

        CREATE TABLE IF NOT EXISTS batches(id TEXT PRIMARY KEY, owner TEXT NOT NULL, persona_id TEXT NOT NULL,
            created_at INTEGER NOT NULL, doc TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS ix_batches_persona ON batches(owner, persona_id, created_at);
        """;

    public Task SaveBatchAsync(Batch batch, CancellationToken ct = default) => Write(c => c.Execute(
        "INSERT OR IGNORE INTO batches(id, owner, persona_id, created_at, doc) "
        + "VALUES ($id, $owner, $persona, $created, $doc)",
        ("$id", batch.Id), ("$owner", batch.Owner), ("$persona", batch.PersonaId),
        ("$created", batch.CreatedAt.UtcTicks), ("$doc", json.Serialize(batch))));

    public Task<Batch?> GetBatchAsync(string owner, string id, CancellationToken ct = default) =>
        Read(c => FindBatch(c, owner, id));

    public Task<Batch?> UpdateBatchAsync(string owner, string id, Func<Batch, Batch> change,
        CancellationToken ct = default) => Write(c =>
    {
        if (FindBatch(c, owner, id) is not { } current) return null;
        var updated = change(current);
        if (ReferenceEquals(updated, current)) return current;
        c.Execute("UPDATE batches SET doc = $doc WHERE id = $id", ("$doc", json.Serialize(updated)), ("$id", id));
        return updated;
    });

    public Task<IReadOnlyList<Batch>> ListBatchesAsync(string owner, string personaId,
        CancellationToken ct = default) =>
        Read<IReadOnlyList<Batch>>(c => c.Query(
            "SELECT doc FROM batches WHERE owner = $owner AND persona_id = $persona ORDER BY created_at, id",
            r => json.Deserialize<Batch>(r.GetString(0))!, ("$owner", owner), ("$persona", personaId)));

    private Batch? FindBatch(Microsoft.Data.Sqlite.SqliteConnection c, string owner, string id) =>
        c.Query("SELECT doc FROM batches WHERE owner = $owner AND id = $id",
            r => json.Deserialize<Batch>(r.GetString(0)), ("$owner", owner), ("$id", id)).FirstOrDefault();
}
