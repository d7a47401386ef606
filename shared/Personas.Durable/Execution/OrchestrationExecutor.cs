using Personas.Durable.History;

namespace Personas.Durable.Execution;

/// <summary>What one episode needs: the instance, its history so far and the messages that woke it.</summary>
internal sealed record EpisodeInput(
    string InstanceId,
    string ExecutionId,
    IReadOnlyList<HistoryEvent> History,
    IReadOnlyList<HistoryEvent> NewEvents,
    DateTimeOffset Now);

/// <summary>What one episode decided: history to append, the resulting status, and how to continue.</summary>
internal sealed record EpisodeOutcome(
    IReadOnlyList<HistoryEvent> AppendedHistory,
    IReadOnlyList<HistoryEvent> NewActions,
    OrchestrationRuntimeStatus Status,
    string? Output,
    TaskFailureDetails? Failure,
    string? CustomStatus,
    ContinueAsNewRequest? ContinueAsNew);

internal sealed record ContinueAsNewRequest(string? Input, IReadOnlyList<HistoryEvent> CarriedEvents);

/// <summary>
/// Replays an orchestrator over its history, applies the new events and reports what the code asked for next.
/// Pure: it does no I/O and reads no clock, so the same input always yields the same outcome.
/// </summary>
internal static class OrchestrationExecutor
{
    public static EpisodeOutcome Execute(ITaskOrchestrator orchestrator, EpisodeInput input, JsonDataConverter converter)
    {
        var started = input.History.Concat(input.NewEvents).First(e => e.Type == HistoryEventType.ExecutionStarted);
        var parent = started.Parent is null ? null : new ParentInstanceInfo(started.Parent.InstanceId, started.Name!);
        var context = new ReplayContext(input.InstanceId, input.ExecutionId, started.Name!, started.Version, parent, converter);
        var episodeStart = new HistoryEvent(HistoryEventType.OrchestratorStarted, input.Now);
        var appended = new List<HistoryEvent> { episodeStart };
        appended.AddRange(input.NewEvents);

        var sync = new ReplaySynchronizationContext();
        var previous = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(sync);
        Task<object?>? run = null;
        try
        {
            var all = input.History.Append(episodeStart).Concat(input.NewEvents);
            var index = 0;
            foreach (var e in all)
            {
                context.Replaying = index++ < input.History.Count;
                switch (e.Type)
                {
                    case HistoryEventType.OrchestratorStarted:
                        context.Now = e.Timestamp;
                        break;
                    case HistoryEventType.ExecutionStarted:
                        run = Start(orchestrator, context, e, converter);
                        break;
                    case HistoryEventType.EventRaised:
                        context.DeliverEvent(e);
                        break;
                    case var _ when e.IsScheduling:
                        context.MatchScheduled(e);
                        break;
                    case var _ when e.IsTaskAnswer:
                        context.Answer(e);
                        break;
                }
                sync.Drain();
            }
            context.Replaying = false;
            sync.Drain();
        }
        catch (NonDeterministicOrchestrationException ex)
        {
            return Finish(appended, [], OrchestrationRuntimeStatus.Failed, null, TaskFailureDetails.FromException(ex, includeStackTrace: false), context, input.Now);
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
        }

        var actions = context.NewActions.ToList();
        appended.AddRange(actions);
        if (run is null || !run.IsCompleted)
            return new EpisodeOutcome(appended, actions, OrchestrationRuntimeStatus.Running, null, null, context.CustomStatus, null);

        if (run.IsFaulted || run.IsCanceled)
        {
            var error = run.Exception?.InnerException ?? new TaskCanceledException("The orchestrator was cancelled.");
            return Finish(appended, actions, OrchestrationRuntimeStatus.Failed, null, TaskFailureDetails.FromException(error), context, input.Now);
        }

        if (context.ContinueAsNewRequest is { } can)
        {
            var carried = can.PreserveEvents ? context.UnprocessedEvents.ToList() : [];
            return new EpisodeOutcome(appended, actions, OrchestrationRuntimeStatus.Running, null, null, context.CustomStatus,
                new ContinueAsNewRequest(can.Input, carried));
        }

        return Finish(appended, actions, OrchestrationRuntimeStatus.Completed, converter.Serialize(run.Result), null, context, input.Now);
    }

    private static Task<object?> Start(ITaskOrchestrator orchestrator, ReplayContext context, HistoryEvent started, JsonDataConverter converter)
    {
        try
        {
            return orchestrator.RunAsync(context, converter.Deserialize(started.Data, orchestrator.InputType));
        }
        catch (Exception ex)
        {
            return Task.FromException<object?>(ex);
        }
    }

    private static EpisodeOutcome Finish(List<HistoryEvent> appended, IReadOnlyList<HistoryEvent> actions, OrchestrationRuntimeStatus status,
        string? output, TaskFailureDetails? failure, ReplayContext context, DateTimeOffset now)
    {
        appended.Add(new HistoryEvent(HistoryEventType.ExecutionCompleted, now) { Status = status, Data = output, Failure = failure });
        return new EpisodeOutcome(appended, actions, status, output, failure, context.CustomStatus, null);
    }
}
