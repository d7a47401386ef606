using DurableTask.Core;
using DurableTask.Core.History;

namespace Personas.Durable.Hosting;

/// <summary>
/// Durable timers and scheduled starts on Azure Storage wait in the queue as invisible messages, and the queue takes
/// the delay in whole seconds: Azure.Storage.Queues truncates it (DurableTask.AzureStorage's TaskHubQueue passes
/// <c>FireAt - now</c>), so a timer or a scheduled start ran up to 1 s early (measured on Azurite: a 2 s timer
/// resumed after 1.2 s). Adding 1 s to the due time on the way in makes the truncated delay end strictly after the
/// real due time (at most 1 s late). The TimerFired's own FireAt is put back from its TimerCreated when it is
/// delivered, so history keeps the time the orchestrator asked for. A scheduled start keeps the later time in its
/// ExecutionStarted event (the client's status does not show it).
/// </summary>
public sealed class AzureStorageQueueTimes(IOrchestrationService service, IOrchestrationServiceClient client,
    int maxConcurrentOrchestrations, int maxConcurrentActivities)
    : OrchestrationServiceDecorator(service, client, maxConcurrentOrchestrations, maxConcurrentActivities)
{
    internal static readonly TimeSpan QueueResolution = TimeSpan.FromSeconds(1);

    public override Task CompleteTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem,
        OrchestrationRuntimeState newOrchestrationRuntimeState, IList<TaskMessage> outboundMessages,
        IList<TaskMessage> orchestratorMessages, IList<TaskMessage> timerMessages, TaskMessage continuedAsNewMessage,
        OrchestrationState orchestrationState)
    {
        foreach (var message in timerMessages)
        {
            // A copy: the dispatcher's event object is also the runtime state's, which is not ours to change.
            if (message.Event is TimerFiredEvent fired)
                message.Event = new TimerFiredEvent(fired.EventId, fired.FireAt + QueueResolution)
                {
                    TimerId = fired.TimerId, Timestamp = fired.Timestamp,
                };
        }
        return base.CompleteTaskOrchestrationWorkItemAsync(workItem, newOrchestrationRuntimeState, outboundMessages,
            orchestratorMessages, timerMessages, continuedAsNewMessage, orchestrationState);
    }

    public override Task CreateTaskOrchestrationAsync(TaskMessage creationMessage)
    {
        DelayScheduledStart(creationMessage);
        return base.CreateTaskOrchestrationAsync(creationMessage);
    }

    public override Task CreateTaskOrchestrationAsync(TaskMessage creationMessage,
        OrchestrationStatus[] dedupeStatuses)
    {
        DelayScheduledStart(creationMessage);
        return base.CreateTaskOrchestrationAsync(creationMessage, dedupeStatuses);
    }

    public override async Task<TaskOrchestrationWorkItem> LockNextTaskOrchestrationWorkItemAsync(
        TimeSpan receiveTimeout, CancellationToken cancellationToken)
    {
        var workItem = await base.LockNextTaskOrchestrationWorkItemAsync(receiveTimeout, cancellationToken);
        if (workItem?.NewMessages is { } messages && workItem.OrchestrationRuntimeState is { } state)
            RestoreFireAt(messages, state);
        return workItem!;
    }

    internal static void RestoreFireAt(IList<TaskMessage> messages, OrchestrationRuntimeState state)
    {
        foreach (var message in messages)
        {
            if (message.Event is not TimerFiredEvent fired) continue;
            var created = state.Events.OfType<TimerCreatedEvent>().LastOrDefault(t => t.EventId == fired.TimerId);
            if (created is not null) fired.FireAt = created.FireAt;
        }
    }

    private static void DelayScheduledStart(TaskMessage message)
    {
        if (message.Event is ExecutionStartedEvent { ScheduledStartTime: { } at } started && at > DateTime.UtcNow)
            started.ScheduledStartTime = at + QueueResolution;
    }
}
