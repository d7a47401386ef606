using Personas.Trainer.Callbacks;

namespace Personas.Trainer.Training;

/// <summary>
/// Turns trainer output into <c>running</c> callbacks, at most one per interval (the final step always goes) and one
/// at a time: while one is being delivered, newer steps wait for the next line. Output reading never waits on the
/// host. A refused callback cancels <see cref="Stopping"/>, so the agent ends the trainer instead of training for a
/// run the host will not accept.
/// </summary>
public sealed class ProgressReporter(CallbackClient callbacks, int totalSteps, TimeSpan interval, TimeProvider clock,
    AgentLog log, CancellationToken ct) : IDisposable
{
    private readonly Lock _gate = new();
    private readonly ProgressParser _parser = new(totalSteps);
    private readonly CancellationTokenSource _stopping = CancellationTokenSource.CreateLinkedTokenSource(ct);
    private Task _inFlight = Task.CompletedTask;
    private long _lastSentAt;
    private int _lastStep = -1;

    public CancellationToken Stopping => _stopping.Token;
    public CallbackException? Rejection { get; private set; }
    public int? LastStepSeen { get; private set; }

    public void Observe(string line)
    {
        if (_parser.StepIn(line) is not { } step) return;
        lock (_gate)
        {
            LastStepSeen = step;
            var now = clock.GetTimestamp();
            var due = _lastStep < 0 || step == totalSteps || clock.GetElapsedTime(_lastSentAt, now) >= interval;
            if (step == _lastStep || !due || !_inFlight.IsCompleted) return;
            (_lastStep, _lastSentAt) = (step, now);
            _inFlight = SendAsync(step);
        }
    }

    /// <summary>Waits for the callback being delivered, if any.</summary>
    public Task FlushAsync()
    {
        lock (_gate) return _inFlight;
    }

    private async Task SendAsync(int step)
    {
        try
        {
            await callbacks.SendAsync(CallbackEvent.Running(step, totalSteps, $"step {step}/{totalSteps}"), _stopping.Token);
        }
        catch (CallbackException ex) when (ex.IsRejected)
        {
            Rejection = ex;
            log.Error(ex.Message);
            await _stopping.CancelAsync();
        }
        catch (CallbackException ex)
        {
            log.Error($"Progress not reported, training goes on: {ex.Message}");
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
    }

    public void Dispose() => _stopping.Dispose();
}
