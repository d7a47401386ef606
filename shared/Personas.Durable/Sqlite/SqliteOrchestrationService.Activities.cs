using System.Collections.Concurrent;
using System.Globalization;
using DurableTask.Core;
using DurableTask.Core.History;

namespace Personas.Durable.Sqlite;

public sealed partial class SqliteOrchestrationService
{
    private readonly ConcurrentQueue<TaskActivityWorkItem> _activityBuffer = new();

    public async Task<TaskActivityWorkItem> LockNextTaskActivityWorkItem(TimeSpan receiveTimeout,
        CancellationToken cancellationToken)
    {
        var item = await LongPoll(_activityBuffer, _activityWork, ClaimActivitiesAsync, receiveTimeout,
            cancellationToken);
        return item!;
    }

    /// <summary>Deletes the activity row and queues its result, only while our claim on it holds.</summary>
    public async Task CompleteTaskActivityWorkItemAsync(TaskActivityWorkItem workItem, TaskMessage responseMessage)
    {
        var (seq, token) = ParseActivityId(workItem);
        var json = SqliteEventJson.Write(responseMessage.Event); // off the single writer
        await _db.WriteAsync(c =>
        {
            var deleted = _db.Exec(c, "DELETE FROM activities WHERE seq = $s AND lock_token = $t",
                ("$s", seq), ("$t", token));
            var of = responseMessage.OrchestrationInstance.InstanceId;
            if (deleted != 1) throw new LockLostException($"activity {seq} of '{of}'");
            InsertMessage(c, responseMessage, Ticks(Now), json);
            return 0;
        });
        _orchestrationWork.Notify();
    }

    /// <summary>
    /// Unlocks the activity after a growing backoff
    /// (see <see cref="SqliteOrchestrationServiceOptions.AbandonBackoff"/>),
    /// so an activity that always fails to be delivered does not spin.
    /// </summary>
    public Task AbandonTaskActivityWorkItemAsync(TaskActivityWorkItem workItem) => UnlockActivity(workItem, true);

    private async Task UnlockActivity(TaskActivityWorkItem workItem, bool backoff)
    {
        var (seq, token) = ParseActivityId(workItem);
        await _db.WriteAsync(c => backoff
            ? _db.Exec(c, $"""
                UPDATE activities SET lock_token = NULL, lock_until = {SqliteSchema.AbandonedUntil},
                    abandons = abandons + 1
                WHERE seq = $s AND lock_token = $t
                """, [("$s", seq), ("$t", token), .. BackoffArgs()])
            : _db.Exec(c, "UPDATE activities SET lock_token = NULL, lock_until = 0 WHERE seq = $s AND lock_token = $t",
                ("$s", seq), ("$t", token)));
        _activityWork.Notify();
    }

    public async Task<TaskActivityWorkItem> RenewTaskActivityWorkItemLockAsync(TaskActivityWorkItem workItem)
    {
        var (seq, token) = ParseActivityId(workItem);
        var until = LeaseNow + _options.LeaseDuration;
        var renewed = await _db.WriteAsync(c => _db.Exec(c,
            "UPDATE activities SET lock_until = $u WHERE seq = $s AND lock_token = $t",
            ("$u", Ticks(until)), ("$s", seq), ("$t", token)));
        if (renewed != 1) throw new LockLostException($"activity {seq}");
        workItem.LockedUntilUtc = until;
        return workItem;
    }

    private async Task<(int Claimed, DateTime? NextDue)> ClaimActivitiesAsync()
    {
        var now = LeaseNow;
        var until = now + _options.LeaseDuration;
        var token = NewToken();
        var rows = await _db.WriteAsync(c => _db.Query(c, """
            UPDATE activities SET lock_token = $t, lock_until = $until
            WHERE seq IN (SELECT seq FROM activities WHERE lock_until <= $now ORDER BY seq LIMIT $max)
            RETURNING seq, instance_id, execution_id, event
            """, r => (Seq: r.GetInt64(0), Id: r.GetString(1), Exec: r.GetString(2), Json: r.GetString(3)),
            ("$t", token), ("$until", Ticks(until)), ("$now", Ticks(now)), ("$max", _options.ClaimBatchSize)));
        if (rows.Count > 0) HoldActivities(token);
        foreach (var row in rows.OrderBy(r => r.Seq))
        {
            _activityBuffer.Enqueue(new TaskActivityWorkItem
            {
                Id = $"{row.Seq.ToString(CultureInfo.InvariantCulture)}|{token}",
                LockedUntilUtc = until,
                TaskMessage = new TaskMessage
                {
                    Event = (TaskScheduledEvent)SqliteEventJson.Read(row.Json),
                    OrchestrationInstance = new OrchestrationInstance { InstanceId = row.Id, ExecutionId = row.Exec },
                },
            });
        }
        return (rows.Count, null);
    }

    private static (long Seq, string Token) ParseActivityId(TaskActivityWorkItem workItem)
    {
        var bar = workItem.Id.IndexOf('|', StringComparison.Ordinal);
        return (long.Parse(workItem.Id.AsSpan(0, bar), CultureInfo.InvariantCulture), workItem.Id[(bar + 1)..]);
    }
}
