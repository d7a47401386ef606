using DurableTask.Core;
using DurableTask.Core.Query;

namespace Personas.Durable.Hosting;

/// <summary>
/// Wraps a DurableTask.Core backend so the sidecar can be given other concurrency caps than the backend's own, and
/// so subclasses can repair what the sidecar hands the backend. Everything not overridden passes straight through.
/// </summary>
public class OrchestrationServiceDecorator(IOrchestrationService service, IOrchestrationServiceClient client,
    int maxConcurrentOrchestrations, int maxConcurrentActivities)
    : IOrchestrationService, IOrchestrationServiceClient, IOrchestrationServiceQueryClient,
        IOrchestrationServicePurgeClient, IDisposable
{
    public IOrchestrationService Inner { get; } = service;
    public IOrchestrationServiceClient InnerClient { get; } = client;

    public int MaxConcurrentTaskOrchestrationWorkItems { get; } = maxConcurrentOrchestrations;
    public int MaxConcurrentTaskActivityWorkItems { get; } = maxConcurrentActivities;
    public int TaskOrchestrationDispatcherCount => Inner.TaskOrchestrationDispatcherCount;
    public int TaskActivityDispatcherCount => Inner.TaskActivityDispatcherCount;
    public BehaviorOnContinueAsNew EventBehaviourForContinueAsNew => Inner.EventBehaviourForContinueAsNew;

    private int _started;

    public virtual async Task StartAsync()
    {
        await Inner.StartAsync();
        Interlocked.Exchange(ref _started, 1); // a start that threw half way leaves Azure Storage unable to stop
    }

    // The sidecar stops the service when its host stops even if no worker ever started it (a client-only host), and
    // AzureStorageOrchestrationService.StopAsync then throws a NullReferenceException on a thread-pool callback,
    // which kills the process. Only a started service is stopped.
    public virtual Task StopAsync() => StopAsync(false);

    public virtual Task StopAsync(bool isForced) =>
        Interlocked.Exchange(ref _started, 0) == 1 ? Inner.StopAsync(isForced) : Task.CompletedTask;
    private int _disposed;

    /// <summary>
    /// Disposes the backend (SQLite closes its database) once: the container disposes the sidecar server through
    /// both of its registrations, and SQLite's Dispose throws the second time.
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        (Inner as IDisposable)?.Dispose();
        GC.SuppressFinalize(this);
    }

    public Task CreateAsync() => Inner.CreateAsync();
    public Task CreateAsync(bool recreateInstanceStore) => Inner.CreateAsync(recreateInstanceStore);
    public Task CreateIfNotExistsAsync() => Inner.CreateIfNotExistsAsync();
    public Task DeleteAsync() => Inner.DeleteAsync();
    public Task DeleteAsync(bool deleteInstanceStore) => Inner.DeleteAsync(deleteInstanceStore);
    public bool IsMaxMessageCountExceeded(int currentMessageCount, OrchestrationRuntimeState runtimeState) =>
        Inner.IsMaxMessageCountExceeded(currentMessageCount, runtimeState);
    public int GetDelayInSecondsAfterOnProcessException(Exception exception) =>
        Inner.GetDelayInSecondsAfterOnProcessException(exception);
    public int GetDelayInSecondsAfterOnFetchException(Exception exception) =>
        Inner.GetDelayInSecondsAfterOnFetchException(exception);

    public virtual Task<TaskOrchestrationWorkItem> LockNextTaskOrchestrationWorkItemAsync(TimeSpan receiveTimeout,
        CancellationToken cancellationToken) =>
        Inner.LockNextTaskOrchestrationWorkItemAsync(receiveTimeout, cancellationToken);
    public Task RenewTaskOrchestrationWorkItemLockAsync(TaskOrchestrationWorkItem workItem) =>
        Inner.RenewTaskOrchestrationWorkItemLockAsync(workItem);
    public virtual Task CompleteTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem,
        OrchestrationRuntimeState newOrchestrationRuntimeState, IList<TaskMessage> outboundMessages,
        IList<TaskMessage> orchestratorMessages, IList<TaskMessage> timerMessages, TaskMessage continuedAsNewMessage,
        OrchestrationState orchestrationState) =>
        Inner.CompleteTaskOrchestrationWorkItemAsync(workItem, newOrchestrationRuntimeState, outboundMessages,
            orchestratorMessages, timerMessages, continuedAsNewMessage, orchestrationState);
    public virtual Task AbandonTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem) =>
        Inner.AbandonTaskOrchestrationWorkItemAsync(workItem);
    public virtual Task ReleaseTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem) =>
        Inner.ReleaseTaskOrchestrationWorkItemAsync(workItem);
    public virtual Task<TaskActivityWorkItem> LockNextTaskActivityWorkItem(TimeSpan receiveTimeout,
        CancellationToken cancellationToken) =>
        Inner.LockNextTaskActivityWorkItem(receiveTimeout, cancellationToken);
    public Task<TaskActivityWorkItem> RenewTaskActivityWorkItemLockAsync(TaskActivityWorkItem workItem) =>
        Inner.RenewTaskActivityWorkItemLockAsync(workItem);
    public virtual Task CompleteTaskActivityWorkItemAsync(TaskActivityWorkItem workItem, TaskMessage responseMessage) =>
        Inner.CompleteTaskActivityWorkItemAsync(workItem, responseMessage);
    public virtual Task AbandonTaskActivityWorkItemAsync(TaskActivityWorkItem workItem) =>
        Inner.AbandonTaskActivityWorkItemAsync(workItem);

    public virtual Task CreateTaskOrchestrationAsync(TaskMessage creationMessage) =>
        InnerClient.CreateTaskOrchestrationAsync(creationMessage);
    public virtual Task CreateTaskOrchestrationAsync(TaskMessage creationMessage,
        OrchestrationStatus[] dedupeStatuses) =>
        InnerClient.CreateTaskOrchestrationAsync(creationMessage, dedupeStatuses);
    public virtual Task SendTaskOrchestrationMessageAsync(TaskMessage message) =>
        InnerClient.SendTaskOrchestrationMessageAsync(message);
    public virtual Task SendTaskOrchestrationMessageBatchAsync(params TaskMessage[] messages) =>
        InnerClient.SendTaskOrchestrationMessageBatchAsync(messages);
    public virtual Task<OrchestrationState> WaitForOrchestrationAsync(string instanceId, string executionId,
        TimeSpan timeout, CancellationToken cancellationToken) =>
        InnerClient.WaitForOrchestrationAsync(instanceId, executionId, timeout, cancellationToken);
    public Task ForceTerminateTaskOrchestrationAsync(string instanceId, string reason) =>
        InnerClient.ForceTerminateTaskOrchestrationAsync(instanceId, reason);
    public virtual Task<IList<OrchestrationState>> GetOrchestrationStateAsync(string instanceId, bool allExecutions) =>
        InnerClient.GetOrchestrationStateAsync(instanceId, allExecutions);
    public virtual Task<OrchestrationState> GetOrchestrationStateAsync(string instanceId, string executionId) =>
        InnerClient.GetOrchestrationStateAsync(instanceId, executionId);
    public Task<string> GetOrchestrationHistoryAsync(string instanceId, string executionId) =>
        InnerClient.GetOrchestrationHistoryAsync(instanceId, executionId);
    public Task PurgeOrchestrationHistoryAsync(DateTime thresholdDateTimeUtc,
        OrchestrationStateTimeRangeFilterType timeRangeFilterType) =>
        InnerClient.PurgeOrchestrationHistoryAsync(thresholdDateTimeUtc, timeRangeFilterType);

    public virtual Task<OrchestrationQueryResult> GetOrchestrationWithQueryAsync(OrchestrationQuery query,
        CancellationToken cancellationToken) =>
        InnerClient is IOrchestrationServiceQueryClient queries
            ? queries.GetOrchestrationWithQueryAsync(query, cancellationToken)
            : throw new NotSupportedException($"{InnerClient.GetType().Name} cannot query instances.");

    public Task<PurgeResult> PurgeInstanceStateAsync(string instanceId) =>
        PurgeClient.PurgeInstanceStateAsync(instanceId);

    public Task<PurgeResult> PurgeInstanceStateAsync(PurgeInstanceFilter purgeInstanceFilter) =>
        PurgeClient.PurgeInstanceStateAsync(purgeInstanceFilter);

    private IOrchestrationServicePurgeClient PurgeClient => InnerClient as IOrchestrationServicePurgeClient
        ?? throw new NotSupportedException($"{InnerClient.GetType().Name} cannot purge instances.");
}
