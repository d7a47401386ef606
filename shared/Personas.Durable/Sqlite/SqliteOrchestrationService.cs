using System.Collections.Concurrent;
using DurableTask.Core;
using DurableTask.Core.History;
using DurableTask.Core.Query;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Personas.Durable.Sqlite;

/// <summary>
/// The embedded backend: a DurableTask.Core orchestration service on one SQLite file. One transaction per episode;
/// claims carry a lease and a fresh lock token, and a commit only applies while its token still holds the claim.
/// The in-process sidecar never renews locks, so this service renews its own held leases in the background.
/// Due times (timers, scheduled starts) and instance timestamps are judged by the injected <see cref="TimeProvider"/>;
/// leases by <see cref="SqliteOrchestrationServiceOptions.LeaseClock"/>, real time by default.
/// </summary>
public sealed partial class SqliteOrchestrationService : IOrchestrationService, IOrchestrationServiceClient,
    IOrchestrationServiceQueryClient, IOrchestrationServicePurgeClient, IDisposable
{
    // Instances whose history stays in memory between episodes (a few KB each for short workflows).
    private const int HistoryCacheCapacity = 10_000;

    private static readonly int[] TerminalStatuses = [(int)OrchestrationStatus.Completed,
        (int)OrchestrationStatus.Failed, (int)OrchestrationStatus.Canceled, (int)OrchestrationStatus.Terminated];

    private readonly SqliteOrchestrationServiceOptions _options;
    private readonly TimeProvider _clock;
    private readonly ILogger _log;
    private readonly SqliteDb _db;
    private readonly SqliteWorkSignal _orchestrationWork = new();
    private readonly SqliteWorkSignal _activityWork = new();
    private readonly SqliteHistoryCache _history = new(HistoryCacheCapacity);
    // Waiters for an instance to finish, woken by the commit that finishes it (not by every commit).
    private readonly ConcurrentDictionary<string, SqliteWorkSignal> _finished = new(StringComparer.Ordinal);
    private CancellationTokenSource _stopping = new();

    public SqliteOrchestrationService(SqliteOrchestrationServiceOptions options, TimeProvider clock,
        ILoggerFactory logs)
    {
        _options = options;
        _clock = clock;
        _log = logs.CreateLogger<SqliteOrchestrationService>();
        _db = new SqliteDb(options.DatabasePath);
    }

    public string DatabasePath => _db.Path;

    /// <summary>Instances whose history this process keeps in memory (tests).</summary>
    internal int CachedHistoryCount => _history.Count;

    public int MaxConcurrentTaskOrchestrationWorkItems => _options.MaxConcurrentOrchestrations;
    public int MaxConcurrentTaskActivityWorkItems => _options.MaxConcurrentActivities;
    public int TaskOrchestrationDispatcherCount => 1;
    public int TaskActivityDispatcherCount => 1;

    /// <summary>Unprocessed events of an execution that continues as new are delivered to the next one.</summary>
    public BehaviorOnContinueAsNew EventBehaviourForContinueAsNew => BehaviorOnContinueAsNew.Carryover;

    public Task CreateAsync() => CreateAsync(true);

    public async Task CreateAsync(bool recreateInstanceStore)
    {
        if (recreateInstanceStore) await DeleteAsync();
        await CreateIfNotExistsAsync();
    }

    public async Task CreateIfNotExistsAsync()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_db.Path)!);
        await _db.WriteAsync(c =>
        {
            foreach (var statement in SqliteSchema.Create.Split(';', StringSplitOptions.RemoveEmptyEntries))
                if (!string.IsNullOrWhiteSpace(statement)) _db.Exec(c, statement);
            foreach (var (table, column, definition) in SqliteSchema.Added)
                if (_db.Query(c, $"SELECT 1 FROM pragma_table_info('{table}') WHERE name = $c", r => 1,
                        ("$c", column)).Count == 0)
                    _db.Exec(c, $"ALTER TABLE {table} ADD COLUMN {column} {definition}");
            if (_db.Query(c, "SELECT version FROM schema_info", r => r.GetInt32(0)).Count == 0)
                _db.Exec(c, "INSERT INTO schema_info(version) VALUES ($v)", ("$v", SqliteSchema.Version));
            else _db.Exec(c, "UPDATE schema_info SET version = $v", ("$v", SqliteSchema.Version));
            return 0;
        });
    }

    public Task DeleteAsync() => DeleteAsync(true);

    public Task DeleteAsync(bool deleteInstanceStore) => _db.WriteAsync(c =>
    {
        _history.Clear();
        foreach (var table in new[] { "history", "messages", "activities", "instances", "schema_info" })
            _db.Exec(c, $"DROP TABLE IF EXISTS {table}");
        return 0;
    });

    public Task StartAsync()
    {
        if (_stopping.IsCancellationRequested) _stopping = new CancellationTokenSource();
        StartRenewals(_stopping.Token);
        return Task.CompletedTask;
    }

    public Task StopAsync() => StopAsync(false);

    public async Task StopAsync(bool isForced)
    {
        await _stopping.CancelAsync();
        await ReleaseBufferedAsync();
    }

    public bool IsMaxMessageCountExceeded(int currentMessageCount, OrchestrationRuntimeState runtimeState) => false;

    public int GetDelayInSecondsAfterOnProcessException(Exception exception) => 1;

    public int GetDelayInSecondsAfterOnFetchException(Exception exception) => 1;

    public void Dispose()
    {
        _stopping.Cancel();
        _db.Dispose();
        _stopping.Dispose();
    }

    /// <summary>The injected clock: due times of timers and scheduled starts, instance timestamps.</summary>
    private DateTime Now => _clock.GetUtcNow().UtcDateTime;

    /// <summary>The lease clock: lock_until of claims, renewals, expiry and abandon backoff.</summary>
    private DateTime LeaseNow => _options.LeaseClock.GetUtcNow().UtcDateTime;

    private static long Ticks(DateTime time) => time.ToUniversalTime().Ticks;

    private static DateTime FromTicks(long ticks) => new(ticks, DateTimeKind.Utc);

    private static bool IsTerminal(OrchestrationStatus status) => TerminalStatuses.Contains((int)status);

    /// <summary>The parameters of <see cref="SqliteSchema.AbandonedUntil"/>.</summary>
    private (string, object?)[] BackoffArgs() =>
        [
            ("$now", Ticks(LeaseNow)), ("$base", _options.AbandonBackoff.Ticks),
            ("$max", _options.MaxAbandonBackoff.Ticks),
        ];

    private static string NewToken() => Guid.NewGuid().ToString("N");

    private int? InstanceStatus(SqliteConnection c, string instanceId) =>
        _db.Query(c, "SELECT status FROM instances WHERE id = $id", r => r.GetInt32(0), ("$id", instanceId))
            .Cast<int?>().FirstOrDefault();
}
