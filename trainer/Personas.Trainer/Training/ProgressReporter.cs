using Personas.Trainer.Callbacks;

namespace Personas.Trainer.Training;

/// <summary>
/// Turns trainer output into <c>running</c> callbacks, at most one per interval and one at a time; the newest step
/// seen during a delivery follows it when due, so the final step always goes. Output reading never waits on the host.
/// A refused callback cancels <see cref="Stopping"/>, so the agent ends the trainer instead of training for a run the
/// host will not accept.
/// </summary>
public sealed class ProgressReporter(CallbackClient callbacks, int totalSteps, TimeSpan interval, TimeProvider clock,
    AgentLog log, CancellationToken ct) : IDisposable
{
    private readonly Lock _gate = new();
    private readonly ProgressParser _parser = new(totalSteps);
    private readonly CancellationTokenSource _stopping = CancellationTokenSource.CreateLinkedTokenSource(ct);
    private Task _inFlight = Task.CompletedTask;
    private bool _sending;
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
            if (_sending || !Due(step)) return;
            _sending = true;
            _inFlight = SendLoopAsync(step);
        }
    }

    /// <summary>Waits for the callbacks being delivered, if any.</summary>
    public Task FlushAsync()
    {
        lock (_gate) return _inFlight;
    }

    private bool Due(int step) => step != _lastStep && (_lastStep < 0 || step == totalSteps
        || clock.GetElapsedTime(_lastSentAt) >= interval);

    /// <summary>Sends a step, then the newest step seen meanwhile when due, so the final step is never lost.</summary>
    private async Task SendLoopAsync(int step)
    {
        while (true)
        {
            lock (_gate) (_lastStep, _lastSentAt) = (step, clock.GetTimestamp());
            await SendAsync(step);
            lock (_gate)
            {
                if (Rejection is not null || _stopping.IsCancellationRequested
                    || LastStepSeen is not { } seen || !Due(seen))
                {
                    _sending = false;
                    return;
                }
                step = seen;
            }
        }
    }

    private async Task SendAsync(int step)
    {
        try
        {
            var running = CallbackEvent.Running(step, totalSteps, $"step {step}/{totalSteps}");
            await callbacks.SendAsync(running, _stopping.Token);
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
