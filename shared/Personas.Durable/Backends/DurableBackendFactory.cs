using DurableTask.Core;
using Microsoft.DurableTask.Testing.Sidecar;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Personas.Durable.AzureStorage;
using Personas.Durable.Hosting;
using Personas.Durable.Sqlite;

namespace Personas.Durable.Backends;

/// <summary>Makes the backend that <see cref="DurableSettings.Backend"/> names, wrapped for the sidecar.</summary>
public static class DurableBackendFactory
{
    public static DurableBackend Create(DurableSettings settings, string dataDir, IServiceProvider services)
    {
        var logs = services.GetRequiredService<ILoggerFactory>();
        return settings.Backend.ToLowerInvariant() switch
        {
            DurableBackends.Sqlite => Sqlite(new SqliteOrchestrationService(
                new SqliteOrchestrationServiceOptions
                {
                    DatabasePath = Path.Combine(dataDir, "durable.db"),
                    LeaseDuration = TimeSpan.FromSeconds(settings.LeaseSeconds),
                    MaxConcurrentOrchestrations = settings.MaxConcurrentOrchestrations,
                    MaxConcurrentActivities = settings.MaxConcurrentActivities,
                }, services.GetRequiredService<TimeProvider>(), logs), settings, logs),
            DurableBackends.Memory => Memory(new InMemoryOrchestrationService(logs), settings, logs),
            DurableBackends.AzureStorage => Persisted(DurableBackends.AzureStorage,
                AzureStorageBackend.Create(settings, logs), settings, logs),
            _ => throw new InvalidOperationException(
                $"{DurableSettings.Section}:Backend is '{settings.Backend}'; " +
                $"use one of {string.Join(", ", DurableBackends.All)}."),
        };
    }

    // The sidecar's dispatcher only counts work handed to the worker, and once at its cap it re-polls every
    // 500 ms: at 100 that capped activities near 200/s. The worker's own limits (same settings) bound what
    // actually runs; the dispatcher may hand over more, which waits in the worker's queue, leases renewed.
    private const int SidecarOverdispatch = 10;

    private static (int Orchestrations, int Activities) DispatchCaps(DurableSettings settings) =>
        (settings.MaxConcurrentOrchestrations * SidecarOverdispatch,
            settings.MaxConcurrentActivities * SidecarOverdispatch);

    /// <summary>
    /// Azure Storage serializes history and locks work for a limited time. From the inside out: activity lock renewal
    /// (which the sidecar does not do), whole-second queue delays rounded up so timers never fire early, the
    /// sub-orchestration id guard, failure details read back from history, the sidecar's event repairs
    /// (platform.md), results delivered twice dropped, then what every backend gets (<see cref="Outer"/>).
    /// </summary>
    public static DurableBackend Persisted<T>(string name, T service, DurableSettings settings, ILoggerFactory logs)
        where T : IOrchestrationService, IOrchestrationServiceClient
    {
        var (orchestrations, activities) = DispatchCaps(settings);
        var renewing = new ActivityLockRenewal(service, service, orchestrations, activities,
            logs.CreateLogger<ActivityLockRenewal>());
        var timed = new AzureStorageQueueTimes(renewing, renewing, orchestrations, activities);
        var guarded = new SubOrchestrationIdGuard(timed, timed, orchestrations, activities);
        var failures = new FailureDetailsFromHistory(guarded, guarded, orchestrations, activities);
        var repaired = new SidecarEventRepairs(failures, failures, orchestrations, activities);
        var deduped = new DuplicateResultFilter(repaired, repaired, orchestrations, activities);
        return Outer(name, deduped, orchestrations, activities, logs);
    }

    /// <summary>
    /// SQLite renews its own leases, refuses a taken child id in its episode commit and keeps failure details; it
    /// still gets the event repairs so nothing the sidecar hands it depends on its JSON mapping alone; then
    /// what every backend gets (<see cref="Outer"/>).
    /// </summary>
    private static DurableBackend Sqlite(SqliteOrchestrationService service, DurableSettings settings,
        ILoggerFactory logs)
    {
        var (orchestrations, activities) = DispatchCaps(settings);
        var repaired = new SidecarEventRepairs(service, service, orchestrations, activities);
        return Outer(DurableBackends.Sqlite, repaired, orchestrations, activities, logs);
    }

    private static DurableBackend Memory(InMemoryOrchestrationService service, DurableSettings settings,
        ILoggerFactory logs)
    {
        var (orchestrations, activities) = DispatchCaps(settings);
        var guarded = new SubOrchestrationIdGuard(service, service, orchestrations, activities);
        return Outer(DurableBackends.Memory, guarded, orchestrations, activities, logs);
    }

    /// <summary>
    /// What every backend gets outermost, for the sidecar's defects rather than the backend's: the delivery order of
    /// an episode's messages, one delivery of a piece of work in flight at a time, and the gate (the scheduled start
    /// the sidecar drops; results drained on stop).
    /// </summary>
    private static DurableBackend Outer(string name, OrchestrationServiceDecorator inner, int orchestrations,
        int activities, ILoggerFactory logs)
    {
        var ordered = new DeliveryOrder(inner, inner, orchestrations, activities);
        var single = new OneDeliveryInFlight(ordered, ordered, orchestrations, activities,
            logs.CreateLogger<OneDeliveryInFlight>());
        var gate = new SidecarGate(single, single, orchestrations, activities);
        return new DurableBackend(name, gate, gate);
    }
}
