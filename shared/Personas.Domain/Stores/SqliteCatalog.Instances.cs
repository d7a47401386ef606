namespace Personas.Domain.Stores;

public sealed partial class SqliteCatalog
{
    private const string InstanceLedgerSchema = """

        CREATE TABLE IF NOT EXISTS durable_instances(instance_id TEXT PRIMARY KEY, owner TEXT NOT NULL,
            request_hash TEXT, claimed_at INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS durable_events(instance_id TEXT NOT NULL, event_id TEXT NOT NULL,
            PRIMARY KEY(instance_id, event_id));
        """;

    public Task<InstanceClaim> ClaimAsync(string instanceId, string owner, string? requestHash, DateTimeOffset at,
        CancellationToken ct = default) => Write(c =>
    {
        c.Execute("""
            INSERT OR IGNORE INTO durable_instances(instance_id, owner, request_hash, claimed_at)
            VALUES ($id, $owner, $hash, $at)
            """, ("$id", instanceId), ("$owner", owner), ("$hash", requestHash), ("$at", at.UtcTicks));
        return ReadClaim(c, instanceId)!;
    });

    public Task<InstanceClaim?> FindClaimAsync(string instanceId, CancellationToken ct = default) =>
        Read(c => ReadClaim(c, instanceId));

    public Task<IReadOnlySet<string>> OwnedAsync(string owner, IReadOnlyCollection<string> instanceIds,
        CancellationToken ct = default) => Read<IReadOnlySet<string>>(c =>
    {
        var owned = new HashSet<string>(StringComparer.Ordinal);
        foreach (var id in instanceIds)
            if (ReadClaim(c, id)?.Owner == owner) owned.Add(id);
        return owned;
    });

    public Task<bool> TryRecordEventAsync(string instanceId, string eventId, CancellationToken ct = default) =>
        Write(c => c.Execute("INSERT OR IGNORE INTO durable_events(instance_id, event_id) VALUES ($id, $event)",
            ("$id", instanceId), ("$event", eventId)) == 1);

    public Task ForgetEventAsync(string instanceId, string eventId, CancellationToken ct = default) =>
        Write(c => c.Execute("DELETE FROM durable_events WHERE instance_id = $id AND event_id = $event",
            ("$id", instanceId), ("$event", eventId)));

    public Task ForgetInstanceAsync(string instanceId, CancellationToken ct = default) => Write(c =>
        c.Execute("DELETE FROM durable_events WHERE instance_id = $id", ("$id", instanceId))
        + c.Execute("DELETE FROM durable_instances WHERE instance_id = $id", ("$id", instanceId)));

    private static InstanceClaim? ReadClaim(Microsoft.Data.Sqlite.SqliteConnection c, string instanceId) =>
        c.Query("SELECT instance_id, owner, request_hash, claimed_at FROM durable_instances WHERE instance_id = $id",
            r => new InstanceClaim(r.GetString(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2),
                new DateTimeOffset(r.GetInt64(3), TimeSpan.Zero)), ("$id", instanceId)).FirstOrDefault();
}
