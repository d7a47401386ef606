using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Personas.Durable.Backends;

namespace Personas.Durable.Hosting;

public static class DurableServiceCollectionExtensions
{
    /// <summary>
    /// Runs the workflows in <paramref name="register"/> on Microsoft.DurableTask: the backend that
    /// <see cref="DurableSettings.Backend"/> names, served by an in-process sidecar, with the SDK's worker and a
    /// <see cref="DurableTaskClient"/> talking to it. <paramref name="runWorker"/> false gives a client only.
    /// </summary>
    public static IServiceCollection AddPersonasDurable(this IServiceCollection services, DurableSettings settings,
        string dataDir, Action<DurableTaskRegistry> register, bool runWorker = true)
    {
        if (!DurableBackends.All.Contains(settings.Backend, StringComparer.OrdinalIgnoreCase))
            throw new InvalidOperationException(
                $"{DurableSettings.Section}:Backend is '{settings.Backend}'; " +
                $"use one of {string.Join(", ", DurableBackends.All)}.");
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(settings);
        services.AddSingleton(sp => DurableBackendFactory.Create(settings, dataDir, sp));
        services.AddSingleton<SidecarServer>();
        // Registered before the worker: hosted services start in order and stop in reverse.
        services.AddHostedService(sp => sp.GetRequiredService<SidecarServer>());

        services.AddDurableTaskClient(b =>
        {
            b.UseGrpc(o => { });
            b.Configure(o => o.DataConverter = PersonasDataConverter.Default);
        });
        services.AddOptions<Microsoft.DurableTask.Client.Grpc.GrpcDurableTaskClientOptions>(
                Microsoft.Extensions.Options.Options.DefaultName)
            .Configure<SidecarServer>((o, sidecar) => o.Channel = sidecar.CreateChannel());
        if (!runWorker) return services;

        services.AddDurableTaskWorker(b =>
        {
            b.AddTasks(register);
            b.UseGrpc(o => { });
            b.Configure(o =>
            {
                o.DataConverter = PersonasDataConverter.Default;
                o.Concurrency.MaximumConcurrentActivityWorkItems = settings.MaxConcurrentActivities;
                o.Concurrency.MaximumConcurrentOrchestrationWorkItems = settings.MaxConcurrentOrchestrations;
                // The SDK splits a timer longer than 3 days into 3-day hops for Azure Storage, whose queue messages
                // wait 7 days at most. SQLite stores a due time of any length and judges it by the injected clock;
                // a hop is judged by the sidecar's wall clock instead, so a deadline taken from the injected clock
                // (a post's expiry, a schedule) that runs ahead of it would hop until the wall clock caught up.
                if (string.Equals(settings.Backend, DurableBackends.Sqlite, StringComparison.OrdinalIgnoreCase))
                    o.MaximumTimerInterval = TimeSpan.MaxValue;
            });
        });
        services.AddOptions<Microsoft.DurableTask.Worker.Grpc.GrpcDurableTaskWorkerOptions>(
                Microsoft.Extensions.Options.Options.DefaultName)
            .Configure<SidecarServer>((o, sidecar) => o.Channel = sidecar.CreateChannel());
        return services;
    }
}
