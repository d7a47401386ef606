using DurableTask.Core;
using DurableTask.Core.History;

namespace Personas.Durable.Hosting;

/// <summary>
/// Fails a parent at once when it starts a sub-orchestration under an instance id that a running instance holds.
/// Backends drop (or dedupe away) an ExecutionStarted for a live instance, so the parent would wait forever for a
/// child that never starts. A finished instance of that id may be started again: that is how a retried
/// sub-orchestration with an explicit id is re-created on each attempt.
/// </summary>
public sealed class SubOrchestrationIdGuard(IOrchestrationService service, IOrchestrationServiceClient client,
    int maxConcurrentOrchestrations, int maxConcurrentActivities)
    : OrchestrationServiceDecorator(service, client, maxConcurrentOrchestrations, maxConcurrentActivities)
{
    private static readonly OrchestrationStatus[] Live =
        [OrchestrationStatus.Pending, OrchestrationStatus.Running, OrchestrationStatus.Suspended];

    public override async Task CompleteTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem,
        OrchestrationRuntimeState newOrchestrationRuntimeState, IList<TaskMessage> outboundMessages,
        IList<TaskMessage> orchestratorMessages, IList<TaskMessage> timerMessages, TaskMessage continuedAsNewMessage,
        OrchestrationState orchestrationState)
    {
        var messages = orchestratorMessages?.ToList() ?? [];
        for (var i = 0; i < messages.Count; i++)
        {
            if (messages[i].Event is not ExecutionStartedEvent { ParentInstance: { } parent } started) continue;
            var childId = messages[i].OrchestrationInstance.InstanceId;
            if (!await IsHeldByAnotherAsync(childId, parent.OrchestrationInstance.InstanceId)) continue;
            var message = $"Sub-orchestration '{started.Name}' cannot start as '{childId}': an instance with that id " +
                "is already running.";
            messages[i] = new TaskMessage
            {
                OrchestrationInstance = parent.OrchestrationInstance,
                Event = new SubOrchestrationInstanceFailedEvent(-1, parent.TaskScheduleId, message, "",
                    new FailureDetails("InstanceIdConflict", message, null, null, true)),
            };
        }
        await base.CompleteTaskOrchestrationWorkItemAsync(workItem, newOrchestrationRuntimeState, outboundMessages,
            messages, timerMessages, continuedAsNewMessage, orchestrationState);
    }

    /// <summary>
    /// A live child that this same parent started is ours: after a crash the parent's episode runs again and resends
    /// the start, which the backend dedupes. Only a live instance of someone else is a conflict.
    /// </summary>
    private async Task<bool> IsHeldByAnotherAsync(string childId, string parentId)
    {
        if (childId == parentId) return false;
        var states = await InnerClient.GetOrchestrationStateAsync(childId, allExecutions: false);
        return states?.FirstOrDefault() is { } state && Live.Contains(state.OrchestrationStatus)
            && state.ParentInstance?.OrchestrationInstance?.InstanceId != parentId;
    }
}
