using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Personas.Durable.Sqlite;
using Personas.Durable.Storage;
using Personas.Durable.Worker;

namespace Personas.Durable;

public static class DurableTaskServiceCollectionExtensions
{
    /// <summary>
    /// Adds the durable runtime: registry, client and (unless <paramref name="runWorker"/> is false) a worker.
    /// The store comes from <see cref="UseSqlite"/> or another <see cref="IOrchestrationStore"/> registration.
    /// </summary>
    public static IServiceCollection AddDurableTask(this IServiceCollection services, Action<DurableTaskRegistry> register,
        Action<DurableWorkerOptions>? configureWorker = null, bool runWorker = true)
    {
        var registry = new DurableTaskRegistry();
        register(registry);
        services.AddSingleton(registry);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(JsonDataConverter.Default);
        services.AddSingleton<DurableTaskClient>();
        services.AddOptions<DurableWorkerOptions>();
        if (configureWorker is not null) services.Configure(configureWorker);
        if (runWorker) services.AddHostedService<DurableWorker>();
        return services;
    }

    /// <summary>Uses the embedded SQLite store at <paramref name="databasePath"/>.</summary>
    public static IServiceCollection UseSqlite(this IServiceCollection services, string databasePath)
    {
        services.AddSingleton<IOrchestrationStore>(sp =>
            new SqliteOrchestrationStore(databasePath, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<JsonDataConverter>()));
        return services;
    }
}
