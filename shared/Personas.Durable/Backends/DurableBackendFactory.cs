using DurableTask.Core;
using Microsoft.DurableTask.Testing.Sidecar;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Personas.Durable.AzureStorage;
using Personas.Durable.Hosting;

namespace Personas.Durable.Backends;

/// <summary>Makes the backend that <see cref="DurableSettings.Backend"/> names, wrapped for the sidecar.</summary>
public static class DurableBackendFactory
{
    public static DurableBackend Create(DurableSettings settings, string dataDir, IServiceProvider services)
    {
        var logs = services.GetRequiredService<ILoggerFactory>();
        return settings.Backend.ToLowerInvariant() switch
        {
            DurableBackends.Memory => Wrap(DurableBackends.Memory, new InMemoryOrchestrationService(logs), settings),
            DurableBackends.AzureStorage => Persisted(DurableBackends.AzureStorage,
                AzureStorageBackend.Create(settings, logs), settings, logs),
            _ => throw new NotSupportedException($"Backend '{settings.Backend}' is not wired yet."),
        };
    }

    /// <summary>
    /// Backends that serialize history and lock work for a limited time: the sidecar's event repairs (platform.md)
    /// outside, the sub-orchestration id guard, activity lock renewal (which the sidecar does not do) inside.
    /// </summary>
    public static DurableBackend Persisted<T>(string name, T service, DurableSettings settings, ILoggerFactory logs)
        where T : IOrchestrationService, IOrchestrationServiceClient
    {
        var (orchestrations, activities) = (settings.MaxConcurrentOrchestrations, settings.MaxConcurrentActivities);
        var renewing = new ActivityLockRenewal(service, service, orchestrations, activities,
            logs.CreateLogger<ActivityLockRenewal>());
        var guarded = new SubOrchestrationIdGuard(renewing, renewing, orchestrations, activities);
        var repaired = new SidecarEventRepairs(guarded, guarded, orchestrations, activities);
        return new DurableBackend(name, repaired, repaired);
    }

    private static DurableBackend Wrap<T>(string name, T service, DurableSettings settings)
        where T : IOrchestrationService, IOrchestrationServiceClient
    {
        var decorated = new SubOrchestrationIdGuard(service, service,
            settings.MaxConcurrentOrchestrations, settings.MaxConcurrentActivities);
        return new DurableBackend(name, decorated, decorated);
    }
}
