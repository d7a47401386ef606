namespace Personas.Durable.Sqlite;

/// <summary>Wakes long-polls in this process when work is written, so they need not spin on the file.</summary>
internal sealed class SqliteWorkSignal
{
    private TaskCompletionSource _next = New();

    public void Notify() => Interlocked.Exchange(ref _next, New()).TrySetResult();

    /// <summary>Taken before looking for work, so a notification during the look is not lost.</summary>
    public Task Current => Volatile.Read(ref _next).Task;

    public Task WaitAsync(TimeSpan max, CancellationToken cancellationToken) => Wait(Current, max, cancellationToken);

    /// <summary>Waits for <paramref name="signal"/>, at most <paramref name="max"/> (real time).</summary>
    public static async Task Wait(Task signal, TimeSpan max, CancellationToken cancellationToken)
    {
        try { await signal.WaitAsync(max, cancellationToken); }
        catch (TimeoutException) { }
    }

    private static TaskCompletionSource New() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
