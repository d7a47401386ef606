using System.Diagnostics;
using DurableTask.Core;
using DurableTask.Core.Exceptions;
using DurableTask.Core.History;
using Microsoft.Data.Sqlite;

namespace Personas.Durable.Sqlite;

public sealed partial class SqliteOrchestrationService
{
    public Task CreateTaskOrchestrationAsync(TaskMessage creationMessage) =>
        CreateTaskOrchestrationAsync(creationMessage, null!);

    /// <summary>
    /// Creates an instance. An existing one in a <paramref name="dedupeStatuses"/> status is refused; with no dedupe
    /// statuses, an unfinished one is refused and a finished one replaced.
    /// </summary>
    public async Task CreateTaskOrchestrationAsync(TaskMessage creationMessage, OrchestrationStatus[] dedupeStatuses)
    {
        await _db.WriteAsync(c => { CreateInstance(c, creationMessage, dedupeStatuses); return 0; });
        _orchestrationWork.Notify();
    }

    public Task SendTaskOrchestrationMessageAsync(TaskMessage message) =>
        SendTaskOrchestrationMessageBatchAsync(message);

    public async Task SendTaskOrchestrationMessageBatchAsync(params TaskMessage[] messages)
    {
        await _db.WriteAsync(c =>
        {
            var now = Ticks(Now);
            foreach (var m in messages)
            {
                if (m.Event is ExecutionStartedEvent) CreateInstance(c, m, null);
                else InsertMessage(c, m, now);
            }
            return 0;
        });
        _orchestrationWork.Notify();
    }

    public Task ForceTerminateTaskOrchestrationAsync(string instanceId, string reason) =>
        SendTaskOrchestrationMessageAsync(new TaskMessage
        {
            Event = new ExecutionTerminatedEvent(-1, reason),
            OrchestrationInstance = new OrchestrationInstance { InstanceId = instanceId },
        });

    public Task<IList<OrchestrationState>> GetOrchestrationStateAsync(string instanceId, bool allExecutions) =>
        Task.FromResult<IList<OrchestrationState>>(ReadState(instanceId) is { } state ? [state] : []);

    public Task<OrchestrationState> GetOrchestrationStateAsync(string instanceId, string executionId)
    {
        var state = ReadState(instanceId);
        if (state is not null && executionId is not null && state.OrchestrationInstance.ExecutionId != executionId)
            state = null;
        return Task.FromResult(state!);
    }

    /// <summary>The current execution's history as a JSON array of DurableTask.Core history events.</summary>
    public Task<string> GetOrchestrationHistoryAsync(string instanceId, string executionId) =>
        Task.FromResult(_db.Read(c =>
        {
            var rows = _db.Query(c, """
                SELECT h.event FROM history h JOIN instances i ON i.id = h.instance_id
                WHERE h.instance_id = $id AND ($exec IS NULL OR i.execution_id = $exec) ORDER BY h.seq
                """, r => r.GetString(0), ("$id", instanceId), ("$exec", executionId));
            return "[" + string.Join(",", rows) + "]";
        }));

    /// <summary>Polls (woken early by commits in this process) until the instance finishes or the time is up.</summary>
    public async Task<OrchestrationState> WaitForOrchestrationAsync(string instanceId, string executionId,
        TimeSpan timeout, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var backoff = TimeSpan.FromMilliseconds(10);
        var finished = _finished.GetOrAdd(instanceId, _ => new SqliteWorkSignal());
        try
        {
            return await WaitForFinish(instanceId, executionId, timeout, finished, started, backoff, cancellationToken);
        }
        finally
        {
            _finished.TryRemove(KeyValuePair.Create(instanceId, finished));
        }
    }

    private async Task<OrchestrationState> WaitForFinish(string instanceId, string executionId, TimeSpan timeout,
        SqliteWorkSignal finished, long started, TimeSpan backoff, CancellationToken cancellationToken)
    {
        while (true)
        {
            var wake = finished.Current;
            var state = await GetOrchestrationStateAsync(instanceId, executionId);
            if (state is not null && IsTerminal(state.OrchestrationStatus)) return state;
            var wait = backoff;
            if (timeout != Timeout.InfiniteTimeSpan)
            {
                var left = timeout - Stopwatch.GetElapsedTime(started);
                if (left <= TimeSpan.Zero) return null!;
                if (left < wait) wait = left;
            }
            await SqliteWorkSignal.Wait(wake, wait, cancellationToken);
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromMilliseconds(500).Ticks));
        }
    }

    private OrchestrationState? ReadState(string instanceId) => _db.Read(c => _db.Query(c,
        $"SELECT {SqliteSchema.InstanceColumns} FROM instances WHERE id = $id", r => ReadInstance(r, true),
        ("$id", instanceId)).FirstOrDefault());

    private void CreateInstance(SqliteConnection c, TaskMessage m, OrchestrationStatus[]? dedupeStatuses)
    {
        var started = (ExecutionStartedEvent)m.Event;
        var id = m.OrchestrationInstance.InstanceId;
        var executionId = m.OrchestrationInstance.ExecutionId ?? started.OrchestrationInstance?.ExecutionId
            ?? Guid.NewGuid().ToString("N");
        if (InstanceStatus(c, id) is { } existing)
        {
            var status = (OrchestrationStatus)existing;
            var refuse = dedupeStatuses is null ? !IsTerminal(status) : dedupeStatuses.Contains(status);
            if (refuse)
                throw new OrchestrationAlreadyExistsException(
                    $"An orchestration with instance id '{id}' already exists ({status}).");
            DeleteInstance(c, id);
        }
        var now = Ticks(Now);
        var scheduled = started.ScheduledStartTime is { } at ? Ticks(at) : (long?)null;
        _db.Exec(c, $"""
            INSERT INTO instances({SqliteSchema.InstanceColumns})
            VALUES ($id, $exec, $name, $version, $status, $input, NULL, NULL, NULL, $tags, $parent, $scheduled,
                    $now, $now, NULL)
            """, ("$id", id), ("$exec", executionId), ("$name", started.Name ?? ""), ("$version", started.Version),
            ("$status", (int)OrchestrationStatus.Pending), ("$input", started.Input),
            ("$tags", started.Tags is null
                ? null
                : SqliteEventJson.WriteObject(new Dictionary<string, string>(started.Tags))),
            ("$parent", SqliteEventJson.WriteObject(started.ParentInstance)), ("$scheduled", scheduled), ("$now", now));
        var message = new TaskMessage
        {
            Event = started,
            OrchestrationInstance = new OrchestrationInstance { InstanceId = id, ExecutionId = executionId },
        };
        InsertMessage(c, message, Math.Max(now, scheduled ?? now));
    }

    private void DeleteInstance(SqliteConnection c, string id)
    {
        _history.Remove(id);
        foreach (var table in new[] { "history", "messages", "activities" })
            _db.Exec(c, $"DELETE FROM {table} WHERE instance_id = $id", ("$id", id));
        _db.Exec(c, "DELETE FROM instances WHERE id = $id", ("$id", id));
    }

    private static OrchestrationState ReadInstance(SqliteDataReader r, bool withData) => new()
    {
        OrchestrationInstance = new OrchestrationInstance { InstanceId = r.GetString(0), ExecutionId = r.GetString(1) },
        Name = r.GetString(2),
        Version = r.Str(3),
        OrchestrationStatus = (OrchestrationStatus)r.GetInt32(4),
        Input = withData ? r.Str(5) : null,
        Output = withData ? r.Str(6) : null,
        Status = withData ? r.Str(7) : null,
        FailureDetails = SqliteEventJson.ReadFailure(r.Str(8)),
        Tags = SqliteEventJson.ReadObject<Dictionary<string, string>>(r.Str(9)),
        ParentInstance = SqliteEventJson.ReadObject<ParentInstance>(r.Str(10)),
        ScheduledStartTime = r.Long(11) is { } s ? FromTicks(s) : null,
        CreatedTime = FromTicks(r.GetInt64(12)),
        LastUpdatedTime = FromTicks(r.GetInt64(13)),
        CompletedTime = r.Long(14) is { } d ? FromTicks(d) : default,
    };
}
