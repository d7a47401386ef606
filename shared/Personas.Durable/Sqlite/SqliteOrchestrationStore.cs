using System.Text;
using Microsoft.Data.Sqlite;
using Personas.Durable.History;
using Personas.Durable.Storage;

namespace Personas.Durable.Sqlite;

/// <summary>
/// The embedded store: one SQLite file in WAL mode. Writes from this process go through one connection, one at a
/// time, which is as fast as SQLite allows and avoids busy-waiting between our own threads. Other processes on the
/// same file are kept out by SQLite's own locking (BEGIN IMMEDIATE plus busy_timeout); instance locks and leases do the rest.
/// </summary>
public sealed class SqliteOrchestrationStore : IOrchestrationStore, IDisposable
{
    private readonly string _connectionString;
    private readonly TimeProvider _clock;
    private readonly SqliteRows _rows;
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private SqliteConnection? _writer;

    public SqliteOrchestrationStore(string databasePath, TimeProvider? clock = null, JsonDataConverter? converter = null)
    {
        SQLitePCL.Batteries_V2.Init();
        DatabasePath = Path.GetFullPath(databasePath);
        _connectionString = new SqliteConnectionStringBuilder { DataSource = DatabasePath, Pooling = true }.ToString();
        _clock = clock ?? TimeProvider.System;
        _rows = new SqliteRows(converter ?? JsonDataConverter.Default);
    }

    public string DatabasePath { get; }
    public WorkSignal WorkAvailable { get; } = new();

    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(DatabasePath)!);
        await WriteAsync(c =>
        {
            c.Execute(SqliteSchema.Create);
            if (c.Query("SELECT version FROM schema_info", r => r.GetInt32(0)).Count == 0)
                c.Execute("INSERT INTO schema_info(version) VALUES ($v)", ("$v", SqliteSchema.Version));
            return 0;
        }, cancellationToken);
    }

    public async Task<bool> CreateInstanceAsync(NewInstance instance, CancellationToken cancellationToken = default)
    {
        var created = await WriteAsync(c => _rows.InsertInstance(c, instance), cancellationToken);
        if (created) WorkAvailable.Notify();
        return created;
    }

    public async Task SendMessageAsync(OrchestrationMessage message, CancellationToken cancellationToken = default)
    {
        await WriteAsync(c =>
        {
            var status = c.Query("SELECT status FROM instances WHERE id = $id", r => (OrchestrationRuntimeStatus?)r.GetInt32(0), ("$id", message.InstanceId))
                .FirstOrDefault() ?? throw new OrchestrationNotFoundException(message.InstanceId);
            if (status.IsTerminal())
                throw new OrchestrationStateException(message.InstanceId, status, $"Instance '{message.InstanceId}' has already finished ({status}).");
            return _rows.InsertMessage(c, message);
        }, cancellationToken);
        WorkAvailable.Notify();
    }

    public Task<IReadOnlyList<OrchestrationWorkItem>> LockOrchestrationsAsync(string workerId, int max, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        var now = _clock.GetUtcNow();
        var owner = NewLockOwner(workerId);
        return WriteAsync<IReadOnlyList<OrchestrationWorkItem>>(c =>
        {
            // A suspended instance wakes only for the messages that can change that: resume and terminate.
            var instances = c.Query($"""
                UPDATE instances SET lock_owner = $owner, lock_until = $until
                WHERE id IN (
                    SELECT DISTINCT m.instance_id FROM messages m JOIN instances i ON i.id = m.instance_id
                    WHERE m.visible_at <= $now AND i.lock_until <= $now AND (i.status <> $suspended OR m.control = 1)
                    LIMIT $max)
                RETURNING {SqliteSchema.InstanceColumns}
                """, r => (Meta: _rows.ReadInstance(r), HistoryCount: r.GetInt32(14)),
                ("$owner", owner), ("$until", SqliteRows.Ticks(now + lease)), ("$now", SqliteRows.Ticks(now)),
                ("$suspended", (int)OrchestrationRuntimeStatus.Suspended), ("$max", max));

            return instances.Select(i => new OrchestrationWorkItem(
                i.Meta,
                c.Query("SELECT event FROM history WHERE instance_id = $id ORDER BY seq", r => _rows.Event(r.GetString(0)), ("$id", i.Meta.InstanceId)),
                c.Query("SELECT seq, id, instance_id, execution_id, visible_at, event FROM messages WHERE instance_id = $id AND visible_at <= $now ORDER BY seq",
                    _rows.ReadMessage, ("$id", i.Meta.InstanceId), ("$now", SqliteRows.Ticks(now))),
                owner)).ToList();
        }, cancellationToken);
    }

    public async Task CompleteOrchestrationAsync(OrchestrationWorkItem workItem, EpisodeCommit commit, CancellationToken cancellationToken = default)
    {
        var now = _clock.GetUtcNow();
        var id = workItem.Instance.InstanceId;
        var terminal = commit.Status.IsTerminal();
        var addsWork = await WriteAsync(c =>
        {
            var updated = c.Execute("""
                UPDATE instances SET lock_owner = NULL, lock_until = 0, status = $status, version = coalesce($version, version),
                    output = $output, custom_status = $custom, failure = $failure, updated_at = $now,
                    completed_at = CASE WHEN $terminal THEN $now ELSE NULL END,
                    execution_id = coalesce($newExecution, execution_id), input = CASE WHEN $newExecution IS NULL THEN input ELSE $newInput END,
                    history_count = CASE WHEN $newExecution IS NULL THEN history_count + $appended ELSE 0 END
                WHERE id = $id AND lock_owner = $owner AND execution_id = $execution AND history_count = $historyCount
                """,
                ("$status", (int)commit.Status), ("$version", commit.Version), ("$output", commit.Output), ("$custom", commit.CustomStatus),
                ("$failure", _rows.Text(commit.Failure)), ("$now", SqliteRows.Ticks(now)), ("$terminal", terminal),
                ("$newExecution", commit.NewExecutionId), ("$newInput", commit.NewInput), ("$appended", commit.NewHistory.Count),
                ("$id", id), ("$owner", workItem.LockOwner), ("$execution", workItem.Instance.ExecutionId), ("$historyCount", workItem.History.Count));
            if (updated != 1) throw new LeaseLostException($"orchestration '{id}'");

            foreach (var consumed in commit.ConsumedMessages) c.Execute("DELETE FROM messages WHERE seq = $seq", ("$seq", consumed.Sequence));
            if (commit.NewExecutionId is null)
            {
                var seq = workItem.History.Count;
                foreach (var e in commit.NewHistory)
                    c.Execute("INSERT INTO history(instance_id, seq, event) VALUES ($id, $seq, $event)", ("$id", id), ("$seq", seq++), ("$event", _rows.Text(e)));
            }
            else
            {
                c.Execute("DELETE FROM history WHERE instance_id = $id", ("$id", id));
            }

            var executionId = commit.NewExecutionId ?? workItem.Instance.ExecutionId;
            foreach (var a in commit.Activities)
            {
                c.Execute("""
                    INSERT OR IGNORE INTO activities(id, instance_id, execution_id, task_id, name, input, visible_at)
                    VALUES ($aid, $id, $execution, $task, $name, $input, $now)
                    """,
                    ("$aid", $"{id}|{executionId}|{a.TaskId}"), ("$id", id), ("$execution", executionId), ("$task", a.TaskId),
                    ("$name", a.Name), ("$input", a.Input), ("$now", SqliteRows.Ticks(now)));
            }
            foreach (var m in commit.Messages) _rows.InsertMessage(c, m);
            foreach (var child in commit.SubOrchestrations) _rows.InsertInstance(c, child);
            if (terminal)
            {
                // Work the instance can no longer use: unclaimed activities and timers that have not fired.
                c.Execute("DELETE FROM activities WHERE instance_id = $id AND lock_until <= $now", ("$id", id), ("$now", SqliteRows.Ticks(now)));
                c.Execute("DELETE FROM messages WHERE instance_id = $id", ("$id", id));
            }
            return commit.Activities.Count + commit.Messages.Count + commit.SubOrchestrations.Count > 0;
        }, cancellationToken);
        if (addsWork) WorkAvailable.Notify();
    }

    public Task AbandonOrchestrationAsync(OrchestrationWorkItem workItem, TimeSpan retryAfter, CancellationToken cancellationToken = default)
    {
        var until = _clock.GetUtcNow() + retryAfter;
        return WriteAsync(c => c.Execute(
            "UPDATE instances SET lock_owner = NULL, lock_until = $until WHERE id = $id AND lock_owner = $owner",
            ("$until", SqliteRows.Ticks(until)), ("$id", workItem.Instance.InstanceId), ("$owner", workItem.LockOwner)), cancellationToken);
    }

    public Task<IReadOnlyList<ActivityWorkItem>> LockActivitiesAsync(string workerId, int max, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        var now = _clock.GetUtcNow();
        var owner = NewLockOwner(workerId);
        return WriteAsync<IReadOnlyList<ActivityWorkItem>>(c => c.Query("""
            UPDATE activities SET lock_owner = $owner, lock_until = $until, deliveries = deliveries + 1
            WHERE id IN (SELECT id FROM activities WHERE lock_until <= $now AND visible_at <= $now ORDER BY visible_at LIMIT $max)
            RETURNING id, instance_id, execution_id, task_id, name, input, deliveries
            """, r => _rows.ReadActivity(r, owner),
            ("$owner", owner), ("$until", SqliteRows.Ticks(now + lease)), ("$now", SqliteRows.Ticks(now)), ("$max", max)), cancellationToken);
    }

    public async Task RenewActivityLeaseAsync(ActivityWorkItem workItem, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        var until = _clock.GetUtcNow() + lease;
        var renewed = await WriteAsync(c => c.Execute("UPDATE activities SET lock_until = $until WHERE id = $id AND lock_owner = $owner",
            ("$until", SqliteRows.Ticks(until)), ("$id", workItem.Id), ("$owner", workItem.LockOwner)), cancellationToken);
        if (renewed != 1) throw new LeaseLostException($"activity '{workItem.Name}' of '{workItem.InstanceId}'");
    }

    public async Task<int> CompleteActivitiesAsync(IReadOnlyList<ActivityResult> results, CancellationToken cancellationToken = default)
    {
        var now = _clock.GetUtcNow();
        var delivered = await WriteAsync(c =>
        {
            var count = 0;
            foreach (var (item, outcome) in results)
            {
                if (c.Execute("DELETE FROM activities WHERE id = $id AND lock_owner = $owner", ("$id", item.Id), ("$owner", item.LockOwner)) != 1) continue;
                _rows.InsertMessage(c, new OrchestrationMessage($"{item.Id}|result", item.InstanceId, item.ExecutionId, outcome, now));
                count++;
            }
            return count;
        }, cancellationToken);
        if (delivered > 0) WorkAvailable.Notify();
        return delivered;
    }

    public Task<OrchestrationMetadata?> GetInstanceAsync(string instanceId, CancellationToken cancellationToken = default) =>
        ReadAsync(c => c.Query($"SELECT {SqliteSchema.InstanceColumns} FROM instances WHERE id = $id", r => _rows.ReadInstance(r), ("$id", instanceId))
            .FirstOrDefault());

    public Task<IReadOnlyList<HistoryEvent>> GetHistoryAsync(string instanceId, CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlyList<HistoryEvent>>(c =>
            c.Query("SELECT event FROM history WHERE instance_id = $id ORDER BY seq", r => _rows.Event(r.GetString(0)), ("$id", instanceId)));

    public Task<InstancePage> QueryInstancesAsync(InstanceQuery query, CancellationToken cancellationToken = default) =>
        ReadAsync(c => SqliteInstanceQuery.Run(c, query, _rows));

    public async Task<bool> PurgeInstanceAsync(string instanceId, CancellationToken cancellationToken = default) =>
        await WriteAsync(c =>
        {
            var status = c.Query("SELECT status FROM instances WHERE id = $id", r => (OrchestrationRuntimeStatus?)r.GetInt32(0), ("$id", instanceId)).FirstOrDefault();
            if (status is null) return false;
            if (!status.Value.IsTerminal())
                throw new OrchestrationStateException(instanceId, status.Value, $"Instance '{instanceId}' is {status}; only finished instances can be purged. Terminate it first.");
            foreach (var table in new[] { "history", "messages", "activities" })
                c.Execute($"DELETE FROM {table} WHERE instance_id = $id", ("$id", instanceId));
            c.Execute("DELETE FROM instances WHERE id = $id", ("$id", instanceId));
            return true;
        }, cancellationToken);

    public void Dispose()
    {
        _writer?.Dispose();
        _writeGate.Dispose();
    }

    private static string NewLockOwner(string workerId) => $"{workerId}/{Guid.NewGuid():N}";

    private async Task<T> WriteAsync<T>(Func<SqliteConnection, T> write, CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            _writer ??= Open(isWriter: true);
            using var transaction = _writer.BeginImmediate();
            var result = write(_writer);
            transaction.Commit();
            return result;
        }
        finally
        {
            _writeGate.Release();
        }
    }

    private Task<T> ReadAsync<T>(Func<SqliteConnection, T> read)
    {
        using var connection = Open(isWriter: false);
        return Task.FromResult(read(connection));
    }

    private SqliteConnection Open(bool isWriter)
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        connection.Execute(isWriter
            ? "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 30000; PRAGMA foreign_keys = OFF; PRAGMA secure_delete = ON;"
            : "PRAGMA busy_timeout = 30000;");
        if (isWriter) connection.CacheStatements();
        return connection;
    }
}
