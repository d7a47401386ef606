using System.Collections.Concurrent;
using DurableTask.Core;
using Microsoft.Extensions.Logging;

namespace Personas.Durable.Hosting;

/// <summary>
/// Keeps a second delivery of work this host is still running away from the sidecar. The sidecar (InProcessTestHost
/// 0.2.3-preview.1) keys what it waits for by instance (an episode) or by instance and task id (an activity), and adds
/// the key with TryAdd: a second delivery while the first runs waits on a completion that nothing ever sets, and its
/// lease is renewed for ever, so the instance never moves again. A lease that lapses inside a running host (renewals
/// starved for a few seconds on a busy machine) delivers exactly that. The second delivery is held back here and
/// handed back to the backend (abandoned) once the first has ended, so the backend delivers it again, alone.
/// </summary>
public sealed class OneDeliveryInFlight(IOrchestrationService service, IOrchestrationServiceClient client,
    int maxConcurrentOrchestrations, int maxConcurrentActivities, ILogger logger)
    : OrchestrationServiceDecorator(service, client, maxConcurrentOrchestrations, maxConcurrentActivities)
{
    private readonly ConcurrentDictionary<string, Running> _running = new(StringComparer.OrdinalIgnoreCase);
    private volatile bool _stopping;

    /// <summary>Deliveries held back so far; tests read it.</summary>
    public int HeldBack => _heldBack;

    private int _heldBack;

    private sealed record Running(object WorkItem)
    {
        public TaskCompletionSource Ended { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public override async Task<TaskOrchestrationWorkItem> LockNextTaskOrchestrationWorkItemAsync(
        TimeSpan receiveTimeout, CancellationToken cancellationToken)
    {
        while (true)
        {
            var item = await base.LockNextTaskOrchestrationWorkItemAsync(receiveTimeout, cancellationToken);
            if (item is null || Admit(EpisodeKey(item), item, HandBackAsync)) return item!;
        }

        async Task HandBackAsync(TaskOrchestrationWorkItem duplicate)
        {
            await Inner.AbandonTaskOrchestrationWorkItemAsync(duplicate);
            await Inner.ReleaseTaskOrchestrationWorkItemAsync(duplicate);
        }
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
        finally
        {
            Ended(EpisodeKey(workItem), workItem);
        }
    }

    public override async Task AbandonTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem)
    {
        try { await base.AbandonTaskOrchestrationWorkItemAsync(workItem); }
        finally { Ended(EpisodeKey(workItem), workItem); }
    }

    public override async Task ReleaseTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem)
    {
        try { await base.ReleaseTaskOrchestrationWorkItemAsync(workItem); }
        finally { Ended(EpisodeKey(workItem), workItem); }
    }

    public override async Task<TaskActivityWorkItem> LockNextTaskActivityWorkItem(TimeSpan receiveTimeout,
        CancellationToken cancellationToken)
    {
        while (true)
        {
            var item = await base.LockNextTaskActivityWorkItem(receiveTimeout, cancellationToken);
            if (item is null || Admit(ActivityKey(item), item, Inner.AbandonTaskActivityWorkItemAsync)) return item!;
        }
    }

    public override async Task CompleteTaskActivityWorkItemAsync(TaskActivityWorkItem workItem,
        TaskMessage responseMessage)
    {
        try { await base.CompleteTaskActivityWorkItemAsync(workItem, responseMessage); }
        finally { Ended(ActivityKey(workItem), workItem); }
    }

    public override async Task AbandonTaskActivityWorkItemAsync(TaskActivityWorkItem workItem)
    {
        try { await base.AbandonTaskActivityWorkItemAsync(workItem); }
        finally { Ended(ActivityKey(workItem), workItem); }
    }

    public override Task StartAsync()
    {
        _stopping = false;
        return base.StartAsync();
    }

    /// <summary>A stopping host hands nothing back: what it held lapses as after a crash.</summary>
    public override Task StopAsync(bool isForced)
    {
        _stopping = true;
        foreach (var key in _running.Keys)
            if (_running.TryRemove(key, out var running)) running.Ended.TrySetResult();
        return base.StopAsync(isForced);
    }

    internal static string EpisodeKey(TaskOrchestrationWorkItem item) => item.InstanceId;

    internal static string ActivityKey(TaskActivityWorkItem item) =>
        $"{item.TaskMessage.OrchestrationInstance.InstanceId}\n{item.TaskMessage.Event.EventId}";

    /// <summary>True when the item may run; otherwise it is held until the running delivery of it ends.</summary>
    private bool Admit<T>(string key, T item, Func<T, Task> handBack) where T : class
    {
        while (true)
        {
            if (_running.TryAdd(key, new Running(item))) return true;
            if (!_running.TryGetValue(key, out var first)) continue; // it ended just now: try again
            Interlocked.Increment(ref _heldBack);
            logger.LogWarning("{Key} was delivered again while this host still runs it (its lease lapsed); " +
                "the new delivery is handed back when the running one ends", key.Replace('\n', '#'));
            _ = HandBackWhenEndedAsync(first, item, handBack);
            return false;
        }
    }

    private async Task HandBackWhenEndedAsync<T>(Running first, T duplicate, Func<T, Task> handBack)
    {
        await first.Ended.Task;
        if (_stopping) return;
        try
        {
            await handBack(duplicate);
        }
        catch (Exception ex)
        {
            // Its lease lapses on its own, and the backend delivers it again then.
            logger.LogWarning(ex, "Handing back a second delivery failed; it is delivered again when its lease ends");
        }
    }

    private void Ended(string key, object workItem)
    {
        if (_running.TryGetValue(key, out var running) && ReferenceEquals(running.WorkItem, workItem)
            && _running.TryRemove(KeyValuePair.Create(key, running)))
            running.Ended.TrySetResult();
    }
}
