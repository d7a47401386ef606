using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace Personas.Durable.Sqlite;

/// <summary>
/// One SQLite file in WAL mode. All writes of this process go through one connection and one loop, which groups
/// whatever is queued into one transaction (group commit): each operation runs in its own SAVEPOINT, so one failing
/// operation rolls back alone while the others commit. Other processes are kept out by SQLite's own locking
/// (BEGIN IMMEDIATE plus busy_timeout); leases and lock tokens do the rest. Reads use pooled connections.
/// </summary>
internal sealed class SqliteDb : IDisposable
{
    private const int MaxGroup = 128;
    private readonly string _connectionString;
    private readonly Channel<IWrite> _writes = Channel.CreateUnbounded<IWrite>(new() { SingleReader = true });
    private readonly Dictionary<string, SqliteCommand> _statements = new(StringComparer.Ordinal);
    private SqliteConnection? _writer;
    private Task? _loop;
    private bool _erasePending;

    public SqliteDb(string path)
    {
        SQLitePCL.Batteries_V2.Init();
        Path = System.IO.Path.GetFullPath(path);
        _connectionString = new SqliteConnectionStringBuilder { DataSource = Path, Pooling = true }.ToString();
    }

    public string Path { get; }

    /// <summary>
    /// Queues a write for the next group. With <paramref name="erase"/>, the group's commit is followed, before the
    /// result is published, by a VACUUM and a truncating checkpoint: deleted rows stay readable in free pages and in
    /// the unused space of pages that b-tree balancing rebuilt (secure_delete does not reach the latter), and the WAL
    /// holds older copies of every page it touched until it is checkpointed and cut to zero bytes.
    /// </summary>
    public Task<T> WriteAsync<T>(Func<SqliteConnection, T> write, bool erase = false)
    {
        var op = new Write<T>(write, erase);
        if (!_writes.Writer.TryWrite(op)) throw new ObjectDisposedException(nameof(SqliteDb));
        lock (_writes) _loop ??= Task.Run(WriteLoop);
        return op.Result.Task;
    }

    public T Read<T>(Func<SqliteConnection, T> read)
    {
        using var connection = Open(writer: false);
        return read(connection);
    }

    public void Dispose()
    {
        _writes.Writer.TryComplete();
        try { _loop?.Wait(TimeSpan.FromSeconds(10)); } catch (AggregateException) { }
        foreach (var command in _statements.Values) command.Dispose();
        _writer?.Dispose();
    }

    private async Task WriteLoop()
    {
        var group = new List<IWrite>(MaxGroup);
        while (await _writes.Reader.WaitToReadAsync())
        {
            while (group.Count < MaxGroup && _writes.Reader.TryRead(out var op)) group.Add(op);
            try
            {
                _writer ??= Open(writer: true);
                Control("BEGIN IMMEDIATE");
                foreach (var op in group) op.Execute(this, _writer);
                Control("COMMIT");
                _erasePending |= group.Exists(op => op.Erase);
                if (_erasePending) _erasePending = !Erase(_writer);
                foreach (var op in group) op.Publish();
            }
            catch (Exception e)
            {
                // The commit itself failed (busy beyond the timeout, disk): nothing of the group was written.
                try { Run(_writer!, "ROLLBACK"); } catch (SqliteException) { }
                foreach (var op in group) op.Fail(e);
            }
            group.Clear();
        }
    }

    /// <summary>A cached command on the writer: SQLite prepares each statement once, not per call.</summary>
    public SqliteCommand Command(SqliteConnection connection, string sql)
    {
        if (!ReferenceEquals(connection, _writer))
        {
            var owned = connection.CreateCommand();
            owned.CommandText = sql;
            return owned;
        }
        if (!_statements.TryGetValue(sql, out var command))
        {
            command = _statements[sql] = connection.CreateCommand();
            command.CommandText = sql;
        }
        command.Parameters.Clear();
        return command;
    }

    /// <summary>
    /// Transaction control on the writer, prepared once like the rest (two of these run per operation).
    /// </summary>
    private void Control(string sql) => Command(_writer!, sql).ExecuteNonQuery();

    public bool IsCached(SqliteConnection connection) => ReferenceEquals(connection, _writer);

    /// <summary>
    /// Rewrites the file with its live rows only (VACUUM), copies the WAL into it and truncates the WAL. The
    /// checkpoint waits (busy_timeout) for readers of older snapshots; if one still holds on, or the VACUUM fails,
    /// the next commit tries again. False then.
    /// </summary>
    private static bool Erase(SqliteConnection connection)
    {
        try
        {
            Run(connection, "VACUUM");
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
            using var reader = command.ExecuteReader();
            return reader.Read() && reader.GetInt32(0) == 0; // columns: busy, log frames, checkpointed frames
        }
        catch (SqliteException)
        {
            return false; // the commit stands; only the erasure of old page copies waits for the next try
        }
    }

    private static void Run(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private SqliteConnection Open(bool writer)
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        // NORMAL with WAL: a commit is durable against a process crash, and against power loss up to the last
        // checkpoint; FULL would fsync every commit, which is what kept the old engine slow.
        Run(connection, writer
            ? "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 30000;"
            : "PRAGMA busy_timeout = 30000;");
        return connection;
    }

    private interface IWrite
    {
        bool Erase { get; }
        void Execute(SqliteDb db, SqliteConnection connection);
        void Publish();
        void Fail(Exception error);
    }

    private sealed class Write<T>(Func<SqliteConnection, T> write, bool erase) : IWrite
    {
        private T? _value;
        private Exception? _error;

        public bool Erase => erase;

        public TaskCompletionSource<T> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Execute(SqliteDb db, SqliteConnection connection)
        {
            db.Control("SAVEPOINT op");
            try
            {
                _value = write(connection);
                _error = null;
                db.Control("RELEASE op");
            }
            catch (Exception e) when (e is not SqliteException { SqliteErrorCode: 5 or 6 })
            {
                // This operation alone is undone; a busy/locked error is left to fail the whole group instead.
                db.Control("ROLLBACK TO op");
                db.Control("RELEASE op");
                _error = e;
            }
        }

        public void Publish()
        {
            if (_error is null) Result.TrySetResult(_value!);
            else Result.TrySetException(_error);
        }

        public void Fail(Exception error) => Result.TrySetException(error);
    }
}
