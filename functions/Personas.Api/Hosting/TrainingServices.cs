using Personas.Azure.Blobs;
using System.Security.Cryptography;
using Azure.Core;
using Azure.Identity;
using Personas.Domain.Blobs;
using Personas.Api.Blobs;
using Personas.Api.Training;
using Personas.Providers.Fal;
using Personas.Providers.Jobs;
using Personas.Providers.Local;
using Personas.Providers.Replicate;
using Personas.Providers.Training;
using Personas.Providers.Webhooks;

namespace Personas.Api.Hosting;

/// <summary>The training providers, in failover order, with their clients and webhook verifiers.</summary>
public static class TrainingServices
{
    public static IServiceCollection AddTraining(this IServiceCollection services, IConfiguration configuration, PersonasSettings settings)
    {
        services.Configure<TrainingSettings>(configuration.GetSection(TrainingSettings.Section));
        services.Configure<EventStreamSettings>(configuration.GetSection(EventStreamSettings.Section));
        var training = configuration.GetSection(TrainingSettings.Section).Get<TrainingSettings>() ?? new TrainingSettings();
        var fal = configuration.GetSection(FalSettings.Section).Get<FalSettings>() ?? new FalSettings();
        var replicate = configuration.GetSection(ReplicateSettings.Section).Get<ReplicateSettings>() ?? new ReplicateSettings();
        var jobs = configuration.GetSection(JobsSettings.Section).Get<JobsSettings>() ?? new JobsSettings();
        var local = configuration.GetSection(LocalTrainingSettings.Section).Get<LocalTrainingSettings>() ?? new LocalTrainingSettings();
        services.AddSingleton(replicate);
        services.AddSingleton<TokenCredential>(_ => new DefaultAzureCredential(new DefaultAzureCredentialOptions
        {
            ManagedIdentityClientId = string.IsNullOrWhiteSpace(jobs.ManagedIdentityClientId) ? null : jobs.ManagedIdentityClientId,
        }));
        // The job callback key is derived from the signing key, so there is one secret to keep and each use gets its own key.
        services.AddSingleton(sp => new JobCallbackSigner(
            HMACSHA256.HashData(ApiServices.SigningKey(settings), "job-callbacks"u8), sp.GetRequiredService<TimeProvider>()));

        services.AddSingleton(sp => new FalWebhookVerifier(new HttpClient { Timeout = TimeSpan.FromSeconds(10) }, sp.GetRequiredService<TimeProvider>(), new Uri(fal.JwksUrl)));
        services.AddSingleton<IPublicLinks>(sp => new PublicLinks(settings.PublicBaseUrl,
            sp.GetRequiredService<BlobUrlSigner>(),
            sp.GetService<BlobSasLinks>()));
        services.AddSingleton(sp =>
        {
            var configured = new Dictionary<string, ITrainingProvider>(StringComparer.OrdinalIgnoreCase);
            if (fal.Configured)
                configured[FalTrainingProvider.ProviderName] = new FalTrainingProvider(fal.CreateClient(),
                    new FalTrainingOptions { PortraitModel = fal.PortraitModel, FullBodyModel = fal.FullBodyModel, FirstPoll = TimeSpan.FromSeconds(fal.FirstPollSeconds) });
            if (replicate.Configured)
                configured[ReplicateTrainingProvider.ProviderName] = new ReplicateTrainingProvider(replicate.CreateClient(),
                    new ReplicateTrainingOptions { Trainer = replicate.Trainer, TrainerVersion = replicate.TrainerVersion, Owner = replicate.Owner, FirstPoll = TimeSpan.FromSeconds(replicate.FirstPollSeconds) });
            if (jobs.Configured)
                configured[ContainerAppsJobTrainingProvider.ProviderName] = new ContainerAppsJobTrainingProvider(
                    jobs.CreateClient(sp.GetRequiredService<TokenCredential>(), sp.GetRequiredService<TimeProvider>()), sp.GetRequiredService<JobCallbackSigner>(),
                    new HttpClient { Timeout = Timeout.InfiniteTimeSpan },
                    new ContainerAppsJobTrainingOptions { ContainerName = jobs.ContainerName, FirstPoll = TimeSpan.FromSeconds(jobs.FirstPollSeconds),
                        CompletionGrace = TimeSpan.FromMinutes(jobs.CompletionGraceMinutes) }, sp.GetRequiredService<TimeProvider>());
            if (local.Configured)
                configured[LocalCommandTrainingProvider.ProviderName] = new LocalCommandTrainingProvider(sp.GetRequiredService<IBlobStore>(), new LocalCommandTrainingOptions
                {
                    Command = local.Command, OutputName = local.OutputName, ProgressPattern = local.ProgressPattern, FirstPoll = TimeSpan.FromSeconds(local.FirstPollSeconds),
                    WorkDir = Path.GetFullPath(string.IsNullOrWhiteSpace(local.WorkDir) ? Path.Combine(settings.DataDir, "local-training") : local.WorkDir),
                });
            var ordered = training.Order.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(name => configured.GetValueOrDefault(name)).OfType<ITrainingProvider>()
                .Concat(configured.Values).Distinct();
            return new TrainingProviders(ordered, sp.GetRequiredService<TimeProvider>(), TimeSpan.FromSeconds(training.DryRunSeconds), training.Prices());
        });
        return services;
    }

    /// <summary>Signed blob links and webhook addresses on the host's public address; none without one.</summary>
    /// <summary>
    /// Links a provider can fetch: a read-only SAS straight from Blob Storage when the blobs live there (no traffic
    /// through the app), else our own signed link on the public address.
    /// </summary>
    private sealed class PublicLinks(string? baseUrl, BlobUrlSigner signer, BlobSasLinks? sas) : IPublicLinks
    {
        private readonly Uri? _base = Uri.TryCreate(baseUrl, UriKind.Absolute, out var u) ? u : null;

        public Uri? Blob(string path, TimeSpan lifetime) => sas is not null ? sas.Blob(path, lifetime)
            : _base is null ? null : new Uri(signer.Url(_base, path, lifetime));

        public Uri? Webhook(string provider) => _base is null || provider == DryRunTrainingProvider.ProviderName ? null : new Uri(_base, $"api/webhooks/{provider}");
    }
}
