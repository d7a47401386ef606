using DurableTask.Core;
using DurableTask.Core.History;

namespace Personas.Durable.Hosting;

/// <summary>
/// Repairs two kinds of event that the sidecar (InProcessTestHost 0.2.3-preview.1) hands a backend in a form that
/// cannot be persisted (platform.md): every backend that serializes history is wrapped in this.
/// <list type="bullet">
/// <item>ExecutionStartedEvent.Tags may be the protobuf MapField from the request; Json.NET writes its type name and
/// then cannot load it again (a poison message). It becomes a plain Dictionary.</item>
/// <item>GrpcSubOrchestrationInstanceCreatedEvent is a subclass without [DataContract], so Azure Storage writes a
/// history row without an EventType. It becomes a plain SubOrchestrationInstanceCreatedEvent.</item>
/// <item>A failed orchestration's ExecutionCompletedEvent comes without its FailureDetails ("failure details aren't
/// being stored in the orchestration history, currently"); they are only on the OrchestrationState handed along,
/// which Azure Storage ignores, so its clients saw none. The event gets them back from that state.</item>
/// </list>
/// </summary>
public sealed class SidecarEventRepairs(IOrchestrationService service, IOrchestrationServiceClient client,
    int maxConcurrentOrchestrations, int maxConcurrentActivities)
    : OrchestrationServiceDecorator(service, client, maxConcurrentOrchestrations, maxConcurrentActivities)
{
    public override Task CompleteTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem,
        OrchestrationRuntimeState newOrchestrationRuntimeState, IList<TaskMessage> outboundMessages,
        IList<TaskMessage> orchestratorMessages, IList<TaskMessage> timerMessages, TaskMessage continuedAsNewMessage,
        OrchestrationState orchestrationState)
    {
        RepairRuntimeState(newOrchestrationRuntimeState);
        RepairFailure(newOrchestrationRuntimeState, orchestrationState?.FailureDetails);
        RepairMessages(outboundMessages);
        RepairMessages(orchestratorMessages);
        RepairMessages(timerMessages);
        if (continuedAsNewMessage is not null) RepairMessage(continuedAsNewMessage);
        if (orchestrationState?.Tags is { } tags) orchestrationState.Tags = Plain(tags);
        return base.CompleteTaskOrchestrationWorkItemAsync(workItem, newOrchestrationRuntimeState, outboundMessages,
            orchestratorMessages, timerMessages, continuedAsNewMessage!, orchestrationState!);
    }

    // The client side builds ExecutionStartedEvents from gRPC requests too (start, sub-orchestration messages).
    public override Task CreateTaskOrchestrationAsync(TaskMessage creationMessage)
    {
        RepairMessage(creationMessage);
        return base.CreateTaskOrchestrationAsync(creationMessage);
    }

    public override Task CreateTaskOrchestrationAsync(TaskMessage creationMessage,
        OrchestrationStatus[] dedupeStatuses)
    {
        RepairMessage(creationMessage);
        return base.CreateTaskOrchestrationAsync(creationMessage, dedupeStatuses);
    }

    public override Task SendTaskOrchestrationMessageAsync(TaskMessage message)
    {
        RepairMessage(message);
        return base.SendTaskOrchestrationMessageAsync(message);
    }

    public override Task SendTaskOrchestrationMessageBatchAsync(params TaskMessage[] messages)
    {
        RepairMessages(messages);
        return base.SendTaskOrchestrationMessageBatchAsync(messages);
    }

    /// <summary>
    /// Rewrites the runtime state's new events in place; old events were repaired when they were new.
    /// </summary>
    internal static void RepairRuntimeState(OrchestrationRuntimeState? state)
    {
        if (state is null) return;
        // Three separate lists: backends write NewEvents, and some cache Events or PastEvents for the next episode.
        RepairList(state.NewEvents);
        RepairList(state.PastEvents);
        RepairList(state.Events);
        if (state.ExecutionStartedEvent is { } started) RepairTags(started);
    }

    /// <summary>Puts the failure details into the new ExecutionCompletedEvent of a failed execution.</summary>
    internal static void RepairFailure(OrchestrationRuntimeState? state, FailureDetails? failure)
    {
        if (state is null || failure is null) return;
        if (state.ExecutionCompletedEvent is not { FailureDetails: null } completed
            || completed.OrchestrationStatus != OrchestrationStatus.Failed) return;
        var repaired = new ExecutionCompletedEvent(completed.EventId, completed.Result, completed.OrchestrationStatus,
            failure)
        {
            Timestamp = completed.Timestamp, IsPlayed = completed.IsPlayed,
        };
        foreach (var list in new[] { state.NewEvents, state.Events })
            for (var i = 0; i < list.Count; i++)
                if (ReferenceEquals(list[i], completed)) list[i] = repaired;
        state.ExecutionCompletedEvent = repaired;
    }

    internal static void RepairMessages(IList<TaskMessage>? messages)
    {
        if (messages is null) return;
        foreach (var message in messages) RepairMessage(message);
    }

    internal static void RepairMessage(TaskMessage message)
    {
        if (message.Event is ExecutionStartedEvent started) RepairTags(started);
        else if (Repaired(message.Event) is { } plain) message.Event = plain;
    }

    /// <summary>History lists are read-only to callers, so a replaced event is swapped in through IList.</summary>
    private static void RepairList(IList<HistoryEvent> events)
    {
        for (var i = 0; i < events.Count; i++)
        {
            if (events[i] is ExecutionStartedEvent started) RepairTags(started);
            else if (Repaired(events[i]) is { } plain) events[i] = plain;
        }
    }

    internal static HistoryEvent? Repaired(HistoryEvent e)
    {
        if (e is not SubOrchestrationInstanceCreatedEvent created
                || e.GetType() == typeof(SubOrchestrationInstanceCreatedEvent))
            return null;
        return new SubOrchestrationInstanceCreatedEvent(created.EventId)
        {
            Name = created.Name,
            Version = created.Version,
            InstanceId = created.InstanceId,
            Input = created.Input,
            ClientSpanId = created.ClientSpanId,
            Timestamp = created.Timestamp,
            IsPlayed = created.IsPlayed,
            Tags = created.Tags is null ? null : Plain(created.Tags),
        };
    }

    internal static void RepairTags(ExecutionStartedEvent started)
    {
        if (started.Tags is { } tags && tags.GetType() != typeof(Dictionary<string, string>))
            started.Tags = Plain(tags);
    }

    private static Dictionary<string, string> Plain(IDictionary<string, string> tags) => new(tags);
}
