using Microsoft.Extensions.Logging;

namespace Personas.Durable;

/// <summary>
/// The orchestrator's view of the world. Every method is replay-safe: on replay it returns what it returned the
/// first time, taken from the history.
/// </summary>
public abstract class TaskOrchestrationContext
{
    public abstract string Name { get; }
    public abstract string? Version { get; }
    public abstract string InstanceId { get; }
    public abstract ParentInstanceInfo? Parent { get; }
    /// <summary>The time this episode started, from history; never the wall clock.</summary>
    public abstract DateTime CurrentUtcDateTime { get; }
    public abstract bool IsReplaying { get; }

    public abstract Task<TResult> CallActivityAsync<TResult>(string name, object? input = null, TaskOptions? options = null);

    public Task CallActivityAsync(string name, object? input = null, TaskOptions? options = null) =>
        CallActivityAsync<object?>(name, input, options);

    public abstract Task<TResult> CallSubOrchestratorAsync<TResult>(string name, object? input = null, SubOrchestrationOptions? options = null);

    public Task CallSubOrchestratorAsync(string name, object? input = null, SubOrchestrationOptions? options = null) =>
        CallSubOrchestratorAsync<object?>(name, input, options);

    /// <summary>A durable timer. Cancelling the token abandons the timer; the task then ends as cancelled.</summary>
    public abstract Task CreateTimer(DateTime fireAt, CancellationToken cancellationToken);

    public Task CreateTimer(TimeSpan delay, CancellationToken cancellationToken) => CreateTimer(CurrentUtcDateTime + delay, cancellationToken);

    /// <summary>Waits for an event raised by a client. Events that arrived earlier are buffered and handed out first-in, first-out.</summary>
    public abstract Task<T> WaitForExternalEvent<T>(string eventName, CancellationToken cancellationToken = default);

    /// <summary>As <see cref="WaitForExternalEvent{T}(string, CancellationToken)"/>, ending with <see cref="TaskCanceledException"/> when <paramref name="timeout"/> passes first.</summary>
    public async Task<T> WaitForExternalEvent<T>(string eventName, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource();
        var eventTask = WaitForExternalEvent<T>(eventName, cts.Token);
        var timerTask = CreateTimer(timeout, cts.Token);
        var winner = await Task.WhenAny(eventTask, timerTask);
        cts.Cancel();
        if (winner == eventTask) return await eventTask;
        throw new TaskCanceledException($"External event '{eventName}' did not arrive within {timeout}.");
    }

    public abstract void SetCustomStatus(object? customStatus);

    /// <summary>Restarts this instance with fresh history. Unprocessed external events carry over unless told otherwise.</summary>
    public abstract void ContinueAsNew(object? newInput, bool preserveUnprocessedEvents = true);

    /// <summary>A GUID that is the same on every replay.</summary>
    public abstract Guid NewGuid();

    /// <summary>A logger that stays silent while the orchestrator replays, so each line is written once.</summary>
    public ILogger CreateReplaySafeLogger(ILogger logger) => new ReplaySafeLogger(this, logger);

    private sealed class ReplaySafeLogger(TaskOrchestrationContext context, ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);
        public bool IsEnabled(LogLevel logLevel) => !context.IsReplaying && inner.IsEnabled(logLevel);
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!context.IsReplaying) inner.Log(logLevel, eventId, state, exception, formatter);
        }
    }
}

public sealed record ParentInstanceInfo(string InstanceId, string Name);
