using Microsoft.Extensions.Logging;
using Personas.Durable.Execution;
using Personas.Durable.History;
using Personas.Durable.Storage;

namespace Personas.Durable.Worker;

/// <summary>
/// Turns one locked work item into one commit: applies control messages (terminate, suspend, resume), filters the rest,
/// replays the orchestrator and translates what it asked for into activities, timers, child instances and messages.
/// </summary>
internal sealed class EpisodeRunner(DurableTaskRegistry registry, IServiceProvider services, JsonDataConverter converter, TimeProvider clock, ILogger logger)
{
    /// <summary>Returns the commit, or null when the work item should be left for another worker.</summary>
    public EpisodeCommit? Run(OrchestrationWorkItem item)
    {
        var instance = item.Instance;
        var now = clock.GetUtcNow();
        var all = item.Messages;

        if (instance.RuntimeStatus.IsTerminal())
            return Unchanged(item, all);

        if (all.FirstOrDefault(m => m.Event.Type == HistoryEventType.ExecutionTerminated) is { } terminate)
            return Finish(item, all, [new HistoryEvent(HistoryEventType.OrchestratorStarted, now), terminate.Event],
                OrchestrationRuntimeStatus.Terminated, terminate.Event.Data, instance.SerializedCustomStatus,
                new TaskFailureDetails("Terminated", terminate.Event.Data ?? "The instance was terminated."), now);

        var controls = all.Where(m => m.Event.IsControl).ToList();
        var suspended = controls.Aggregate(instance.RuntimeStatus == OrchestrationRuntimeStatus.Suspended,
            (_, m) => m.Event.Type == HistoryEventType.ExecutionSuspended);
        if (suspended)
        {
            // Other messages stay in the inbox until the instance resumes.
            return new EpisodeCommit
            {
                ConsumedMessages = controls, NewHistory = controls.Select(m => m.Event).ToList(),
                Status = OrchestrationRuntimeStatus.Suspended, CustomStatus = instance.SerializedCustomStatus,
            };
        }

        var newEvents = NewEventFilter.Select(item.History, all, instance.ExecutionId);
        var hasStarted = item.History.Count > 0 || newEvents.Any(e => e.Type == HistoryEventType.ExecutionStarted);
        if (!hasStarted) return null; // events raised before a scheduled start wait for it
        var resumed = controls.Count > 0;
        if (newEvents.Count == 0 && !resumed) return Unchanged(item, all);

        var version = instance.Version ?? registry.DefaultVersionOf(instance.Name);
        if (!registry.HasOrchestrator(instance.Name))
            return Finish(item, all, [new HistoryEvent(HistoryEventType.OrchestratorStarted, now)], OrchestrationRuntimeStatus.Failed, null, null,
                new TaskFailureDetails("OrchestratorNotFound", $"No orchestrator named '{instance.Name}' is registered."), now);
        if (!registry.TryGetOrchestrator(instance.Name, version, out var factory))
        {
            logger.LogWarning("Instance {InstanceId} runs {Name} version '{Version}', which this worker does not have; leaving it for a worker that does.",
                instance.InstanceId, instance.Name, version);
            return null;
        }

        newEvents = newEvents.Select(e => e.Type == HistoryEventType.ExecutionStarted && e.Version is null ? e with { Version = version } : e).ToList();
        var orchestrator = factory!(services);
        var outcome = OrchestrationExecutor.Execute(orchestrator,
            new EpisodeInput(instance.InstanceId, instance.ExecutionId, item.History, [.. controls.Select(m => m.Event), .. newEvents], now), converter);
        return ToCommit(item, outcome, version, now);
    }

    /// <summary>
    /// The commit for an episode whose replay itself threw. Replay is deterministic, so running it again would throw
    /// again: the instance fails with the error instead of being retried forever.
    /// </summary>
    public EpisodeCommit Failed(OrchestrationWorkItem item, Exception error)
    {
        var now = clock.GetUtcNow();
        return Finish(item, item.Messages, [new HistoryEvent(HistoryEventType.OrchestratorStarted, now)], OrchestrationRuntimeStatus.Failed, null,
            item.Instance.SerializedCustomStatus, new TaskFailureDetails("ReplayFailed", $"Replaying the orchestrator failed: {error.GetType().Name}: {error.Message}"), now);
    }

    private EpisodeCommit ToCommit(OrchestrationWorkItem item, EpisodeOutcome outcome, string? version, DateTimeOffset now)
    {
        var instance = item.Instance;
        if (outcome.ContinueAsNew is { } restart)
        {
            // A fresh execution: history restarts empty, on the default orchestrator version, with carried events after the start.
            var executionId = Guid.NewGuid().ToString("N");
            var start = new HistoryEvent(HistoryEventType.ExecutionStarted, now) { Name = instance.Name, Data = restart.Input, Parent = instance.Parent, Tags = instance.Tags };
            return new EpisodeCommit
            {
                ConsumedMessages = item.Messages, NewHistory = [], Status = OrchestrationRuntimeStatus.Running, CustomStatus = outcome.CustomStatus,
                NewExecutionId = executionId, NewInput = restart.Input,
                Messages = [
                    new OrchestrationMessage("start", instance.InstanceId, executionId, start, now),
                    .. restart.CarriedEvents.Select((e, i) => new OrchestrationMessage($"carried|{executionId}|{i}", instance.InstanceId, executionId, e, now)),
                ],
            };
        }

        var messages = new List<OrchestrationMessage>();
        var children = new List<NewInstance>();
        var activities = new List<ActivityRequest>();
        foreach (var action in outcome.NewActions)
        {
            switch (action.Type)
            {
                case HistoryEventType.TaskScheduled:
                    activities.Add(new ActivityRequest(action.TaskId, action.Name!, action.Data));
                    break;
                case HistoryEventType.TimerCreated:
                    messages.Add(new OrchestrationMessage($"timer|{action.TaskId}", instance.InstanceId, instance.ExecutionId,
                        new HistoryEvent(HistoryEventType.TimerFired, action.FireAt!.Value) { TaskId = action.TaskId, FireAt = action.FireAt }, action.FireAt!.Value));
                    break;
                case HistoryEventType.SubOrchestrationCreated:
                    children.Add(DurableTaskClient.NewInstanceRecord(action.InstanceId!, action.Name!, action.Version, action.Data, instance.Tags,
                        new ParentInstance(instance.InstanceId, instance.ExecutionId, action.TaskId), now, now));
                    break;
            }
        }
        if (outcome.Status.IsTerminal() && ParentNotice(instance, outcome.Status, outcome.Output, outcome.Failure, now) is { } notice) messages.Add(notice);

        return new EpisodeCommit
        {
            ConsumedMessages = item.Messages, NewHistory = outcome.AppendedHistory, Status = outcome.Status, Version = version,
            Output = outcome.Output, Failure = outcome.Failure, CustomStatus = outcome.CustomStatus,
            Activities = activities, Messages = messages, SubOrchestrations = children,
        };
    }

    private static EpisodeCommit Unchanged(OrchestrationWorkItem item, IReadOnlyList<OrchestrationMessage> consumed) => new()
    {
        ConsumedMessages = consumed, NewHistory = [], Status = item.Instance.RuntimeStatus,
        Output = item.Instance.SerializedOutput, Failure = item.Instance.FailureDetails, CustomStatus = item.Instance.SerializedCustomStatus,
    };

    private static EpisodeCommit Finish(OrchestrationWorkItem item, IReadOnlyList<OrchestrationMessage> consumed, List<HistoryEvent> events,
        OrchestrationRuntimeStatus status, string? output, string? customStatus, TaskFailureDetails failure, DateTimeOffset now)
    {
        events.Add(new HistoryEvent(HistoryEventType.ExecutionCompleted, now) { Status = status, Data = output, Failure = failure });
        var notice = ParentNotice(item.Instance, status, output, failure, now);
        return new EpisodeCommit
        {
            ConsumedMessages = consumed, NewHistory = events, Status = status, Output = output, Failure = failure, CustomStatus = customStatus,
            Messages = notice is null ? [] : [notice],
        };
    }

    /// <summary>A finished sub-orchestration answers its parent's waiting task.</summary>
    private static OrchestrationMessage? ParentNotice(OrchestrationMetadata child, OrchestrationRuntimeStatus status, string? output, TaskFailureDetails? failure, DateTimeOffset now)
    {
        if (child.Parent is not { } parent) return null;
        var answer = status == OrchestrationRuntimeStatus.Completed
            ? new HistoryEvent(HistoryEventType.SubOrchestrationCompleted, now) { TaskId = parent.TaskId, Data = output }
            : new HistoryEvent(HistoryEventType.SubOrchestrationFailed, now) { TaskId = parent.TaskId, Failure = failure };
        return new OrchestrationMessage($"child|{child.InstanceId}|{child.ExecutionId}", parent.InstanceId, parent.ExecutionId, answer, now);
    }
}
