using Personas.Durable.History;

namespace Personas.Durable;

public enum OrchestrationRuntimeStatus
{
    Pending,
    Running,
    Suspended,
    Completed,
    Failed,
    Terminated,
}

public static class OrchestrationRuntimeStatusExtensions
{
    public static bool IsTerminal(this OrchestrationRuntimeStatus status) =>
        status is OrchestrationRuntimeStatus.Completed or OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated;
}

/// <summary>A snapshot of one instance, as clients see it.</summary>
public sealed record OrchestrationMetadata
{
    public required string InstanceId { get; init; }
    public required string Name { get; init; }
    public string? Version { get; init; }
    public required string ExecutionId { get; init; }
    public required OrchestrationRuntimeStatus RuntimeStatus { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset LastUpdatedAt { get; init; }
    public DateTimeOffset? CompletedAt { get; init; }
    public string? SerializedInput { get; init; }
    public string? SerializedOutput { get; init; }
    public string? SerializedCustomStatus { get; init; }
    public TaskFailureDetails? FailureDetails { get; init; }
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();
    public ParentInstance? Parent { get; init; }

    public bool IsRunning => RuntimeStatus is OrchestrationRuntimeStatus.Running or OrchestrationRuntimeStatus.Pending or OrchestrationRuntimeStatus.Suspended;
    public bool IsCompleted => RuntimeStatus.IsTerminal();

    public T? ReadInputAs<T>() => JsonDataConverter.Default.Deserialize<T>(SerializedInput);
    public T? ReadOutputAs<T>() => JsonDataConverter.Default.Deserialize<T>(SerializedOutput);
    public T? ReadCustomStatusAs<T>() => JsonDataConverter.Default.Deserialize<T>(SerializedCustomStatus);
}
