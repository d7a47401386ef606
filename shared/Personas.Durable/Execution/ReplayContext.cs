using Personas.Durable.History;

namespace Personas.Durable.Execution;

/// <summary>
/// The context an orchestrator runs against during one episode. Every call that schedules work records an action
/// under the next task id; the executor checks those actions against the history and turns the unmatched ones
/// into new work.
/// </summary>
internal sealed class ReplayContext(string instanceId, string executionId, string name, string? version, ParentInstanceInfo? parent, JsonDataConverter converter)
    : TaskOrchestrationContext
{
    private readonly SortedDictionary<int, HistoryEvent> _unmatchedActions = new();
    private readonly Dictionary<int, Action<HistoryEvent>> _openTasks = new();
    private readonly Dictionary<string, Queue<HistoryEvent>> _bufferedEvents = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, LinkedList<Action<HistoryEvent>>> _eventWaiters = new(StringComparer.OrdinalIgnoreCase);
    private int _nextTaskId;
    private int _guidCounter;

    public override string Name => name;
    public override string? Version => version;
    public override string InstanceId => instanceId;
    public override ParentInstanceInfo? Parent => parent;
    public override DateTime CurrentUtcDateTime => Now.UtcDateTime;
    public override bool IsReplaying => Replaying;

    internal DateTimeOffset Now { get; set; }
    internal bool Replaying { get; set; }
    internal string? CustomStatus { get; private set; }
    internal (string? Input, bool PreserveEvents)? ContinueAsNewRequest { get; private set; }

    /// <summary>Scheduling actions not matched by history: they are new in this episode.</summary>
    internal IEnumerable<HistoryEvent> NewActions => _unmatchedActions.Values;

    /// <summary>External events that arrived but were never waited for.</summary>
    internal IEnumerable<HistoryEvent> UnprocessedEvents => _bufferedEvents.Values.SelectMany(q => q);

    public override Task<TResult> CallActivityAsync<TResult>(string name, object? input = null, TaskOptions? options = null) =>
        WithRetry(options?.Retry, () => ScheduleActivity<TResult>(name, input));

    public override Task<TResult> CallSubOrchestratorAsync<TResult>(string name, object? input = null, SubOrchestrationOptions? options = null)
    {
        var childId = options?.InstanceId;
        return WithRetry(options?.Retry, () => ScheduleSubOrchestration<TResult>(name, input, childId ?? NewGuid().ToString("N"), options?.Version));
    }

    public override Task CreateTimer(DateTime fireAt, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested) return Task.FromCanceled(cancellationToken);
        var fireAtUtc = new DateTimeOffset(DateTime.SpecifyKind(fireAt, DateTimeKind.Utc));
        var taskId = Record(new HistoryEvent(HistoryEventType.TimerCreated, Now) { FireAt = fireAtUtc });
        var tcs = new TaskCompletionSource();
        _openTasks[taskId] = _ => tcs.TrySetResult();
        if (cancellationToken.CanBeCanceled)
        {
            cancellationToken.Register(() =>
            {
                _openTasks.Remove(taskId);
                tcs.TrySetCanceled(cancellationToken);
            });
        }
        return tcs.Task;
    }

    public override Task<T> WaitForExternalEvent<T>(string eventName, CancellationToken cancellationToken = default)
    {
        if (_bufferedEvents.TryGetValue(eventName, out var buffered) && buffered.TryDequeue(out var early))
            return Task.FromResult(converter.Deserialize<T>(early.Data)!);

        var tcs = new TaskCompletionSource<T>();
        if (!_eventWaiters.TryGetValue(eventName, out var waiters)) _eventWaiters[eventName] = waiters = new();
        var node = waiters.AddLast(e => tcs.TrySetResult(converter.Deserialize<T>(e.Data)!));
        if (cancellationToken.CanBeCanceled)
        {
            // A cancelled wait gives up its place, so a later event is buffered instead of lost.
            cancellationToken.Register(() =>
            {
                if (node.List is not null) waiters.Remove(node);
                tcs.TrySetCanceled(cancellationToken);
            });
        }
        return tcs.Task;
    }

    public override void SetCustomStatus(object? customStatus) => CustomStatus = converter.Serialize(customStatus);

    public override void ContinueAsNew(object? newInput, bool preserveUnprocessedEvents = true) =>
        ContinueAsNewRequest = (converter.Serialize(newInput), preserveUnprocessedEvents);

    public override Guid NewGuid() => DeterministicGuid.Create($"{instanceId}/{executionId}/{Now.UtcTicks}/{_guidCounter++}");

    /// <summary>Matches a scheduling event from history to the action the code recorded under the same task id.</summary>
    internal void MatchScheduled(HistoryEvent scheduled)
    {
        if (!_unmatchedActions.Remove(scheduled.TaskId, out var action))
            throw new NonDeterministicOrchestrationException(
                $"History has {Describe(scheduled)} as task #{scheduled.TaskId}, but the orchestrator code did not schedule it. The code changed while this instance was in flight.");
        if (action.Type != scheduled.Type || !string.Equals(action.Name, scheduled.Name, StringComparison.OrdinalIgnoreCase))
            throw new NonDeterministicOrchestrationException(
                $"History has {Describe(scheduled)} as task #{scheduled.TaskId}, but the orchestrator code now schedules {Describe(action)}. The code changed while this instance was in flight.");
    }

    internal void Answer(HistoryEvent answer)
    {
        if (_openTasks.Remove(answer.TaskId, out var complete)) complete(answer);
    }

    internal void DeliverEvent(HistoryEvent raised)
    {
        if (_eventWaiters.TryGetValue(raised.Name!, out var waiters) && waiters.First is { } first)
        {
            waiters.RemoveFirst();
            first.Value(raised);
            return;
        }
        if (!_bufferedEvents.TryGetValue(raised.Name!, out var queue)) _bufferedEvents[raised.Name!] = queue = new();
        queue.Enqueue(raised);
    }

    private Task<TResult> ScheduleActivity<TResult>(string activityName, object? input)
    {
        var taskId = Record(new HistoryEvent(HistoryEventType.TaskScheduled, Now) { Name = activityName, Data = converter.Serialize(input) });
        return Await<TResult>(taskId, activityName);
    }

    private Task<TResult> ScheduleSubOrchestration<TResult>(string orchestratorName, object? input, string childId, string? childVersion)
    {
        var taskId = Record(new HistoryEvent(HistoryEventType.SubOrchestrationCreated, Now)
        {
            Name = orchestratorName, Data = converter.Serialize(input), InstanceId = childId, Version = childVersion,
        });
        return Await<TResult>(taskId, orchestratorName);
    }

    private Task<TResult> Await<TResult>(int taskId, string taskName)
    {
        var tcs = new TaskCompletionSource<TResult>();
        _openTasks[taskId] = answer =>
        {
            if (answer.Type is HistoryEventType.TaskFailed or HistoryEventType.SubOrchestrationFailed)
                tcs.TrySetException(new TaskFailedException(taskName, taskId, answer.Failure ?? new("Unknown", "No failure details.")));
            else
            {
                try { tcs.TrySetResult(converter.Deserialize<TResult>(answer.Data)!); }
                catch (Exception ex) { tcs.TrySetException(ex); }
            }
        };
        return tcs.Task;
    }

    private async Task<TResult> WithRetry<TResult>(RetryPolicy? retry, Func<Task<TResult>> attempt)
    {
        if (retry is null) return await attempt();
        var firstAttemptAt = CurrentUtcDateTime;
        for (var attemptNumber = 1; ; attemptNumber++)
        {
            try
            {
                return await attempt();
            }
            catch (TaskFailedException ex) when (attemptNumber < retry.MaxNumberOfAttempts && retry.Handle(ex.FailureDetails))
            {
                var delay = retry.DelayAfter(attemptNumber);
                if (retry.RetryTimeout is { } timeout && CurrentUtcDateTime + delay - firstAttemptAt > timeout) throw;
                await CreateTimer(delay, CancellationToken.None);
            }
        }
    }

    private int Record(HistoryEvent action)
    {
        var taskId = _nextTaskId++;
        _unmatchedActions[taskId] = action with { TaskId = taskId };
        return taskId;
    }

    private static string Describe(HistoryEvent e) => e.Type switch
    {
        HistoryEventType.TaskScheduled => $"activity '{e.Name}'",
        HistoryEventType.SubOrchestrationCreated => $"sub-orchestration '{e.Name}'",
        HistoryEventType.TimerCreated => "a timer",
        _ => e.Type.ToString(),
    };
}
