namespace Personas.Trainer.Callbacks;

public sealed class CallbackClientOptions
{
    /// <summary>Attempts per event before giving up (the host's poller then notices the execution's end).</summary>
    public int MaxAttempts { get; set; } = 10;
    /// <summary>The wait after the first failed attempt; it doubles up to <see cref="MaxDelay"/>.</summary>
    public TimeSpan FirstDelay { get; set; } = TimeSpan.FromSeconds(1);
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(60);
    /// <summary>
    /// How long a 404 (unknown run) is retried while the host has accepted none of the run's events: it records the
    /// run just after the execution starts. After that, or once an event was accepted, a 404 is final.
    /// </summary>
    public TimeSpan UnknownRunGrace { get; set; } = TimeSpan.FromSeconds(30);
    /// <summary>One attempt's time limit.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);
    public TimeProvider Clock { get; set; } = TimeProvider.System;
}
