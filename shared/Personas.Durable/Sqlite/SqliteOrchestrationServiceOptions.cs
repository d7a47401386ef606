namespace Personas.Durable.Sqlite;

/// <summary>Where the SQLite backend keeps its file and how hard the sidecar may push it.</summary>
public sealed class SqliteOrchestrationServiceOptions
{
    public required string DatabasePath { get; init; }

    /// <summary>How long a claim lasts without renewal; a crashed process's work is claimable after this.</summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The clock that judges leases (claim, renewal, expiry, abandon backoff): real time unless a test moves it.
    /// Kept apart from the service's injected clock, which judges due times only: a test that jumps that clock a day
    /// ahead to reach a timer must not expire the leases of work still running in this process.
    /// </summary>
    public TimeProvider LeaseClock { get; init; } = TimeProvider.System;

    /// <summary>
    /// How long an abandoned work item waits before it can be claimed again, doubling with each abandon in a row up
    /// to <see cref="MaxAbandonBackoff"/>; a completed episode starts again from here. Judged by the lease clock.
    /// </summary>
    public TimeSpan AbandonBackoff { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxAbandonBackoff { get; init; } = TimeSpan.FromSeconds(30);

    public int MaxConcurrentOrchestrations { get; init; } = 100;

    public int MaxConcurrentActivities { get; init; } = 100;

    /// <summary>How many work items one claim transaction takes; the rest wait in memory with renewed leases.</summary>
    public int ClaimBatchSize { get; init; } = 50;

    /// <summary>The longest a long-poll sleeps before looking at the file again (other processes, timers).</summary>
    public TimeSpan MaxPollInterval { get; init; } = TimeSpan.FromMilliseconds(250);
}
