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
                AzureStorageBackend.Create(settings, logs), settings),
            _ => throw new NotSupportedException($"Backend '{settings.Backend}' is not wired yet."),
        };
    }

    /// <summary>Backends that serialize history get the sidecar's event repairs (platform.md).</summary>
    private static DurableBackend Persisted<T>(string name, T service, DurableSettings settings)
        where T : IOrchestrationService, IOrchestrationServiceClient
    {
        var repaired = new SidecarEventRepairs(service, service,
            settings.MaxConcurrentOrchestrations, settings.MaxConcurrentActivities);
        return new DurableBackend(name, repaired, repaired);
    }

    private static DurableBackend Wrap<T>(string name, T service, DurableSettings settings)
        where T : IOrchestrationService, IOrchestrationServiceClient
    {
        var decorated = new OrchestrationServiceDecorator(service, service,
            settings.MaxConcurrentOrchestrations, settings.MaxConcurrentActivities);
        return new DurableBackend(name, decorated, decorated);
    }
}
