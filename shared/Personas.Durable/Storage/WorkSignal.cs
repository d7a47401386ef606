namespace Personas.Durable.Storage;

/// <summary>
/// Wakes idle dispatchers in this process when work is added. A dispatcher takes <see cref="Next"/> before it looks
/// for work, so a notification that lands while it is looking is not missed.
/// </summary>
public sealed class WorkSignal
{
    private TaskCompletionSource _next = NewSource();

    /// <summary>Completes at the next <see cref="Notify"/>.</summary>
    public Task Next => Volatile.Read(ref _next).Task;

    public void Notify() => Interlocked.Exchange(ref _next, NewSource()).TrySetResult();

    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
