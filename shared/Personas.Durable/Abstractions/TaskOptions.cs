namespace Personas.Durable;

/// <summary>
/// How often and how patiently a failed activity or sub-orchestration is retried. Waits between attempts are durable
/// timers, so a retry survives restarts. <see cref="Handle"/> decides which failures are worth retrying.
/// </summary>
public sealed record RetryPolicy(
    int MaxNumberOfAttempts,
    TimeSpan FirstRetryInterval,
    double BackoffCoefficient = 1.0,
    TimeSpan? MaxRetryInterval = null,
    TimeSpan? RetryTimeout = null)
{
    public Func<TaskFailureDetails, bool> Handle { get; init; } = _ => true;

    /// <summary>The delay before attempt <paramref name="attempt"/> + 1 (attempts count from 1).</summary>
    public TimeSpan DelayAfter(int attempt)
    {
        var delay = FirstRetryInterval.TotalMilliseconds * Math.Pow(BackoffCoefficient, attempt - 1);
        var capped = MaxRetryInterval is { } max ? Math.Min(delay, max.TotalMilliseconds) : delay;
        return TimeSpan.FromMilliseconds(capped);
    }
}

public record TaskOptions(RetryPolicy? Retry = null)
{
    public static TaskOptions FromRetryPolicy(RetryPolicy policy) => new(policy);
}

public sealed record SubOrchestrationOptions(string? InstanceId = null, string? Version = null, RetryPolicy? Retry = null) : TaskOptions(Retry);

public sealed record StartOrchestrationOptions(
    string? InstanceId = null,
    DateTimeOffset? StartAt = null,
    string? Version = null,
    IReadOnlyDictionary<string, string>? Tags = null);
