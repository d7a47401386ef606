using Microsoft.Data.Sqlite;
using Personas.Domain.Analytics;
using Personas.Domain.Posts;

namespace Personas.Domain.Stores;

public sealed partial class SqliteCatalog : IAnalyticsCatalog
{
    /// <summary>One row per post and offset, so a repeated collection replaces its sample.</summary>
    private static int CreateAnalyticsTables(SqliteConnection c) => c.Execute("""
        CREATE TABLE IF NOT EXISTS engagement_samples(owner TEXT NOT NULL, post_id TEXT NOT NULL,
            after_hours REAL NOT NULL, persona_id TEXT, platform TEXT NOT NULL, at INTEGER NOT NULL, doc TEXT NOT NULL,
            PRIMARY KEY(owner, post_id, after_hours));
        CREATE INDEX IF NOT EXISTS ix_samples_persona ON engagement_samples(owner, persona_id, at);
        CREATE INDEX IF NOT EXISTS ix_samples_platform ON engagement_samples(owner, platform, at);
        """);

    private static void DeletePersonaSamples(SqliteConnection c, string owner, string personaId) =>
        c.Execute("DELETE FROM engagement_samples WHERE owner = $owner AND persona_id = $id",
            ("$owner", owner), ("$id", personaId));

    public Task SaveSampleAsync(EngagementSample sample, CancellationToken ct = default) => Write(c => c.Execute(
        """
        INSERT OR REPLACE INTO engagement_samples(owner, post_id, after_hours, persona_id, platform, at, doc)
        VALUES ($owner, $post, $hours, $persona, $platform, $at, $doc)
        """,
        ("$owner", sample.Owner), ("$post", sample.PostId), ("$hours", sample.AfterHours),
        ("$persona", sample.PersonaId), ("$platform", sample.Platform.ToString()), ("$at", sample.At.UtcTicks),
        ("$doc", json.Serialize(sample))));

    public Task<IReadOnlyList<EngagementSample>> ListPostSamplesAsync(string owner, string postId,
        CancellationToken ct = default) =>
        Samples("owner = $owner AND post_id = $key", owner, postId);

    public Task<IReadOnlyList<EngagementSample>> ListPersonaSamplesAsync(string owner, string personaId,
        CancellationToken ct = default) =>
        Samples("owner = $owner AND persona_id = $key", owner, personaId);

    public Task<IReadOnlyList<EngagementSample>> ListPlatformSamplesAsync(string owner, SocialPlatform platform,
        CancellationToken ct = default) =>
        Samples("owner = $owner AND platform = $key", owner, platform.ToString());

    private Task<IReadOnlyList<EngagementSample>> Samples(string where, string owner, string key) =>
        Read<IReadOnlyList<EngagementSample>>(c => c.Query(
            $"SELECT doc FROM engagement_samples WHERE {where} ORDER BY at, post_id",
            r => json.Deserialize<EngagementSample>(r.GetString(0))!, ("$owner", owner), ("$key", key)));
}
