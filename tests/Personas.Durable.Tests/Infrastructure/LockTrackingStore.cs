using System.Collections.Concurrent;
using Personas.Durable.History;
using Personas.Durable.Storage;

namespace Personas.Durable.Tests.Infrastructure;

/// <summary>
/// Wraps a store and records which worker holds which instance, across every store sharing one
/// <see cref="Holders"/> map. A claim of an instance already held elsewhere is an overlap: two workers running it at once.
/// The hold is released just before the commit, while the store still holds the lock, so a fair hand-over never counts.
/// </summary>
public sealed class LockTrackingStore(IOrchestrationStore inner, string name, ConcurrentDictionary<string, string> holders) : IOrchestrationStore
{
    private int _overlaps;
    private int _episodes;

    public ConcurrentDictionary<string, string> Holders => holders;

    /// <summary>Runs before each commit, while this worker still holds the instance: a test can make others work meanwhile.</summary>
    public Func<Task>? BeforeCommit { get; set; }

    /// <summary>Completes when this store has handed out its first instance.</summary>
    public TaskCompletionSource FirstClaim { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public int Overlaps => _overlaps;
    public int Episodes => _episodes;
    public WorkSignal WorkAvailable => inner.WorkAvailable;

    public async Task<IReadOnlyList<OrchestrationWorkItem>> LockOrchestrationsAsync(string workerId, int max, TimeSpan lease, CancellationToken ct = default)
    {
        var items = await inner.LockOrchestrationsAsync(workerId, max, lease, ct);
        foreach (var item in items)
        {
            if (!holders.TryAdd(item.Instance.InstanceId, name)) Interlocked.Increment(ref _overlaps);
            Interlocked.Increment(ref _episodes);
        }
        if (items.Count > 0) FirstClaim.TrySetResult();
        return items;
    }

    public async Task CompleteOrchestrationAsync(OrchestrationWorkItem workItem, EpisodeCommit commit, CancellationToken ct = default)
    {
        if (BeforeCommit is { } hook) await hook();
        holders.TryRemove(workItem.Instance.InstanceId, out _);
        await inner.CompleteOrchestrationAsync(workItem, commit, ct);
    }

    public Task AbandonOrchestrationAsync(OrchestrationWorkItem workItem, TimeSpan retryAfter, CancellationToken ct = default)
    {
        holders.TryRemove(workItem.Instance.InstanceId, out _);
        return inner.AbandonOrchestrationAsync(workItem, retryAfter, ct);
    }

    public Task InitializeAsync(CancellationToken ct = default) => inner.InitializeAsync(ct);
    public Task<bool> CreateInstanceAsync(NewInstance instance, CancellationToken ct = default) => inner.CreateInstanceAsync(instance, ct);
    public Task SendMessageAsync(OrchestrationMessage message, CancellationToken ct = default) => inner.SendMessageAsync(message, ct);
    public Task<IReadOnlyList<ActivityWorkItem>> LockActivitiesAsync(string workerId, int max, TimeSpan lease, CancellationToken ct = default) => inner.LockActivitiesAsync(workerId, max, lease, ct);
    public Task RenewActivityLeaseAsync(ActivityWorkItem workItem, TimeSpan lease, CancellationToken ct = default) => inner.RenewActivityLeaseAsync(workItem, lease, ct);
    public Task<int> CompleteActivitiesAsync(IReadOnlyList<ActivityResult> results, CancellationToken ct = default) => inner.CompleteActivitiesAsync(results, ct);
    public Task<OrchestrationMetadata?> GetInstanceAsync(string instanceId, CancellationToken ct = default) => inner.GetInstanceAsync(instanceId, ct);
    public Task<IReadOnlyList<HistoryEvent>> GetHistoryAsync(string instanceId, CancellationToken ct = default) => inner.GetHistoryAsync(instanceId, ct);
    public Task<InstancePage> QueryInstancesAsync(InstanceQuery query, CancellationToken ct = default) => inner.QueryInstancesAsync(query, ct);
    public Task<bool> PurgeInstanceAsync(string instanceId, CancellationToken ct = default) => inner.PurgeInstanceAsync(instanceId, ct);
}
