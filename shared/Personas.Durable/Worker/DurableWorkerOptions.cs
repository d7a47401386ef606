namespace Personas.Durable.Worker;

public sealed class DurableWorkerOptions
{
    /// <summary>Identifies this worker in locks; unique per process by default.</summary>
    public string WorkerId { get; set; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..6]}";
    /// <summary>Episodes in flight at once. A replay is CPU work but its commit waits on the store, so a few per core
    /// keep both busy and let one claim take several instances (4 per core measured best on 2 cores: docs/benchmarks.md).</summary>
    public int MaxConcurrentOrchestrations { get; set; } = 4 * Environment.ProcessorCount;
    /// <summary>Activities run at once. They mostly wait on I/O, so many more than cores.</summary>
    public int MaxConcurrentActivities { get; set; } = 32;
    /// <summary>How long an episode may hold an instance before another worker may take it over.</summary>
    public TimeSpan OrchestrationLease { get; set; } = TimeSpan.FromMinutes(1);
    /// <summary>How long a worker owns an activity between renewals. A crashed worker's activities run again after this.</summary>
    public TimeSpan ActivityLease { get; set; } = TimeSpan.FromMinutes(2);
    /// <summary>The longest an idle dispatcher waits before looking again; local work wakes it sooner.</summary>
    public TimeSpan MaxPollInterval { get; set; } = TimeSpan.FromSeconds(1);
    /// <summary>An activity delivered this many times without finishing (its workers keep dying) fails instead of looping.</summary>
    public int MaxActivityDeliveries { get; set; } = 10;
    /// <summary>How long to leave an instance whose orchestrator version this worker does not have, for a worker that does.</summary>
    public TimeSpan UnknownVersionRetryAfter { get; set; } = TimeSpan.FromSeconds(30);
}
