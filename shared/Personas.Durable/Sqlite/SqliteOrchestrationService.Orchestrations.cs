using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using DurableTask.Core;
using DurableTask.Core.Exceptions;
using DurableTask.Core.History;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Personas.Durable.Sqlite;

public sealed partial class SqliteOrchestrationService
{
    private const string ClaimInstancesSql = """
        SELECT DISTINCT m.instance_id FROM messages m JOIN instances i ON i.id = m.instance_id
        WHERE m.visible_at <= $now AND i.lock_until <= $leaseNow AND i.status NOT IN (1, 3, 4, 5)
          AND (i.status <> $suspended OR m.event_type IN ($resumed, $terminated))
          AND (i.history_count > 0 OR m.event_type = $terminated OR EXISTS (SELECT 1 FROM messages s
               WHERE s.instance_id = i.id AND s.event_type = $started AND s.visible_at <= $now))
        LIMIT $max
        """;

    private readonly ConcurrentQueue<TaskOrchestrationWorkItem> _orchestrationBuffer = new();
    private readonly ConditionalWeakTable<TaskOrchestrationWorkItem, Claim> _claims = new();

    public async Task<TaskOrchestrationWorkItem> LockNextTaskOrchestrationWorkItemAsync(TimeSpan receiveTimeout,
        CancellationToken cancellationToken)
    {
        var item = await LongPoll(_orchestrationBuffer, _orchestrationWork, ClaimOrchestrationsAsync, receiveTimeout,
            cancellationToken);
        return item!;
    }

    /// <summary>
    /// Commits an episode in one transaction, only while our lock token still holds the instance: a completion
    /// whose lease expired (and was perhaps claimed by another process) is rejected, not applied.
    /// </summary>
    public async Task CompleteTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem,
        OrchestrationRuntimeState newOrchestrationRuntimeState, IList<TaskMessage> outboundMessages,
        IList<TaskMessage> orchestratorMessages, IList<TaskMessage> timerMessages, TaskMessage continuedAsNewMessage,
        OrchestrationState orchestrationState)
    {
        var claim = ClaimOf(workItem);
        var state = newOrchestrationRuntimeState;
        var executionId = state.OrchestrationInstance?.ExecutionId ?? claim.ExecutionId;
        var continued = executionId != claim.ExecutionId;
        // A new execution (ContinueAsNew) replaces the history; otherwise only this episode's events are appended.
        var events = (continued ? state.Events : state.NewEvents).Select(SqliteEventJson.Write).ToList();
        var status = orchestrationState?.OrchestrationStatus ?? state.OrchestrationStatus;
        var failure = orchestrationState?.FailureDetails;
        var addsActivities = outboundMessages.Count > 0;
        // Serialized here, not in the transaction: the single writer is what every episode and result waits for.
        var activityRows = outboundMessages.Select(m => (Message: m, Json: SqliteEventJson.Write(m.Event))).ToList();
        var timerRows = timerMessages.Select(m => (Message: m, Json: SqliteEventJson.Write(m.Event))).ToList();
        var failureJson = failure is null ? null : SqliteEventJson.WriteFailure(failure);
        var tagsJson = SqliteEventJson.WriteObject(state.Tags);
        var historyCount = (continued ? 0 : claim.HistoryCount) + events.Count;
        // What the next claim of this instance would read back; not kept once it has finished.
        var cached = IsTerminal(status) || state.Events.Count != historyCount
            ? null
            : state.Events.Select(SqliteEventJson.Normalize).ToList();
        await _db.WriteAsync(c =>
        {
            _history.Remove(workItem.InstanceId);
            var now = Ticks(Now);
            var leaseNow = Ticks(LeaseNow);
            var updated = _db.Exec(c, """
                UPDATE instances SET execution_id = $exec, name = $name, version = $version, status = $status,
                    input = $input, output = $output, custom_status = $custom, failure = $failure, tags = $tags,
                    updated_at = $now, completed_at = $completed, lock_token = NULL, lock_until = 0,
                    history_count = $count, abandons = 0
                WHERE id = $id AND lock_token = $token
                """, ("$exec", executionId), ("$name", state.Name ?? ""), ("$version", state.Version),
                ("$status", (int)status), ("$input", state.Input), ("$output", state.Output),
                ("$custom", state.Status), ("$failure", failureJson), ("$tags", tagsJson), ("$now", now),
                ("$completed", IsTerminal(status) ? now : null),
                ("$count", historyCount),
                ("$id", workItem.InstanceId), ("$token", claim.Token));
            if (updated != 1) throw new LockLostException($"orchestration '{workItem.InstanceId}'");

            foreach (var seq in claim.Consumed) _db.Exec(c, "DELETE FROM messages WHERE seq = $s", ("$s", seq));
            if (continued)
            {
                // The old execution's history, its addressed messages and its unclaimed activities are gone;
                // raised events (no execution id) stay and are delivered to the new execution.
                _db.Exec(c, "DELETE FROM history WHERE instance_id = $id", ("$id", workItem.InstanceId));
                _db.Exec(c, "DELETE FROM messages WHERE instance_id = $id AND execution_id <> $exec",
                    ("$id", workItem.InstanceId), ("$exec", executionId));
                _db.Exec(c, "DELETE FROM activities WHERE instance_id = $id AND execution_id <> $exec " +
                    "AND lock_until <= $now", ("$id", workItem.InstanceId), ("$exec", executionId),
                    ("$now", leaseNow));
            }
            var seqStart = continued ? 0 : claim.HistoryCount;
            for (var i = 0; i < events.Count; i++)
                _db.Exec(c, "INSERT INTO history(instance_id, seq, event) VALUES ($id, $seq, $event)",
                    ("$id", workItem.InstanceId), ("$seq", seqStart + i), ("$event", events[i]));
            foreach (var (m, json) in activityRows) InsertActivity(c, m, json);
            foreach (var (m, json) in timerRows)
                InsertMessage(c, m, Ticks(((TimerFiredEvent)m.Event).FireAt), json);
            foreach (var m in orchestratorMessages)
            {
                if (m.Event is ExecutionStartedEvent) StartChild(c, m, workItem.InstanceId, executionId);
                else InsertMessage(c, m, now);
            }
            if (IsTerminal(status))
            {
                // Work the instance can no longer use: unclaimed activities and undelivered messages.
                _db.Exec(c, "DELETE FROM messages WHERE instance_id = $id", ("$id", workItem.InstanceId));
                _db.Exec(c, "DELETE FROM activities WHERE instance_id = $id AND lock_until <= $now",
                    ("$id", workItem.InstanceId), ("$now", leaseNow));
            }
            if (cached is not null) _history.Set(workItem.InstanceId, executionId, cached);
            return 0;
        });
        claim.Done = true;
        if (orchestratorMessages.Count + timerMessages.Count > 0) _orchestrationWork.Notify();
        if (addsActivities) _activityWork.Notify();
        if (IsTerminal(status) && _finished.TryGetValue(workItem.InstanceId, out var finished)) finished.Notify();
    }

    /// <summary>
    /// Unlocks the instance after a growing backoff
    /// (see <see cref="SqliteOrchestrationServiceOptions.AbandonBackoff"/>),
    /// so an episode that always fails, or a worker that is gone, does not spin; a completed episode resets it.
    /// </summary>
    public Task AbandonTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem) => Unlock(workItem, true);

    public Task ReleaseTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem) =>
        ClaimOf(workItem).Done ? Task.CompletedTask : Unlock(workItem, false);

    public async Task RenewTaskOrchestrationWorkItemLockAsync(TaskOrchestrationWorkItem workItem)
    {
        var claim = ClaimOf(workItem);
        var until = LeaseNow + _options.LeaseDuration;
        var renewed = await _db.WriteAsync(c => _db.Exec(c,
            "UPDATE instances SET lock_until = $until WHERE id = $id AND lock_token = $token",
            ("$until", Ticks(until)), ("$id", workItem.InstanceId), ("$token", claim.Token)));
        if (renewed != 1) throw new LockLostException($"orchestration '{workItem.InstanceId}'");
        workItem.LockedUntilUtc = until;
    }

    private async Task Unlock(TaskOrchestrationWorkItem workItem, bool backoff)
    {
        var claim = ClaimOf(workItem);
        if (claim.Done) return;
        claim.Done = true;
        await _db.WriteAsync(c => backoff
            ? _db.Exec(c, $"""
                UPDATE instances SET lock_token = NULL, lock_until = {SqliteSchema.AbandonedUntil},
                    abandons = abandons + 1
                WHERE id = $id AND lock_token = $token
                """, [("$id", workItem.InstanceId), ("$token", claim.Token), .. BackoffArgs()])
            : _db.Exec(c,
                "UPDATE instances SET lock_token = NULL, lock_until = 0 WHERE id = $id AND lock_token = $token",
                ("$id", workItem.InstanceId), ("$token", claim.Token)));
        _orchestrationWork.Notify();
    }

    private Claim ClaimOf(TaskOrchestrationWorkItem workItem) => _claims.TryGetValue(workItem, out var claim)
        ? claim
        : throw new InvalidOperationException($"Work item for '{workItem.InstanceId}' was not claimed here.");

    /// <summary>
    /// Claims a batch of instances with due messages under one fresh token, in one transaction. The transaction only
    /// locks and reads rows; their JSON is parsed after it, off the single writer.
    /// </summary>
    private async Task<(int Claimed, DateTime? NextDue)> ClaimOrchestrationsAsync()
    {
        var now = Now;
        var leaseNow = LeaseNow;
        var until = leaseNow + _options.LeaseDuration;
        var token = NewToken();
        var (rows, nextDue) = await _db.WriteAsync(c =>
        {
            var ids = _db.Query(c, ClaimInstancesSql, r => r.GetString(0), ("$now", Ticks(now)),
                ("$leaseNow", Ticks(leaseNow)),
                ("$suspended", (int)OrchestrationStatus.Suspended), ("$resumed", (int)EventType.ExecutionResumed),
                ("$terminated", (int)EventType.ExecutionTerminated), ("$started", (int)EventType.ExecutionStarted),
                ("$max", _options.ClaimBatchSize));
            var claimed = new List<ClaimedRows>();
            foreach (var id in ids)
                if (ClaimInstance(c, id, token, Ticks(now), Ticks(leaseNow), until) is { } row) claimed.Add(row);
            long? due = null;
            if (claimed.Count == 0)
                due = _db.Query(c, "SELECT min(visible_at) FROM messages WHERE visible_at > $now", r => r.Long(0),
                    ("$now", Ticks(now))).FirstOrDefault();
            return (claimed, due);
        });
        var items = new List<(TaskOrchestrationWorkItem Item, Claim Claim)>();
        var stale = new List<(string Id, List<long> Consumed)>();
        foreach (var row in rows)
        {
            if (WorkItem(row, token, until) is { } item) items.Add(item);
            else stale.Add((row.Id, row.Consumed));
        }
        if (items.Count > 0) HoldInstances(token);
        if (stale.Count > 0) await DropStaleAsync(stale, token);
        foreach (var (item, claim) in items)
        {
            _claims.AddOrUpdate(item, claim);
            _orchestrationBuffer.Enqueue(item);
        }
        return (items.Count, nextDue is { } t ? FromTicks(t) : null);
    }

    /// <summary>Locks one instance and reads its history (unless kept in memory) and its due messages.</summary>
    private ClaimedRows? ClaimInstance(SqliteConnection c, string id, string token, long now, long leaseNow,
        DateTime until)
    {
        var row = _db.Query(c, """
            UPDATE instances SET lock_token = $token, lock_until = $until WHERE id = $id AND lock_until <= $leaseNow
            RETURNING execution_id, status, history_count
            """, r => (Exec: r.GetString(0), Status: (OrchestrationStatus)r.GetInt32(1), Count: r.GetInt32(2)),
            ("$token", token), ("$until", Ticks(until)), ("$id", id), ("$leaseNow", leaseNow)).FirstOrDefault();
        if (row.Exec is null) return null;
        var cached = _history.Get(id, row.Exec, row.Count);
        var history = cached is null
            ? _db.Query(c, "SELECT event FROM history WHERE instance_id = $id ORDER BY seq", r => r.GetString(0),
                ("$id", id))
            : null;
        // An instance not started yet is claimed before its start time only to be terminated: its start comes along.
        var messages = _db.Query(c, """
            SELECT seq, execution_id, event_type, event FROM messages
            WHERE instance_id = $id AND (visible_at <= $now OR ($fresh AND event_type = $started))
            ORDER BY visible_at, seq
            """, r => new MessageRow(r.GetInt64(0), r.Str(1), (EventType)r.GetInt32(2), r.GetString(3)),
            ("$id", id), ("$now", now), ("$fresh", row.Count == 0), ("$started", (int)EventType.ExecutionStarted));
        // Held back while suspended: anything but a resume or a terminate.
        var due = row.Status == OrchestrationStatus.Suspended
            ? messages.Where(m => m.Type is EventType.ExecutionResumed or EventType.ExecutionTerminated).ToList()
            : messages;
        return new ClaimedRows(id, row.Exec, row.Count, cached, history, due, [.. due.Select(m => m.Seq)]);
    }

    /// <summary>
    /// The work item of a claimed instance, or null when its messages are all stale (for an older execution) or
    /// repeats of results its history already holds.
    /// </summary>
    private static (TaskOrchestrationWorkItem, Claim)? WorkItem(ClaimedRows row, string token, DateTime until)
    {
        var history = row.Cached ?? row.HistoryJson!.Select(SqliteEventJson.Read).ToList();
        var seen = SqliteDedupe.Completions(history);
        var delivered = new List<TaskMessage>();
        foreach (var m in row.Messages)
        {
            if (m.Exec is not null && m.Exec != row.Exec) continue; // for an older execution
            var e = SqliteEventJson.Read(m.Json);
            if (!SqliteDedupe.IsNew(e, seen, history.Count > 0)) continue; // delivered before
            delivered.Add(new TaskMessage
            {
                Event = e,
                OrchestrationInstance = new OrchestrationInstance { InstanceId = row.Id, ExecutionId = m.Exec },
            });
        }
        if (delivered.Count == 0) return null;
        var item = new TaskOrchestrationWorkItem
        {
            InstanceId = row.Id,
            OrchestrationRuntimeState = new OrchestrationRuntimeState(history),
            NewMessages = delivered,
            LockedUntilUtc = until,
        };
        return (item, new Claim(token, row.Exec, row.HistoryCount, row.Consumed));
    }

    /// <summary>
    /// Instances claimed only for stale or repeated messages: the messages go and the instance is unlocked, while our
    /// token still holds it. If this fails, the lease runs out and the next claim drops them.
    /// </summary>
    private async Task DropStaleAsync(List<(string Id, List<long> Consumed)> stale, string token)
    {
        try
        {
            await _db.WriteAsync(c =>
            {
                foreach (var (id, consumed) in stale)
                {
                    if (_db.Exec(c, "UPDATE instances SET lock_token = NULL, lock_until = 0 " +
                            "WHERE id = $id AND lock_token = $token", ("$id", id), ("$token", token)) != 1) continue;
                    foreach (var seq in consumed) _db.Exec(c, "DELETE FROM messages WHERE seq = $s", ("$s", seq));
                }
                return 0;
            });
        }
        catch (Exception e) when (e is SqliteException or InvalidOperationException)
        {
            _log.LogWarning(e, "Dropping stale messages of {Count} instances failed; their leases will run out.",
                stale.Count);
        }
    }

    private sealed record MessageRow(long Seq, string? Exec, EventType Type, string Json);

    private sealed record ClaimedRows(string Id, string Exec, int HistoryCount, List<HistoryEvent>? Cached,
        List<string>? HistoryJson, List<MessageRow> Messages, List<long> Consumed);

    /// <summary>
    /// A sub-orchestration's start: creates the child, or, when an unfinished instance already has that id, fails the
    /// parent's task with a clear error instead of leaving it waiting for a child that will never report.
    /// </summary>
    private void StartChild(SqliteConnection c, TaskMessage start, string parentId, string parentExecution)
    {
        try
        {
            CreateInstance(c, start, dedupeStatuses: null);
        }
        catch (OrchestrationAlreadyExistsException e)
        {
            var taskId = ((ExecutionStartedEvent)start.Event).ParentInstance?.TaskScheduleId ?? -1;
            var failure = new FailureDetails(typeof(OrchestrationAlreadyExistsException).FullName!, e.Message,
                null, null, true);
            InsertMessage(c, new TaskMessage
            {
                Event = new SubOrchestrationInstanceFailedEvent(-1, taskId, e.Message, null, failure),
                OrchestrationInstance = new OrchestrationInstance
                {
                    InstanceId = parentId, ExecutionId = parentExecution,
                },
            }, Ticks(Now));
        }
    }

    private void InsertActivity(SqliteConnection c, TaskMessage m, string json)
    {
        _db.Exec(c, """
            INSERT OR IGNORE INTO activities(instance_id, execution_id, task_id, event)
            VALUES ($id, $exec, $task, $event)
            """, ("$id", m.OrchestrationInstance.InstanceId), ("$exec", m.OrchestrationInstance.ExecutionId),
            ("$task", m.Event.EventId), ("$event", json));
    }

    /// <summary>
    /// Queues a message for an instance; one that no longer runs (or never existed) drops it, with one line of log
    /// that names the instance and the event type only (payloads may hold personal data). Pass the event's JSON
    /// when it was written before the transaction, which then has less to do on the writer.
    /// </summary>
    private bool InsertMessage(SqliteConnection c, TaskMessage m, long visibleAt, string? json = null)
    {
        var id = m.OrchestrationInstance.InstanceId;
        var inserted = _db.Exec(c, """
            INSERT INTO messages(instance_id, execution_id, event_type, visible_at, event)
            SELECT $id, $exec, $type, $visible, $event
            WHERE EXISTS (SELECT 1 FROM instances WHERE id = $id AND status NOT IN (1, 3, 4, 5))
            """, ("$id", id), ("$exec", m.OrchestrationInstance.ExecutionId), ("$type", (int)m.Event.EventType),
            ("$visible", visibleAt), ("$event", json ?? SqliteEventJson.Write(m.Event)));
        if (inserted == 1) return true;
        var status = InstanceStatus(c, id);
        LogDropped(id, m.Event.EventType, status is null ? "does not exist" : "has finished");
        return false;
    }

    private async Task ReleaseBufferedAsync()
    {
        // Claimed but never handed out: released at once, no backoff.
        while (_orchestrationBuffer.TryDequeue(out var item)) await Unlock(item, false);
        while (_activityBuffer.TryDequeue(out var item)) await UnlockActivity(item, false);
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Dropped a {EventType} message for instance {InstanceId}: it {Reason}.")]
    private partial void LogDropped(string instanceId, EventType eventType, string reason);

    private sealed class Claim(string token, string executionId, int historyCount, List<long> consumed)
    {
        public string Token { get; } = token;
        public string ExecutionId { get; } = executionId;
        public int HistoryCount { get; } = historyCount;
        public List<long> Consumed { get; } = consumed;
        public volatile bool Done;
    }
}

/// <summary>
/// The commit's lock token no longer holds the claim: the lease expired and the work may be elsewhere.
/// </summary>
public sealed class LockLostException(string what)
    : InvalidOperationException($"The lock on {what} was lost; this result is not applied.");
