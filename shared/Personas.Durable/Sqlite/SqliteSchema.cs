namespace Personas.Durable.Sqlite;

/// <summary>
/// The tables behind the SQLite store. Times are UTC ticks. An instance's inbox (messages) holds everything that
/// will wake it, including timers, which are messages that become visible when they are due.
/// </summary>
internal static class SqliteSchema
{
    public const int Version = 1;

    public const string Create = """
        CREATE TABLE IF NOT EXISTS schema_info(version INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS instances(
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            version TEXT,
            execution_id TEXT NOT NULL,
            status INTEGER NOT NULL,
            input TEXT,
            output TEXT,
            custom_status TEXT,
            failure TEXT,
            tags TEXT,
            parent TEXT,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            completed_at INTEGER,
            lock_owner TEXT,
            lock_until INTEGER NOT NULL DEFAULT 0,
            history_count INTEGER NOT NULL DEFAULT 0);
        CREATE INDEX IF NOT EXISTS ix_instances_created ON instances(created_at, id);
        CREATE INDEX IF NOT EXISTS ix_instances_status ON instances(status, created_at, id);
        CREATE TABLE IF NOT EXISTS history(
            instance_id TEXT NOT NULL,
            seq INTEGER NOT NULL,
            event TEXT NOT NULL,
            PRIMARY KEY(instance_id, seq)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS messages(
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            instance_id TEXT NOT NULL,
            id TEXT NOT NULL,
            execution_id TEXT,
            control INTEGER NOT NULL,
            visible_at INTEGER NOT NULL,
            event TEXT NOT NULL,
            UNIQUE(instance_id, id));
        CREATE INDEX IF NOT EXISTS ix_messages_visible ON messages(visible_at, instance_id);
        CREATE TABLE IF NOT EXISTS activities(
            id TEXT PRIMARY KEY,
            instance_id TEXT NOT NULL,
            execution_id TEXT NOT NULL,
            task_id INTEGER NOT NULL,
            name TEXT NOT NULL,
            input TEXT,
            visible_at INTEGER NOT NULL,
            lock_owner TEXT,
            lock_until INTEGER NOT NULL DEFAULT 0,
            deliveries INTEGER NOT NULL DEFAULT 0);
        CREATE INDEX IF NOT EXISTS ix_activities_due ON activities(lock_until, visible_at);
        CREATE INDEX IF NOT EXISTS ix_activities_instance ON activities(instance_id);
        """;

    public const string InstanceColumns =
        "id, name, version, execution_id, status, input, output, custom_status, failure, tags, parent, created_at, updated_at, completed_at, history_count";
}
