using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Personas.Api.Recovery;

/// <summary>
/// Runs the repairs once when the host starts, after the catalog and the durable runtime are up: stranded personas,
/// stranded posts, upload leftovers. A repair that fails is logged and does not stop the host; the next start tries
/// again.
/// </summary>
public sealed class StartupRepair(IServiceProvider services, RecoverySettings settings, ILogger<StartupRepair> log)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!settings.Enabled) return;
        try
        {
            var personas = await services.GetRequiredService<StrandedWorkRepair>().RunAsync(cancellationToken);
            var posts = await services.GetRequiredService<StrandedPostRepair>().RunAsync(cancellationToken);
            var (blobs, folders) = await services.GetRequiredService<UploadLeftoverSweep>().RunAsync(cancellationToken);
            if (personas.Count + posts.Count + blobs + folders > 0)
                log.LogWarning("Startup repair: {Personas} persona(s) and {Posts} post(s) released from stopped work; "
                    + "{Blobs} upload blob(s) and {Folders} staging folder(s) removed.",
                    personas.Count, posts.Count, blobs, folders);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            log.LogError(ex, "The startup repair failed; it runs again at the next start.");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

public static class RecoveryServices
{
    /// <summary>
    /// Registers the startup repair. Call after the durable runtime's services: hosted services start in order, and
    /// the repair asks the runtime about instances.
    /// </summary>
    public static IServiceCollection AddPersonasRecovery(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(configuration.GetSection(RecoverySettings.Section).Get<RecoverySettings>()
            ?? new RecoverySettings());
        services.TryAddSingleton<StrandedWorkRepair>();
        services.TryAddSingleton<StrandedPostRepair>();
        services.TryAddSingleton<UploadLeftoverSweep>();
        services.AddHostedService<StartupRepair>();
        return services;
    }
}
