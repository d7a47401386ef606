using DurableTask.Core;
using DurableTask.Core.History;

namespace Personas.Durable.Hosting;

/// <summary>
/// Hands an episode's new messages to the sidecar in the order they happened: a timer at its due time, anything else
/// at its timestamp (when the client raised the event, the activity finished). After a backlog both an event and the
/// deadline timer that races it can be overdue in one episode, and the sidecar (InProcessTestHost 0.2.3-preview.1,
/// <c>FilterAndSortMessages</c>) puts messages that carry an execution id first: a TimerFired always has one, an
/// event raised by a client never does, so the deadline won although the reply came first. This sorts the messages
/// and gives the ones without an execution id the episode's, so the sidecar's stable sort keeps this order.
/// Equal times keep the backend's order (two events raised in one tick stay in the order they were raised).
/// </summary>
public sealed class DeliveryOrder(IOrchestrationService service, IOrchestrationServiceClient client,
    int maxConcurrentOrchestrations, int maxConcurrentActivities)
    : OrchestrationServiceDecorator(service, client, maxConcurrentOrchestrations, maxConcurrentActivities)
{
    public override async Task<TaskOrchestrationWorkItem> LockNextTaskOrchestrationWorkItemAsync(
        TimeSpan receiveTimeout, CancellationToken cancellationToken)
    {
        var workItem = await base.LockNextTaskOrchestrationWorkItemAsync(receiveTimeout, cancellationToken);
        if (workItem?.NewMessages is { Count: > 1 }) workItem.NewMessages = Ordered(workItem);
        return workItem!;
    }

    internal static List<TaskMessage> Ordered(TaskOrchestrationWorkItem workItem)
    {
        var messages = workItem.NewMessages;
        var executionId = workItem.OrchestrationRuntimeState?.OrchestrationInstance?.ExecutionId
            ?? messages.FirstOrDefault(m => m.Event is ExecutionStartedEvent)?.OrchestrationInstance?.ExecutionId;
        return messages
            .Select((message, index) => (message, index))
            .OrderBy(m => m.message.Event is ExecutionStartedEvent ? 0 : 1)
            .ThenBy(m => HappenedAt(m.message.Event))
            .ThenBy(m => m.index)
            .Select(m => WithExecution(m.message, executionId))
            .ToList();
    }

    /// <summary>A timer happens when it is due; it was created (its timestamp) long before.</summary>
    internal static DateTime HappenedAt(HistoryEvent e)
    {
        var at = e is TimerFiredEvent fired ? fired.FireAt : e.Timestamp;
        return at.Kind == DateTimeKind.Local ? at.ToUniversalTime() : at;
    }

    /// <summary>A copy addressed to the running execution; the backend's own message object stays as it was.</summary>
    private static TaskMessage WithExecution(TaskMessage message, string? executionId)
    {
        if (executionId is null || message.OrchestrationInstance is not { ExecutionId: null } instance
            || message.Event is ExecutionStartedEvent) return message;
        return new TaskMessage
        {
            Event = message.Event,
            SequenceNumber = message.SequenceNumber,
            OrchestrationExecutionContext = message.OrchestrationExecutionContext,
            ExtensionData = message.ExtensionData,
            OrchestrationInstance = new OrchestrationInstance
            {
                InstanceId = instance.InstanceId, ExecutionId = executionId,
            },
        };
    }
}
