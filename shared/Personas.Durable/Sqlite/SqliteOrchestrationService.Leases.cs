using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Personas.Durable.Sqlite;

public sealed partial class SqliteOrchestrationService
{
    // Claim tokens whose leases we still hold (a token covers one claimed batch).
    private readonly ConcurrentDictionary<string, byte> _heldInstances = new();
    private readonly ConcurrentDictionary<string, byte> _heldActivities = new();
    private int _renewing;

    /// <summary>Test hook: when it returns true, the next renewal fails as a transient SQLite error would.</summary>
    internal Func<bool>? RenewalFault { get; set; }

    internal int HeldTokenCount => _heldInstances.Count + _heldActivities.Count;

    private void HoldInstances(string token) => _heldInstances.TryAdd(token, 0);

    private void HoldActivities(string token) => _heldActivities.TryAdd(token, 0);

    private void StartRenewals(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _renewing, 1) == 1) return;
        _ = Task.Run(async () =>
        {
            var interval = _options.LeaseDuration / 3;
            try
            {
                while (!cancellationToken.IsCancellationRequested)
                {
                    var ok = await RenewHeldLeasesAsync();
                    // After a failure, try again soon: the lease is still ours for two more intervals.
                    await Task.Delay(ok ? interval : interval / 4, cancellationToken);
                }
            }
            catch (OperationCanceledException) { }
            finally { Volatile.Write(ref _renewing, 0); }
        }, CancellationToken.None);
    }

    /// <summary>
    /// Extends every lease this process holds. A token that no longer matches any row is done (completed, released
    /// or lost) and is forgotten; a transient error forgets nothing, so the next round renews it again.
    /// </summary>
    internal async Task<bool> RenewHeldLeasesAsync()
    {
        var instances = _heldInstances.Keys.ToList();
        var activities = _heldActivities.Keys.ToList();
        if (instances.Count + activities.Count == 0) return true;
        try
        {
            if (RenewalFault?.Invoke() == true) throw new SqliteException("injected: database is locked", 5);
            var until = Ticks(LeaseNow + _options.LeaseDuration);
            var (doneInstances, doneActivities) = await _db.WriteAsync(c => (
                instances.Where(t => _db.Exec(c, "UPDATE instances SET lock_until = $u WHERE lock_token = $t",
                    ("$u", until), ("$t", t)) == 0).ToList(),
                activities.Where(t => _db.Exec(c, "UPDATE activities SET lock_until = $u WHERE lock_token = $t",
                    ("$u", until), ("$t", t)) == 0).ToList()));
            foreach (var t in doneInstances) _heldInstances.TryRemove(t, out _);
            foreach (var t in doneActivities) _heldActivities.TryRemove(t, out _);
            return true;
        }
        catch (Exception e)
        {
            _log.LogWarning(e, "Renewing {Count} held leases failed; retrying.", instances.Count + activities.Count);
            return false;
        }
    }
}
