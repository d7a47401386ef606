using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Personas.Durable.Sqlite;

public sealed partial class SqliteOrchestrationService
{
    private static readonly TimeSpan MinPoll = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// Hands out claimed work, claiming a batch when the buffer is empty. With nothing to do it sleeps until work is
    /// written in this process, the next timer is due, or the poll interval passes (other processes, expired
    /// leases); the interval backs off to <see cref="SqliteOrchestrationServiceOptions.MaxPollInterval"/>.
    /// Returns null on timeout or cancellation.
    /// </summary>
    private async Task<T?> LongPoll<T>(ConcurrentQueue<T> buffer, SqliteWorkSignal signal,
        Func<Task<(int Claimed, DateTime? NextDue)>> claim, TimeSpan timeout, CancellationToken cancellationToken)
        where T : class
    {
        var started = Stopwatch.GetTimestamp();
        var backoff = MinPoll;
        while (true)
        {
            if (buffer.TryDequeue(out var item)) return item;
            if (cancellationToken.IsCancellationRequested || _stopping.IsCancellationRequested) return null;
            var wake = signal.Current;
            var (claimed, nextDue) = (0, (DateTime?)null);
            try
            {
                (claimed, nextDue) = await claim();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                _log.LogWarning(e, "Claiming work from {Path} failed; retrying.", _db.Path);
            }
            if (claimed > 0)
            {
                backoff = MinPoll;
                continue;
            }
            var wait = backoff;
            if (nextDue is { } due && due - Now < wait) wait = due - Now;
            if (timeout != Timeout.InfiniteTimeSpan)
            {
                var left = timeout - Stopwatch.GetElapsedTime(started);
                if (left <= TimeSpan.Zero) return null;
                if (left < wait) wait = left;
            }
            if (wait < TimeSpan.FromMilliseconds(1)) wait = TimeSpan.FromMilliseconds(1);
            try
            {
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token);
                await SqliteWorkSignal.Wait(wake, wait, linked.Token);
            }
            catch (OperationCanceledException)
            {
                return null;
            }
            backoff = wake.IsCompleted ? MinPoll : TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2,
                _options.MaxPollInterval.Ticks));
        }
    }
}
