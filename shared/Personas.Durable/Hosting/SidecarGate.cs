using System.Collections.Concurrent;
using DurableTask.Core;
using DurableTask.Core.History;

namespace Personas.Durable.Hosting;

/// <summary>
/// The outermost decorator of every backend, the sidecar's side of <see cref="PersonasSidecar"/>: it puts the
/// scheduled start of a client's start request on the message the backend gets, and crosses off the results the
/// sidecar received from the worker as the backend commits them, so a stopping host can wait until every result it
/// was handed is stored (<see cref="WaitForReceivedResultsAsync"/>).
/// </summary>
public sealed class SidecarGate(IOrchestrationService service, IOrchestrationServiceClient client,
    int maxConcurrentOrchestrations, int maxConcurrentActivities)
    : OrchestrationServiceDecorator(service, client, maxConcurrentOrchestrations, maxConcurrentActivities)
{
    internal static readonly AsyncLocal<DateTime?> RequestedStart = new();

    private readonly ConcurrentDictionary<string, int> _uncommitted = new();

    internal static string ActivityKey(string instanceId, int taskId) => $"a:{instanceId}:{taskId}";

    internal static string OrchestrationKey(string instanceId) => $"o:{instanceId}";

    /// <summary>Results received from the worker and not yet committed by the backend.</summary>
    public int Uncommitted => _uncommitted.Count;

    /// <summary>Raised with a result's key when the sidecar receives it from the worker (tests watch it).</summary>
    internal event Action<string>? ResultReceived;

    internal void Received(string key)
    {
        _uncommitted.AddOrUpdate(key, 1, (_, n) => n + 1);
        ResultReceived?.Invoke(key);
    }

    internal void Committed(string key)
    {
        if (_uncommitted.AddOrUpdate(key, 0, (_, n) => n - 1) <= 0) _uncommitted.TryRemove(key, out _);
    }

    /// <summary>Waits until every result received has been committed (or abandoned), or until the deadline.</summary>
    public async Task<bool> WaitForReceivedResultsAsync(TimeSpan deadline, CancellationToken cancellationToken)
    {
        var limit = DateTime.UtcNow + deadline;
        while (!_uncommitted.IsEmpty)
        {
            if (DateTime.UtcNow > limit || cancellationToken.IsCancellationRequested) return false;
            await Task.Delay(10, CancellationToken.None);
        }
        return true;
    }

    public override Task CreateTaskOrchestrationAsync(TaskMessage creationMessage)
    {
        ApplyRequestedStart(creationMessage);
        return base.CreateTaskOrchestrationAsync(creationMessage);
    }

    public override Task CreateTaskOrchestrationAsync(TaskMessage creationMessage,
        OrchestrationStatus[] dedupeStatuses)
    {
        ApplyRequestedStart(creationMessage);
        return base.CreateTaskOrchestrationAsync(creationMessage, dedupeStatuses);
    }

    public override async Task CompleteTaskActivityWorkItemAsync(TaskActivityWorkItem workItem,
        TaskMessage responseMessage)
    {
        try { await base.CompleteTaskActivityWorkItemAsync(workItem, responseMessage); }
        finally { Committed(ActivityKey(workItem)); }
    }

    public override async Task AbandonTaskActivityWorkItemAsync(TaskActivityWorkItem workItem)
    {
        try { await base.AbandonTaskActivityWorkItemAsync(workItem); }
        finally { Committed(ActivityKey(workItem)); }
    }

    public override async Task CompleteTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem,
        OrchestrationRuntimeState newOrchestrationRuntimeState, IList<TaskMessage> outboundMessages,
        IList<TaskMessage> orchestratorMessages, IList<TaskMessage> timerMessages, TaskMessage continuedAsNewMessage,
        OrchestrationState orchestrationState)
    {
        try
        {
            await base.CompleteTaskOrchestrationWorkItemAsync(workItem, newOrchestrationRuntimeState,
                outboundMessages, orchestratorMessages, timerMessages, continuedAsNewMessage, orchestrationState);
        }
        finally { Committed(OrchestrationKey(workItem.InstanceId)); }
    }

    public override async Task AbandonTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem)
    {
        try { await base.AbandonTaskOrchestrationWorkItemAsync(workItem); }
        finally { Committed(OrchestrationKey(workItem.InstanceId)); }
    }

    private static string ActivityKey(TaskActivityWorkItem workItem) =>
        ActivityKey(workItem.TaskMessage.OrchestrationInstance.InstanceId, workItem.TaskMessage.Event.EventId);

    private static void ApplyRequestedStart(TaskMessage creationMessage)
    {
        if (RequestedStart.Value is { } at
            && creationMessage.Event is ExecutionStartedEvent { ScheduledStartTime: null } e)
            e.ScheduledStartTime = at;
    }
}
