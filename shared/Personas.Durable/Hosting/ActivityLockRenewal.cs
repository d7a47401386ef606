using System.Collections.Concurrent;
using DurableTask.Core;
using DurableTask.Core.History;
using Microsoft.Extensions.Logging;

namespace Personas.Durable.Hosting;

/// <summary>
/// Keeps a running activity's lock alive. The sidecar never renews work-item locks (platform.md), so without this an
/// activity that outlives the backend's lock (Azure Storage's visibility timeout) is delivered again while it still
/// runs, and paid work runs twice at once. Each locked activity gets a loop that renews at half its remaining lock
/// time until the result (or an abandon) comes back. A failed renewal is logged and retried sooner: one transient
/// storage error must not end the renewals, since the lock would then lapse.
/// </summary>
public sealed class ActivityLockRenewal(IOrchestrationService service, IOrchestrationServiceClient client,
    int maxConcurrentOrchestrations, int maxConcurrentActivities, ILogger logger, TimeSpan? retryAfterError = null)
    : OrchestrationServiceDecorator(service, client, maxConcurrentOrchestrations, maxConcurrentActivities)
{
    private readonly ConcurrentDictionary<string, CancellationTokenSource> _renewals = new();
    private readonly TimeSpan _retryAfterError = retryAfterError ?? TimeSpan.FromSeconds(1);

    /// <summary>
    /// An activity still unreported after this is logged once: the sidecar has no timeout of its own, so a work item
    /// the worker never received would otherwise hold its message silently (the warning names it).
    /// </summary>
    public static readonly TimeSpan SlowActivityWarning = TimeSpan.FromMinutes(2);

    /// <summary>Renewals that failed; tests read it to see that the loop went on past one.</summary>
    public int FailedRenewals => _failedRenewals;

    private int _failedRenewals;

    public override async Task<TaskActivityWorkItem> LockNextTaskActivityWorkItem(TimeSpan receiveTimeout,
        CancellationToken cancellationToken)
    {
        var workItem = await base.LockNextTaskActivityWorkItem(receiveTimeout, cancellationToken);
        if (workItem is not null)
        {
            var stop = new CancellationTokenSource();
            if (_renewals.TryAdd(workItem.Id, stop)) _ = RenewUntilDoneAsync(workItem, stop.Token);
            else stop.Dispose();
        }
        return workItem!;
    }

    public override async Task CompleteTaskActivityWorkItemAsync(TaskActivityWorkItem workItem,
        TaskMessage responseMessage)
    {
        // Stop renewing first: a renewal racing the completion could touch a message that is already deleted.
        await StopRenewingAsync(workItem);
        await base.CompleteTaskActivityWorkItemAsync(workItem, responseMessage);
    }

    public override async Task AbandonTaskActivityWorkItemAsync(TaskActivityWorkItem workItem)
    {
        await StopRenewingAsync(workItem);
        await base.AbandonTaskActivityWorkItemAsync(workItem);
    }

    /// <summary>
    /// A stopping host ends every renewal: an activity handed to a worker that has stopped never reports back, and
    /// renewing its lock forever kept its message from the next host (the drain test hung on Azure Storage).
    /// </summary>
    public override Task StopAsync(bool isForced)
    {
        foreach (var id in _renewals.Keys)
        {
            if (!_renewals.TryRemove(id, out var stop)) continue;
            stop.Cancel();
            stop.Dispose();
        }
        return base.StopAsync(isForced);
    }

    private Task StopRenewingAsync(TaskActivityWorkItem workItem)
    {
        if (_renewals.TryRemove(workItem.Id, out var stop))
        {
            stop.Cancel();
            stop.Dispose();
        }
        return Task.CompletedTask;
    }

    private async Task RenewUntilDoneAsync(TaskActivityWorkItem workItem, CancellationToken stop)
    {
        var current = workItem;
        var delay = HalfOfRemaining(current);
        var since = DateTime.UtcNow;
        var warned = false;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(delay, stop);
                var renewed = await Inner.RenewTaskActivityWorkItemLockAsync(current);
                // Backends return the same item with a later LockedUntilUtc, or a fresh copy of it.
                if (renewed is not null) current = renewed;
                delay = HalfOfRemaining(current);
                if (!warned && DateTime.UtcNow - since > SlowActivityWarning)
                {
                    warned = true;
                    var message = workItem.TaskMessage;
                    logger.LogWarning(
                        "Activity {Name} (task {TaskId} of {InstanceId}) has no result after {Seconds} s; " +
                        "its lock is still renewed", (message.Event as TaskScheduledEvent)?.Name,
                        message.Event.EventId, message.OrchestrationInstance.InstanceId,
                        (int)(DateTime.UtcNow - since).TotalSeconds);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                Interlocked.Increment(ref _failedRenewals);
                logger.LogWarning(ex, "Renewing the lock of activity work item {Id} failed; retrying", workItem.Id);
                delay = _retryAfterError;
            }
        }
    }

    private static TimeSpan HalfOfRemaining(TaskActivityWorkItem workItem)
    {
        var remaining = workItem.LockedUntilUtc - DateTime.UtcNow;
        return remaining <= TimeSpan.FromMilliseconds(200) ? TimeSpan.FromMilliseconds(100) : remaining / 2;
    }
}
