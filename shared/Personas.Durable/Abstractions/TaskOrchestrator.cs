namespace Personas.Durable;

/// <summary>An orchestrator: deterministic code that coordinates durable work. It must do no I/O of its own.</summary>
public interface ITaskOrchestrator
{
    Type InputType { get; }
    Task<object?> RunAsync(TaskOrchestrationContext context, object? input);
}

/// <summary>Base class for orchestrators, in the style of Microsoft.DurableTask.</summary>
public abstract class TaskOrchestrator<TInput, TOutput> : ITaskOrchestrator
{
    public Type InputType => typeof(TInput);

    public abstract Task<TOutput> RunAsync(TaskOrchestrationContext context, TInput input);

    async Task<object?> ITaskOrchestrator.RunAsync(TaskOrchestrationContext context, object? input) =>
        await RunAsync(context, input is null ? default! : (TInput)input);
}

/// <summary>An activity: the unit of real work (I/O, computation). Runs at least once, so it must be idempotent.</summary>
public interface ITaskActivity
{
    Type InputType { get; }
    Task<object?> RunAsync(TaskActivityContext context, object? input);
}

public abstract class TaskActivity<TInput, TOutput> : ITaskActivity
{
    public Type InputType => typeof(TInput);

    public abstract Task<TOutput> RunAsync(TaskActivityContext context, TInput input);

    async Task<object?> ITaskActivity.RunAsync(TaskActivityContext context, object? input) =>
        await RunAsync(context, input is null ? default! : (TInput)input);
}

/// <summary>
/// What an activity knows about its invocation. <see cref="IdempotencyKey"/> is stable across redeliveries,
/// so an activity can make its side effect exactly-once in the system it writes to.
/// </summary>
public sealed record TaskActivityContext(string Name, string InstanceId, string ExecutionId, int TaskId, int Attempt, CancellationToken CancellationToken)
{
    public string IdempotencyKey => $"{InstanceId}:{ExecutionId}:{TaskId}";
}
