namespace Personas.Durable;

/// <summary>Thrown into orchestrator code when an activity or sub-orchestration it awaited failed.</summary>
public sealed class TaskFailedException(string taskName, int taskId, TaskFailureDetails failureDetails)
    : Exception($"Task '{taskName}' (#{taskId}) failed: {failureDetails.ErrorType}: {failureDetails.ErrorMessage}")
{
    public string TaskName { get; } = taskName;
    public int TaskId { get; } = taskId;
    public TaskFailureDetails FailureDetails { get; } = failureDetails;
}

/// <summary>The orchestrator code no longer matches the history it is replaying.</summary>
public sealed class NonDeterministicOrchestrationException(string message) : Exception(message);

/// <summary>The caller named an orchestration instance that does not exist.</summary>
public sealed class OrchestrationNotFoundException(string instanceId)
    : Exception($"No orchestration instance with id '{instanceId}' exists.")
{
    public string InstanceId { get; } = instanceId;
}

/// <summary>The request does not fit the instance's current state (for example, purging a running instance).</summary>
public sealed class OrchestrationStateException(string instanceId, OrchestrationRuntimeStatus status, string message)
    : Exception(message)
{
    public string InstanceId { get; } = instanceId;
    public OrchestrationRuntimeStatus Status { get; } = status;
}

/// <summary>This worker no longer holds the lease on the work item it tried to complete; another worker owns it now.</summary>
public sealed class LeaseLostException(string workItem) : Exception($"The lease on {workItem} was lost.");
