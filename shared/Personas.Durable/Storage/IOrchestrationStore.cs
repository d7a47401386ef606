using Personas.Durable.History;

namespace Personas.Durable.Storage;

/// <summary>
/// Where instances, their history and their pending work live. Implemented on SQLite (embedded) and Cosmos DB.
/// The contract every implementation keeps:
/// <list type="bullet">
/// <item>An episode's new history, the messages it consumed and the work it emits commit atomically, and only while
/// the committing worker still holds the instance lock.</item>
/// <item>Work is handed out under leases; an expired lease makes the work available again.</item>
/// <item>Messages carry ids; a second message with the same id for the same instance is dropped.</item>
/// </list>
/// The conformance suite in tests/ holds every implementation to this.
/// </summary>
public interface IOrchestrationStore
{
    /// <summary>Pulsed whenever this process adds work, so local workers need not wait for their next poll.</summary>
    WorkSignal WorkAvailable { get; }

    Task InitializeAsync(CancellationToken cancellationToken = default);

    /// <summary>Creates the instance and its start message. Returns false, changing nothing, when the id exists.</summary>
    Task<bool> CreateInstanceAsync(NewInstance instance, CancellationToken cancellationToken = default);

    /// <summary>Adds a message to a live instance's inbox.</summary>
    /// <exception cref="OrchestrationNotFoundException">No such instance.</exception>
    /// <exception cref="OrchestrationStateException">The instance has finished.</exception>
    Task SendMessageAsync(OrchestrationMessage message, CancellationToken cancellationToken = default);

    /// <summary>Locks up to <paramref name="max"/> instances that have due messages, with their history and those messages.</summary>
    Task<IReadOnlyList<OrchestrationWorkItem>> LockOrchestrationsAsync(string workerId, int max, TimeSpan lease, CancellationToken cancellationToken = default);

    /// <summary>Commits an episode atomically and releases the lock.</summary>
    /// <exception cref="LeaseLostException">Another worker took the instance; nothing was written.</exception>
    Task CompleteOrchestrationAsync(OrchestrationWorkItem workItem, EpisodeCommit commit, CancellationToken cancellationToken = default);

    /// <summary>Releases the lock without committing; the messages become visible again after <paramref name="retryAfter"/>.</summary>
    Task AbandonOrchestrationAsync(OrchestrationWorkItem workItem, TimeSpan retryAfter, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<ActivityWorkItem>> LockActivitiesAsync(string workerId, int max, TimeSpan lease, CancellationToken cancellationToken = default);

    /// <exception cref="LeaseLostException">Another worker took the activity.</exception>
    Task RenewActivityLeaseAsync(ActivityWorkItem workItem, TimeSpan lease, CancellationToken cancellationToken = default);

    /// <summary>Removes finished activities and delivers their results to their instances, atomically per activity.</summary>
    /// <returns>How many results were delivered; an activity whose lease was lost meanwhile is skipped.</returns>
    Task<int> CompleteActivitiesAsync(IReadOnlyList<ActivityResult> results, CancellationToken cancellationToken = default);

    Task<OrchestrationMetadata?> GetInstanceAsync(string instanceId, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<HistoryEvent>> GetHistoryAsync(string instanceId, CancellationToken cancellationToken = default);

    Task<InstancePage> QueryInstancesAsync(InstanceQuery query, CancellationToken cancellationToken = default);

    /// <summary>Deletes a finished instance with its history. Returns false when it did not exist.</summary>
    /// <exception cref="OrchestrationStateException">The instance has not finished.</exception>
    Task<bool> PurgeInstanceAsync(string instanceId, CancellationToken cancellationToken = default);
}

/// <summary>An event addressed to one instance, visible from <see cref="VisibleAt"/> (later for timers).</summary>
public sealed record OrchestrationMessage(string Id, string InstanceId, string? ExecutionId, HistoryEvent Event, DateTimeOffset VisibleAt)
{
    /// <summary>Store-assigned position in the inbox.</summary>
    public long Sequence { get; init; }
}

public sealed record NewInstance(OrchestrationMetadata Metadata, OrchestrationMessage StartMessage);

public sealed record OrchestrationWorkItem(
    OrchestrationMetadata Instance,
    IReadOnlyList<HistoryEvent> History,
    IReadOnlyList<OrchestrationMessage> Messages,
    string LockOwner);

/// <summary>Everything one episode changes, committed at once.</summary>
public sealed record EpisodeCommit
{
    public required IReadOnlyList<OrchestrationMessage> ConsumedMessages { get; init; }
    public required IReadOnlyList<HistoryEvent> NewHistory { get; init; }
    public required OrchestrationRuntimeStatus Status { get; init; }
    public string? Version { get; init; }
    public string? Output { get; init; }
    public string? CustomStatus { get; init; }
    public TaskFailureDetails? Failure { get; init; }
    public IReadOnlyList<ActivityRequest> Activities { get; init; } = [];
    /// <summary>Messages to this or other instances: timers, results for a parent.</summary>
    public IReadOnlyList<OrchestrationMessage> Messages { get; init; } = [];
    public IReadOnlyList<NewInstance> SubOrchestrations { get; init; } = [];
    /// <summary>Set on ContinueAsNew: history is cleared and the instance restarts under this execution id.</summary>
    public string? NewExecutionId { get; init; }
    public string? NewInput { get; init; }
}

public sealed record ActivityRequest(int TaskId, string Name, string? Input);

public sealed record ActivityWorkItem(string Id, string InstanceId, string ExecutionId, int TaskId, string Name, string? Input, int DeliveryCount, string LockOwner);

public sealed record ActivityResult(ActivityWorkItem WorkItem, HistoryEvent Outcome);

public sealed record InstanceQuery
{
    public IReadOnlyCollection<OrchestrationRuntimeStatus>? Statuses { get; init; }
    public string? Name { get; init; }
    public DateTimeOffset? CreatedFrom { get; init; }
    public DateTimeOffset? CreatedTo { get; init; }
    /// <summary>Only instances carrying all of these tags.</summary>
    public IReadOnlyDictionary<string, string>? Tags { get; init; }
    public string? InstanceIdPrefix { get; init; }
    public int PageSize { get; init; } = 100;
    public string? ContinuationToken { get; init; }
    public bool FetchInputsAndOutputs { get; init; } = true;
}

public sealed record InstancePage(IReadOnlyList<OrchestrationMetadata> Instances, string? ContinuationToken);
