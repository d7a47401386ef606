namespace Personas.Durable.Execution;

/// <summary>
/// Runs orchestrator continuations on the replaying thread, one at a time and in order, so that replay is
/// deterministic. The executor drains it after every history event it applies.
/// </summary>
internal sealed class ReplaySynchronizationContext : SynchronizationContext
{
    private readonly Queue<(SendOrPostCallback Callback, object? State)> _work = new();

    public override void Post(SendOrPostCallback d, object? state) => _work.Enqueue((d, state));

    public override void Send(SendOrPostCallback d, object? state) => d(state);

    public void Drain()
    {
        while (_work.TryDequeue(out var item)) item.Callback(item.State);
    }
}
