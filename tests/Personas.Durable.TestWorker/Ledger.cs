using Microsoft.Data.Sqlite;

namespace Personas.Durable.TestWorker;

/// <summary>
/// An external system that activities write to, outside the durable store. Each write is keyed by the activity's
/// idempotency key, which is how a real activity turns at-least-once delivery into an exactly-once effect. Every
/// attempt is counted too, so a test can see that redelivery really happened.
/// </summary>
public sealed class Ledger(string path)
{
    private readonly string _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString();

    public void Create()
    {
        SQLitePCL.Batteries_V2.Init();
        Run("""
            PRAGMA journal_mode = WAL;
            CREATE TABLE IF NOT EXISTS effects(key TEXT PRIMARY KEY, instance_id TEXT NOT NULL, value INTEGER NOT NULL);
            CREATE TABLE IF NOT EXISTS attempts(key TEXT NOT NULL);
            """);
    }

    /// <summary>Counts an execution of the activity, whether or not it gets to write.</summary>
    public void RecordAttempt(string key) => Run("INSERT INTO attempts(key) VALUES ($key)", ("$key", key));

    public void Write(string key, string instanceId, int value)
    {
        Run("INSERT INTO effects(key, instance_id, value) VALUES ($key, $instance, $value) ON CONFLICT(key) DO NOTHING",
            ("$key", key), ("$instance", instanceId), ("$value", value));
    }

    public List<(string Key, string InstanceId, int Value)> Effects() =>
        Query("SELECT key, instance_id, value FROM effects", r => (r.GetString(0), r.GetString(1), r.GetInt32(2)));

    /// <summary>The steps that ran more than once (redelivered after a kill), with how often each ran.</summary>
    public List<(string Key, int Runs)> Repeated() =>
        Query("SELECT key, count(*) FROM attempts GROUP BY key HAVING count(*) > 1 ORDER BY key",
            r => (r.GetString(0), r.GetInt32(1)));

    /// <summary>How often one step started, and whether its effect landed.</summary>
    public (int Attempts, bool Effect) Step(string key) =>
        (Query("SELECT count(*) FROM attempts WHERE key = $key", r => r.GetInt32(0), ("$key", key))[0],
            Query("SELECT count(*) FROM effects WHERE key = $key", r => r.GetInt32(0), ("$key", key))[0] > 0);

    public int AttemptCount() => Query("SELECT count(*) FROM attempts", r => r.GetInt32(0))[0];

    private void Run(string sql, params (string, object)[] parameters)
    {
        using var c = Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        foreach (var (n, v) in parameters) cmd.Parameters.AddWithValue(n, v);
        cmd.ExecuteNonQuery();
    }

    private List<T> Query<T>(string sql, Func<SqliteDataReader, T> read, params (string, object)[] parameters)
    {
        using var c = Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        foreach (var (name, value) in parameters) cmd.Parameters.AddWithValue(name, value);
        using var r = cmd.ExecuteReader();
        var rows = new List<T>();
        while (r.Read()) rows.Add(read(r));
        return rows;
    }

    private SqliteConnection Open()
    {
        var c = new SqliteConnection(_connectionString);
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "PRAGMA busy_timeout = 30000;";
        cmd.ExecuteNonQuery();
        return c;
    }
}
