using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Personas.Api.Recovery;

/// <summary>
/// Runs the repairs once when the local host starts, after the catalog and the durable runtime are up and before it
/// serves a request, so nothing it finds can be work a request is starting: it waits for no record to age.
/// </summary>
public sealed class StartupRepair(IServiceProvider services, RecoverySettings settings) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!settings.Enabled) return;
        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<RepairSweep>().RunAsync(TimeSpan.Zero, cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

public static class RecoveryServices
{
    /// <summary>
    /// The repairs, scoped: in the Function App they use the invocation's Durable client. The caller decides when
    /// they run (<see cref="AddPersonasStartupRepair"/>, or the Function App's timer).
    /// </summary>
    public static IServiceCollection AddPersonasRepairs(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(configuration.GetSection(RecoverySettings.Section).Get<RecoverySettings>()
            ?? new RecoverySettings());
        services.TryAddScoped<StrandedWorkRepair>();
        services.TryAddScoped<StrandedPostRepair>();
        services.TryAddScoped<UploadLeftoverSweep>();
        services.TryAddScoped<RepairSweep>();
        return services;
    }

    /// <summary>
    /// The repairs, run when the host starts. Call after the durable runtime's services: hosted services start in
    /// order, and the repair asks the runtime about instances.
    /// </summary>
    public static IServiceCollection AddPersonasStartupRepair(this IServiceCollection services,
        IConfiguration configuration)
    {
        services.AddPersonasRepairs(configuration);
        services.AddHostedService<StartupRepair>();
        return services;
    }
}
