using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Personas.Durable.History;
using Personas.Durable.Storage;

namespace Personas.Durable.Worker;

/// <summary>
/// Runs orchestration episodes and activities from the store. Any number of workers, in any number of processes, may
/// share one store: the store's locks and leases decide who runs what.
/// </summary>
public sealed class DurableWorker(
    IOrchestrationStore store,
    DurableTaskRegistry registry,
    IServiceScopeFactory scopes,
    IOptions<DurableWorkerOptions> options,
    TimeProvider clock,
    JsonDataConverter converter,
    ILogger<DurableWorker> logger) : BackgroundService
{
    private readonly DurableWorkerOptions _options = options.Value;
    private readonly Channel<ActivityResult> _results = Channel.CreateUnbounded<ActivityResult>(new() { SingleReader = true });

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await store.InitializeAsync(stoppingToken);
        logger.LogInformation("Durable worker {WorkerId} started: {Orchestrations} episodes and {Activities} activities at once.",
            _options.WorkerId, _options.MaxConcurrentOrchestrations, _options.MaxConcurrentActivities);
        await Task.WhenAll(
            DispatchAsync("orchestration", _options.MaxConcurrentOrchestrations,
                (max, ct) => store.LockOrchestrationsAsync(_options.WorkerId, max, _options.OrchestrationLease, ct), RunEpisodeAsync, stoppingToken),
            DispatchAsync("activity", _options.MaxConcurrentActivities,
                (max, ct) => store.LockActivitiesAsync(_options.WorkerId, max, _options.ActivityLease, ct), RunActivityAsync, stoppingToken),
            DeliverResultsAsync(stoppingToken));
    }

    /// <summary>Claims work while there are free slots; when there is none, waits for a local signal or the next poll.</summary>
    private async Task DispatchAsync<T>(string kind, int slots, Func<int, CancellationToken, Task<IReadOnlyList<T>>> claim,
        Func<T, CancellationToken, Task> run, CancellationToken stoppingToken)
    {
        using var free = new SemaphoreSlim(slots, slots);
        var idleDelay = TimeSpan.FromMilliseconds(5);
        while (!stoppingToken.IsCancellationRequested)
        {
            var reserved = 0;
            try
            {
                await free.WaitAsync(stoppingToken);
                reserved = 1;
                while (free.Wait(0)) reserved++;
                var wake = store.WorkAvailable.Next;
                var items = await claim(reserved, stoppingToken);
                foreach (var item in items)
                {
                    reserved--;
                    _ = Task.Run(async () =>
                    {
                        try { await run(item, stoppingToken); }
                        finally { free.Release(); }
                    }, CancellationToken.None);
                }
                if (reserved > 0) free.Release(reserved);
                reserved = 0;
                if (items.Count > 0) { idleDelay = TimeSpan.FromMilliseconds(5); continue; }
                await Task.WhenAny(wake, Task.Delay(idleDelay, stoppingToken));
                idleDelay = TimeSpan.FromTicks(Math.Min(idleDelay.Ticks * 2, _options.MaxPollInterval.Ticks));
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                if (reserved > 0) free.Release(reserved);
                logger.LogError(ex, "The {Kind} dispatcher failed to claim work; retrying.", kind);
                await Task.Delay(_options.MaxPollInterval, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    private async Task RunEpisodeAsync(OrchestrationWorkItem item, CancellationToken stoppingToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var runner = new EpisodeRunner(registry, scope.ServiceProvider, converter, clock, logger);
            EpisodeCommit? commit;
            try
            {
                commit = runner.Run(item);
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Replaying {InstanceId} failed; failing the instance.", item.Instance.InstanceId);
                commit = runner.Failed(item, ex);
            }
            if (commit is null)
            {
                await store.AbandonOrchestrationAsync(item, _options.UnknownVersionRetryAfter, CancellationToken.None);
                return;
            }
            await store.CompleteOrchestrationAsync(item, commit, CancellationToken.None);
            if (commit.Status == OrchestrationRuntimeStatus.Failed)
                logger.LogWarning("Orchestration {InstanceId} ({Name}) failed: {Failure}", item.Instance.InstanceId, item.Instance.Name, commit.Failure);
        }
        catch (LeaseLostException ex)
        {
            logger.LogWarning("Episode for {InstanceId} not committed: {Reason}", item.Instance.InstanceId, ex.Message);
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Episode for {InstanceId} failed; its messages will be retried.", item.Instance.InstanceId);
            await store.AbandonOrchestrationAsync(item, TimeSpan.FromSeconds(1), CancellationToken.None).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    private async Task RunActivityAsync(ActivityWorkItem item, CancellationToken stoppingToken)
    {
        var now = clock.GetUtcNow();
        HistoryEvent outcome;
        if (item.DeliveryCount > _options.MaxActivityDeliveries)
        {
            outcome = Failed(item, now, new TaskFailureDetails("ActivityAbandoned",
                $"Activity '{item.Name}' was started {item.DeliveryCount - 1} times and never finished; its workers kept stopping. Giving up."));
        }
        else if (!registry.TryGetActivity(item.Name, out var factory))
        {
            outcome = Failed(item, now, new TaskFailureDetails("ActivityNotFound", $"No activity named '{item.Name}' is registered."));
        }
        else
        {
            using var lease = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            var renewal = RenewWhileRunningAsync(item, lease);
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var activity = factory!(scope.ServiceProvider);
                var context = new TaskActivityContext(item.Name, item.InstanceId, item.ExecutionId, item.TaskId, item.DeliveryCount, lease.Token);
                var result = await activity.RunAsync(context, converter.Deserialize(item.Input, activity.InputType));
                outcome = new HistoryEvent(HistoryEventType.TaskCompleted, clock.GetUtcNow()) { TaskId = item.TaskId, Data = converter.Serialize(result) };
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return; // shutting down: the lease expires and another worker runs it
            }
            catch (Exception ex)
            {
                outcome = Failed(item, clock.GetUtcNow(), TaskFailureDetails.FromException(ex));
            }
            finally
            {
                await lease.CancelAsync();
                await renewal;
            }
        }
        await _results.Writer.WriteAsync(new ActivityResult(item, outcome), CancellationToken.None);
    }

    private async Task RenewWhileRunningAsync(ActivityWorkItem item, CancellationTokenSource lease)
    {
        try
        {
            while (true)
            {
                await Task.Delay(_options.ActivityLease / 3, clock, lease.Token);
                await store.RenewActivityLeaseAsync(item, _options.ActivityLease, lease.Token);
            }
        }
        catch (OperationCanceledException) { }
        catch (LeaseLostException ex)
        {
            logger.LogWarning("{Reason}; another worker will run it.", ex.Message);
            await lease.CancelAsync();
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Could not renew the lease on activity {Name} of {InstanceId}.", item.Name, item.InstanceId);
        }
    }

    /// <summary>Commits finished activities in batches: one transaction for everything that finished meanwhile.</summary>
    private async Task DeliverResultsAsync(CancellationToken stoppingToken)
    {
        var batch = new List<ActivityResult>();
        try
        {
            while (await _results.Reader.WaitToReadAsync(stoppingToken))
            {
                while (batch.Count < 256 && _results.Reader.TryRead(out var result)) batch.Add(result);
                try
                {
                    await store.CompleteActivitiesAsync(batch, CancellationToken.None);
                }
                catch (Exception ex)
                {
                    // Their leases expire and they run again; at-least-once is kept.
                    logger.LogError(ex, "Could not deliver {Count} activity results.", batch.Count);
                }
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
    }

    private static HistoryEvent Failed(ActivityWorkItem item, DateTimeOffset now, TaskFailureDetails failure) =>
        new(HistoryEventType.TaskFailed, now) { TaskId = item.TaskId, Name = item.Name, Failure = failure };
}
