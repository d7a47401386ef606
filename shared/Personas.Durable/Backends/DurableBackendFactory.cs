using DurableTask.Core;
using Microsoft.DurableTask.Testing.Sidecar;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
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
            DurableBackends.Sqlite => Wrap(DurableBackends.Sqlite, new SqliteOrchestrationService(
                new SqliteOrchestrationServiceOptions
                {
                    DatabasePath = Path.Combine(dataDir, "durable.db"),
                    LeaseDuration = TimeSpan.FromSeconds(settings.LeaseSeconds),
                    MaxConcurrentOrchestrations = settings.MaxConcurrentOrchestrations,
                    MaxConcurrentActivities = settings.MaxConcurrentActivities,
                }, services.GetRequiredService<TimeProvider>(), logs), settings),
            DurableBackends.Memory => Wrap(DurableBackends.Memory, new InMemoryOrchestrationService(logs), settings),
            _ => throw new NotSupportedException($"Backend '{settings.Backend}' is not wired yet."),
        };
    }

    private const int SidecarOverdispatch = 10;

    private static DurableBackend Wrap<T>(string name, T service, DurableSettings settings)
        where T : IOrchestrationService, IOrchestrationServiceClient
    {
        // The sidecar's dispatcher only counts work handed to the worker, and once at its cap it re-polls every
        // 500 ms: at 100 that capped activities near 200/s. The worker's own limits (same settings) bound what
        // actually runs; the dispatcher may hand over more, which waits in the worker's queue, leases renewed.
        var decorated = new OrchestrationServiceDecorator(service, service,
            settings.MaxConcurrentOrchestrations * SidecarOverdispatch,
            settings.MaxConcurrentActivities * SidecarOverdispatch);
        return new DurableBackend(name, decorated, decorated);
    }
}
