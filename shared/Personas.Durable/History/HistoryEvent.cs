namespace Personas.Durable.History;

/// <summary>What happened to an orchestration, in the order it happened. Replaying these rebuilds its state.</summary>
public enum HistoryEventType
{
    ExecutionStarted,
    OrchestratorStarted,
    TaskScheduled,
    TaskCompleted,
    TaskFailed,
    TimerCreated,
    TimerFired,
    SubOrchestrationCreated,
    SubOrchestrationCompleted,
    SubOrchestrationFailed,
    EventRaised,
    ExecutionSuspended,
    ExecutionResumed,
    ExecutionTerminated,
    ExecutionCompleted,
}

/// <summary>
/// One flat record for every event type keeps the store schema-free and the JSON small.
/// <see cref="TaskId"/> is the id of the scheduled task for *Scheduled/*Created events and the id of the
/// task being answered for *Completed/*Failed/TimerFired events.
/// </summary>
public sealed record HistoryEvent(HistoryEventType Type, DateTimeOffset Timestamp)
{
    public int TaskId { get; init; } = -1;
    public string? Name { get; init; }
    public string? Version { get; init; }
    /// <summary>Serialized input, result, event payload or reason.</summary>
    public string? Data { get; init; }
    public TaskFailureDetails? Failure { get; init; }
    public DateTimeOffset? FireAt { get; init; }
    /// <summary>Sub-orchestration instance id (on SubOrchestrationCreated).</summary>
    public string? InstanceId { get; init; }
    /// <summary>Caller-supplied id of a raised event, used to drop duplicate deliveries.</summary>
    public string? EventId { get; init; }
    /// <summary>Final status on ExecutionCompleted.</summary>
    public OrchestrationRuntimeStatus? Status { get; init; }
    public ParentInstance? Parent { get; init; }
    public IReadOnlyDictionary<string, string>? Tags { get; init; }

    public bool IsScheduling => Type is HistoryEventType.TaskScheduled or HistoryEventType.TimerCreated or HistoryEventType.SubOrchestrationCreated;
    public bool IsTaskAnswer => Type is HistoryEventType.TaskCompleted or HistoryEventType.TaskFailed or HistoryEventType.TimerFired
        or HistoryEventType.SubOrchestrationCompleted or HistoryEventType.SubOrchestrationFailed;
    public bool IsControl => Type is HistoryEventType.ExecutionTerminated or HistoryEventType.ExecutionSuspended or HistoryEventType.ExecutionResumed;
}

/// <summary>Where a sub-orchestration reports back when it finishes.</summary>
public sealed record ParentInstance(string InstanceId, string ExecutionId, int TaskId);
