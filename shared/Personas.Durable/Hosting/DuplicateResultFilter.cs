using DurableTask.Core;
using DurableTask.Core.History;

namespace Personas.Durable.Hosting;

/// <summary>
/// Drops a result that the instance already has. Azure Storage delivers at least once: an activity whose worker was
/// killed after its result was committed, or whose lock lapsed, runs again and reports again, and Azure Storage
/// appends every report to history (the crash suite found three tasks with eight TaskCompleted events). A second
/// completion of a task, sub-orchestration or timer that history (or an earlier message of the same episode) already
/// holds is taken off the episode's new messages; the backend still deletes it with the rest. A raised event killed
/// between Azure Storage's history write and its message delete comes back too (crash suite: "Go" twice in one
/// history): the sidecar stamps each raise with its time, so the same name, input and timestamp (to 100 ns) is the
/// same raise. A start comes back too, when the worker was killed after the first episode's history write (a child's
/// start also whenever its parent's episode is replayed): the sidecar's dispatcher does not drop it (a TODO in its
/// FilterAndSortMessages), so the second ExecutionStarted of the same execution throws "Multiple ExecutionStartedEvent
/// found" on every delivery, the backend backs the batch off up to 10 minutes, and the instance stops moving. SQLite
/// dedupes these itself in its claim.
/// </summary>
public sealed class DuplicateResultFilter(IOrchestrationService service, IOrchestrationServiceClient client,
    int maxConcurrentOrchestrations, int maxConcurrentActivities)
    : OrchestrationServiceDecorator(service, client, maxConcurrentOrchestrations, maxConcurrentActivities)
{
    public override async Task<TaskOrchestrationWorkItem> LockNextTaskOrchestrationWorkItemAsync(
        TimeSpan receiveTimeout, CancellationToken cancellationToken)
    {
        var workItem = await base.LockNextTaskOrchestrationWorkItemAsync(receiveTimeout, cancellationToken);
        if (workItem?.NewMessages is { Count: > 0 } messages && workItem.OrchestrationRuntimeState is { } state)
            workItem.NewMessages = Filter(messages, state.Events);
        return workItem!;
    }

    internal static List<TaskMessage> Filter(IList<TaskMessage> messages, IEnumerable<HistoryEvent> history)
    {
        var seen = history.Select(ResultKey).OfType<string>().ToHashSet();
        return messages.Where(m => ResultKey(m.Event) is not { } key || seen.Add(key)).ToList();
    }

    /// <summary>What makes a delivery the same as an earlier one; null for events that are not deduped.</summary>
    internal static string? ResultKey(HistoryEvent e) => e switch
    {
        TaskCompletedEvent c => $"task:{c.TaskScheduledId}",
        TaskFailedEvent f => $"task:{f.TaskScheduledId}",
        SubOrchestrationInstanceCompletedEvent c => $"sub:{c.TaskScheduledId}",
        SubOrchestrationInstanceFailedEvent f => $"sub:{f.TaskScheduledId}",
        TimerFiredEvent t => $"timer:{t.TimerId}",
        EventRaisedEvent r => $"event:{r.Name}:{DeliveryOrder.HappenedAt(r).Ticks}:{r.Input}",
        // Per execution: a start of a new execution with the same instance id (a restart) is not a duplicate.
        ExecutionStartedEvent s => $"start:{s.OrchestrationInstance?.ExecutionId}",
        _ => null,
    };
}
