using Microsoft.Data.Sqlite;
using Personas.Domain.Personas;
using Personas.Domain.Photos;
using Personas.Domain.Generations;
using Personas.Domain.Training;
using Personas.Durable;


namespace Personas.Domain.Stores;

/// <summary>
/// The catalog as JSON documents in SQLite tables, in the same file as the durable runtime. Rows carry the owner, and
/// every query filters on it. Writes take BEGIN IMMEDIATE so read-modify-write is atomic across processes.
/// </summary>
public sealed partial class SqliteCatalog(string databasePath, PersonasDataConverter json)
    : ICatalog, IPostCatalog, IInstanceLedger
{
    private readonly string _connectionString = new SqliteConnectionStringBuilder { DataSource = Path.GetFullPath(databasePath), Pooling = true }.ToString();

    public Task InitializeAsync(CancellationToken ct = default)
    {
        SQLitePCL.Batteries_V2.Init();
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(databasePath))!);
        return Write(c =>
        {
            c.Execute("""
            CREATE TABLE IF NOT EXISTS personas(id TEXT PRIMARY KEY, owner TEXT NOT NULL, trigger_word TEXT NOT NULL, created_at INTEGER NOT NULL, doc TEXT NOT NULL);
            CREATE UNIQUE INDEX IF NOT EXISTS ux_personas_trigger ON personas(owner, trigger_word);
            CREATE TABLE IF NOT EXISTS photos(id TEXT PRIMARY KEY, persona_id TEXT NOT NULL, owner TEXT NOT NULL, created_at INTEGER NOT NULL, doc TEXT NOT NULL);
            CREATE INDEX IF NOT EXISTS ix_photos_persona ON photos(owner, persona_id, created_at);
            CREATE TABLE IF NOT EXISTS audit(seq INTEGER PRIMARY KEY AUTOINCREMENT, owner TEXT NOT NULL, persona_id TEXT NOT NULL, action TEXT NOT NULL, at INTEGER NOT NULL, details TEXT NOT NULL);
            CREATE INDEX IF NOT EXISTS ix_audit_owner ON audit(owner, seq);
            CREATE TABLE IF NOT EXISTS costs(seq INTEGER PRIMARY KEY AUTOINCREMENT, owner TEXT NOT NULL, persona_id TEXT NOT NULL, doc TEXT NOT NULL);
            CREATE INDEX IF NOT EXISTS ix_costs_persona ON costs(owner, persona_id, seq);
            CREATE TABLE IF NOT EXISTS provider_jobs(provider TEXT NOT NULL, job_id TEXT NOT NULL, owner TEXT NOT NULL, persona_id TEXT NOT NULL, instance_id TEXT NOT NULL, PRIMARY KEY(provider, job_id));
            CREATE TABLE IF NOT EXISTS generations(id TEXT PRIMARY KEY, owner TEXT NOT NULL, persona_id TEXT NOT NULL, created_at INTEGER NOT NULL, doc TEXT NOT NULL);
            CREATE INDEX IF NOT EXISTS ix_generations_persona ON generations(owner, persona_id, created_at);
            CREATE TABLE IF NOT EXISTS posts(id TEXT PRIMARY KEY, owner TEXT NOT NULL, persona_id TEXT, status TEXT NOT NULL, created_at INTEGER NOT NULL, doc TEXT NOT NULL);
            CREATE INDEX IF NOT EXISTS ix_posts_owner ON posts(owner, created_at, id);
            CREATE TABLE IF NOT EXISTS brand_kits(owner TEXT PRIMARY KEY, doc TEXT NOT NULL);
            """ + InstanceLedgerSchema + ChatSchema + BatchesSchema);
            CreateAnalyticsTables(c);
            return AddCostKeys(c);
        });
    }

    /// <summary>
    /// Migration: costs written before keys existed keep a NULL key (SQLite's unique index lets NULLs repeat); keyed
    /// paid calls are unique per (instance, task, attempt).
    /// </summary>
    private static int AddCostKeys(SqliteConnection c)
    {
        if (!c.Query("PRAGMA table_info(costs)", r => r.GetString(1)).Contains("cost_key"))
            c.Execute("ALTER TABLE costs ADD COLUMN cost_key TEXT");
        return c.Execute("CREATE UNIQUE INDEX IF NOT EXISTS ux_costs_key ON costs(cost_key)");
    }

    public Task<bool> TryCreatePersonaAsync(Persona persona, CancellationToken ct = default) => Write(c =>
        c.Execute("INSERT OR IGNORE INTO personas(id, owner, trigger_word, created_at, doc) VALUES ($id, $owner, $trigger, $created, $doc)",
            ("$id", persona.Id), ("$owner", persona.Owner), ("$trigger", persona.TriggerWord), ("$created", persona.CreatedAt.UtcTicks),
            ("$doc", json.Serialize(persona))) == 1);

    public Task<Persona?> GetPersonaAsync(string owner, string id, CancellationToken ct = default) =>
        Read(c => c.Query("SELECT doc FROM personas WHERE owner = $owner AND id = $id", r => json.Deserialize<Persona>(r.GetString(0)), ("$owner", owner), ("$id", id))
            .FirstOrDefault());

    public Task<IReadOnlyList<Persona>> ListPersonasAsync(string owner, CancellationToken ct = default) =>
        Read<IReadOnlyList<Persona>>(c => c.Query("SELECT doc FROM personas WHERE owner = $owner ORDER BY created_at, id",
            r => json.Deserialize<Persona>(r.GetString(0))!, ("$owner", owner)));

    /// <summary>Statuses live only in the documents; this runs once at startup, so it reads them all.</summary>
    public Task<IReadOnlyList<Persona>> ListPersonasInStatusAsync(IReadOnlyCollection<PersonaStatus> statuses,
        CancellationToken ct = default) =>
        Read<IReadOnlyList<Persona>>(c => c.Query("SELECT doc FROM personas ORDER BY created_at, id",
                r => json.Deserialize<Persona>(r.GetString(0))!)
            .Where(p => statuses.Contains(p.Status)).ToList());

    public Task<Persona?> UpdatePersonaAsync(string owner, string id, Func<Persona, Persona> change, CancellationToken ct = default) => Write(c =>
    {
        var current = c.Query("SELECT doc FROM personas WHERE owner = $owner AND id = $id", r => json.Deserialize<Persona>(r.GetString(0)), ("$owner", owner), ("$id", id))
            .FirstOrDefault();
        if (current is null) return null;
        var updated = change(current);
        c.Execute("UPDATE personas SET doc = $doc WHERE id = $id", ("$doc", json.Serialize(updated)), ("$id", id));
        return updated;
    });

    public Task<IReadOnlyList<Photo>> ListPhotosAsync(string owner, string personaId, CancellationToken ct = default) =>
        Read<IReadOnlyList<Photo>>(c => c.Query("SELECT doc FROM photos WHERE owner = $owner AND persona_id = $persona ORDER BY created_at, id",
            r => json.Deserialize<Photo>(r.GetString(0))!, ("$owner", owner), ("$persona", personaId)));

    public Task<bool> TryAddPhotosAsync(string owner, string personaId, IReadOnlyList<Photo> photos, int maxPhotos, CancellationToken ct = default) => Write(c =>
    {
        // Photos racing a deletion must not outlive the persona.
        if (c.Query("SELECT 1 FROM personas WHERE owner = $owner AND id = $persona", r => r.GetInt32(0),
                ("$owner", owner), ("$persona", personaId)).Count == 0) return false;
        var existing = c.Query("SELECT count(*) FROM photos WHERE owner = $owner AND persona_id = $persona", r => r.GetInt32(0), ("$owner", owner), ("$persona", personaId))[0];
        if (existing + photos.Count > maxPhotos) return false;
        foreach (var p in photos)
            c.Execute("INSERT INTO photos(id, persona_id, owner, created_at, doc) VALUES ($id, $persona, $owner, $created, $doc)",
                ("$id", p.Id), ("$persona", personaId), ("$owner", owner), ("$created", p.CreatedAt.UtcTicks), ("$doc", json.Serialize(p)));
        return true;
    });

    public Task UpdatePhotoAsync(Photo photo, CancellationToken ct = default) => Write(c =>
        c.Execute("UPDATE photos SET doc = $doc WHERE id = $id AND owner = $owner", ("$doc", json.Serialize(photo)), ("$id", photo.Id), ("$owner", photo.Owner)));

    public Task<Photo?> DeletePhotoAsync(string owner, string personaId, string photoId, CancellationToken ct = default) => Write(c =>
    {
        var photo = c.Query("SELECT doc FROM photos WHERE owner = $owner AND persona_id = $persona AND id = $id", r => json.Deserialize<Photo>(r.GetString(0)),
            ("$owner", owner), ("$persona", personaId), ("$id", photoId)).FirstOrDefault();
        if (photo is not null) c.Execute("DELETE FROM photos WHERE id = $id", ("$id", photoId));
        return photo;
    });

    public async Task<int?> DeletePersonaAsync(string owner, string personaId, AuditEntry audit,
        CancellationToken ct = default)
    {
        var photos = await DeletePersonaRowsAsync(owner, personaId, audit);
        if (photos is not null) EraseFreedPages();
        return photos;
    }

    private Task<int?> DeletePersonaRowsAsync(string owner, string personaId, AuditEntry audit) => Write(c =>
    {
        if (c.Execute("DELETE FROM personas WHERE owner = $owner AND id = $id", ("$owner", owner), ("$id", personaId)) == 0) return (int?)null;
        var photos = c.Execute("DELETE FROM photos WHERE owner = $owner AND persona_id = $id", ("$owner", owner), ("$id", personaId));
        c.Execute("DELETE FROM provider_jobs WHERE owner = $owner AND persona_id = $id", ("$owner", owner), ("$id", personaId));
        c.Execute("DELETE FROM costs WHERE owner = $owner AND persona_id = $id", ("$owner", owner), ("$id", personaId));
        c.Execute("DELETE FROM generations WHERE owner = $owner AND persona_id = $id", ("$owner", owner), ("$id", personaId));
        c.Execute("DELETE FROM posts WHERE owner = $owner AND persona_id = $id", ("$owner", owner), ("$id", personaId));
        DeletePersonaSamples(c, owner, personaId);
        c.Execute("DELETE FROM chat_conversations WHERE owner = $owner AND persona_id = $id",
            ("$owner", owner), ("$id", personaId));
        c.Execute("DELETE FROM batches WHERE owner = $owner AND persona_id = $id",
            ("$owner", owner), ("$id", personaId));
        c.Execute("INSERT INTO audit(owner, persona_id, action, at, details) VALUES ($owner, $id, $action, $at, $details)",
            ("$owner", owner), ("$id", personaId), ("$action", audit.Action), ("$at", audit.At.UtcTicks), ("$details", audit.Details));
        return photos;
    });

    public Task<IReadOnlyList<AuditEntry>> ListAuditAsync(string owner, CancellationToken ct = default) =>
        Read<IReadOnlyList<AuditEntry>>(c => c.Query("SELECT owner, persona_id, action, at, details FROM audit WHERE owner = $owner ORDER BY seq",
            r => new AuditEntry(r.GetString(0), r.GetString(1), r.GetString(2), new DateTimeOffset(r.GetInt64(3), TimeSpan.Zero), r.GetString(4)), ("$owner", owner)));

    public Task RecordProviderJobAsync(ProviderJobLink link, CancellationToken ct = default) => Write(c =>
        c.Execute("INSERT OR REPLACE INTO provider_jobs(provider, job_id, owner, persona_id, instance_id) VALUES ($provider, $job, $owner, $persona, $instance)",
            ("$provider", link.Provider), ("$job", link.JobId), ("$owner", link.Owner), ("$persona", link.PersonaId), ("$instance", link.InstanceId)));

    public Task<IReadOnlyList<ProviderJobLink>> ListProviderJobsAsync(string owner, string personaId, CancellationToken ct = default) =>
        Read<IReadOnlyList<ProviderJobLink>>(c => c.Query("SELECT provider, job_id, owner, persona_id, instance_id FROM provider_jobs WHERE owner = $owner AND persona_id = $persona",
            r => new ProviderJobLink(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4)), ("$owner", owner), ("$persona", personaId)));

    public Task<ProviderJobLink?> FindProviderJobAsync(string provider, string jobId, CancellationToken ct = default) =>
        Read(c => c.Query("SELECT provider, job_id, owner, persona_id, instance_id FROM provider_jobs WHERE provider = $provider AND job_id = $job",
            r => new ProviderJobLink(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4)), ("$provider", provider), ("$job", jobId)).FirstOrDefault());

    public Task RecordCostAsync(CostEntry entry, CancellationToken ct = default) => Write(c =>
        c.Execute("INSERT INTO costs(owner, persona_id, doc) VALUES ($owner, $persona, $doc)", ("$owner", entry.Owner), ("$persona", entry.PersonaId), ("$doc", json.Serialize(entry))));

    public Task<bool> TryRecordPaidCallAsync(CostEntry entry, CancellationToken ct = default)
    {
        var key = entry.Key ?? throw new ArgumentException("A paid call needs its key.", nameof(entry));
        return Write(c => c.Execute(
            "INSERT OR IGNORE INTO costs(owner, persona_id, cost_key, doc) VALUES ($owner, $persona, $key, $doc)",
            ("$owner", entry.Owner), ("$persona", entry.PersonaId), ("$key", key.ToString()),
            ("$doc", json.Serialize(entry))) == 1);
    }

    public Task<CostEntry?> FindPaidCallAsync(string owner, CostKey key, CancellationToken ct = default) =>
        Read(c => c.Query("SELECT doc FROM costs WHERE owner = $owner AND cost_key = $key",
            r => json.Deserialize<CostEntry>(r.GetString(0)), ("$owner", owner), ("$key", key.ToString()))
            .FirstOrDefault());

    public Task<IReadOnlyList<CostEntry>> ListCostsAsync(string owner, string personaId, CancellationToken ct = default) =>
        Read<IReadOnlyList<CostEntry>>(c => c.Query("SELECT doc FROM costs WHERE owner = $owner AND persona_id = $persona ORDER BY seq",
            r => json.Deserialize<CostEntry>(r.GetString(0))!, ("$owner", owner), ("$persona", personaId)));

    public Task<decimal> OwnerSpentUsdAsync(string owner, CancellationToken ct = default) =>
        Read(c => c.Query("SELECT doc FROM costs WHERE owner = $owner", r => json.Deserialize<CostEntry>(r.GetString(0))!.EstimatedUsd, ("$owner", owner)).Sum());

    public Task SaveGenerationAsync(Generation generation, CancellationToken ct = default) => Write(c =>
        c.Execute("INSERT OR REPLACE INTO generations(id, owner, persona_id, created_at, doc) VALUES ($id, $owner, $persona, $created, $doc)",
            ("$id", generation.Id), ("$owner", generation.Owner), ("$persona", generation.PersonaId), ("$created", generation.CreatedAt.UtcTicks),
            ("$doc", json.Serialize(generation))));

    public Task<Generation?> GetGenerationAsync(string owner, string id, CancellationToken ct = default) =>
        Read(c => c.Query("SELECT doc FROM generations WHERE owner = $owner AND id = $id", r => json.Deserialize<Generation>(r.GetString(0))!,
            ("$owner", owner), ("$id", id)).FirstOrDefault());

    public Task<IReadOnlyList<Generation>> ListGenerationsAsync(string owner, string personaId, CancellationToken ct = default) =>
        Read<IReadOnlyList<Generation>>(c => c.Query("SELECT doc FROM generations WHERE owner = $owner AND persona_id = $persona ORDER BY created_at",
            r => json.Deserialize<Generation>(r.GetString(0))!, ("$owner", owner), ("$persona", personaId)));

    /// <summary>
    /// secure_delete zeroes deleted rows in place, but the WAL keeps older copies of every page the deletion touched,
    /// and b-tree rebalancing leaves copies in pages' unused space: VACUUM rewrites the file with live rows only and a
    /// truncating checkpoint empties the WAL. Both wait (busy_timeout) for other writers and readers; if one holds on
    /// past it, the next deletion erases again. Returns whether the WAL was emptied.
    /// </summary>
    public bool EraseFreedPages()
    {
        try
        {
            using var connection = Open();
            connection.Execute("VACUUM");
            return connection.Query("PRAGMA wal_checkpoint(TRUNCATE)", r => r.GetInt32(0)).Single() == 0;
        }
        catch (SqliteException)
        {
            return false; // the deletion itself has committed; only the erasure of old page copies is late
        }
    }

    private Task<T> Write<T>(Func<SqliteConnection, T> write)
    {
        using var connection = Open();
        using var transaction = connection.BeginTransaction(deferred: false);
        var result = write(connection);
        transaction.Commit();
        return Task.FromResult(result);
    }

    private Task<T> Read<T>(Func<SqliteConnection, T> read)
    {
        using var connection = Open();
        return Task.FromResult(read(connection));
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        // Deleted rows are overwritten, not just unlinked: a deleted persona leaves nothing readable in the file.
        connection.Execute("PRAGMA busy_timeout = 30000; PRAGMA secure_delete = ON;");
        return connection;
    }
}
