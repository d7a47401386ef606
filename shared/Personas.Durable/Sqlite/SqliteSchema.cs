namespace Personas.Durable.Sqlite;

/// <summary>
/// The tables. Times are UTC ticks: <c>lock_until</c> of the lease clock (real time), the rest of the service's
/// injected clock. An instance's inbox (<c>messages</c>) holds everything
/// that wakes it, timers included: a timer is a message whose <c>visible_at</c> is its FireAt, so overdue timers and
/// events sort together by when they became due.
/// </summary>
internal static class SqliteSchema
{
    public const int Version = 3;

    public const string Create = """
        CREATE TABLE IF NOT EXISTS schema_info(version INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS instances(
            id TEXT PRIMARY KEY,
            execution_id TEXT NOT NULL,
            name TEXT NOT NULL,
            version TEXT,
            status INTEGER NOT NULL,
            input TEXT,
            output TEXT,
            custom_status TEXT,
            failure TEXT,
            tags TEXT,
            parent TEXT,
            scheduled_start INTEGER,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            completed_at INTEGER,
            lock_token TEXT,
            lock_until INTEGER NOT NULL DEFAULT 0,
            history_count INTEGER NOT NULL DEFAULT 0,
            abandons INTEGER NOT NULL DEFAULT 0);
        CREATE INDEX IF NOT EXISTS ix_instances_created ON instances(created_at, id);
        CREATE INDEX IF NOT EXISTS ix_instances_lock ON instances(lock_token);
        CREATE TABLE IF NOT EXISTS history(
            instance_id TEXT NOT NULL,
            seq INTEGER NOT NULL,
            event TEXT NOT NULL,
            PRIMARY KEY(instance_id, seq)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS messages(
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            instance_id TEXT NOT NULL,
            execution_id TEXT,
            event_type INTEGER NOT NULL,
            visible_at INTEGER NOT NULL,
            event TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS ix_messages_visible ON messages(visible_at, instance_id);
        CREATE INDEX IF NOT EXISTS ix_messages_instance ON messages(instance_id, visible_at);
        CREATE TABLE IF NOT EXISTS activities(
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            instance_id TEXT NOT NULL,
            execution_id TEXT NOT NULL,
            task_id INTEGER NOT NULL,
            event TEXT NOT NULL,
            lock_token TEXT,
            lock_until INTEGER NOT NULL DEFAULT 0,
            abandons INTEGER NOT NULL DEFAULT 0,
            UNIQUE(instance_id, execution_id, task_id));
        CREATE INDEX IF NOT EXISTS ix_activities_lock ON activities(lock_until);
        CREATE INDEX IF NOT EXISTS ix_activities_token ON activities(lock_token);
        """;

    /// <summary>Columns added since version 2, added to an older file in place.</summary>
    public static readonly (string Table, string Column, string Definition)[] Added =
    [
        ("instances", "abandons", "INTEGER NOT NULL DEFAULT 0"),
        ("activities", "abandons", "INTEGER NOT NULL DEFAULT 0"),
    ];

    /// <summary>
    /// An abandoned row's lock_until: now plus the backoff, which doubles with each abandon in a row
    /// (<c>abandons</c>) up to a cap.
    /// </summary>
    public const string AbandonedUntil = "$now + min($max, $base * (1 << min(abandons, 20)))";

    public const string InstanceColumns = "id, execution_id, name, version, status, input, output, custom_status, " +
        "failure, tags, parent, scheduled_start, created_at, updated_at, completed_at";
}
