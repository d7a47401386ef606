using Personas.Domain.Blobs;
using Personas.Api.Generations;
using Personas.Api.Training;
using Personas.Imaging.Preparation;
using Personas.Orchestrations.Batches;
using Personas.Imaging.Validation;
using Personas.Orchestrations.Generations;
using Personas.Orchestrations.Training;
using Personas.Providers.Generation;

namespace Personas.Api.Hosting;

/// <summary>The image providers (the trainers' own, or the dry run), validation settings and the scorer.</summary>
public static class GenerationServices
{
    public static IServiceCollection AddGeneration(this IServiceCollection services, IConfiguration configuration)
    {
        var generation = configuration.GetSection(GenerationSettings.Section).Get<GenerationSettings>() ?? new GenerationSettings();
        var fal = configuration.GetSection(FalSettings.Section).Get<FalSettings>() ?? new FalSettings();
        var replicate = configuration.GetSection(ReplicateSettings.Section).Get<ReplicateSettings>() ?? new ReplicateSettings();
        services.AddSingleton(configuration.GetSection(ValidationOptions.Section).Get<ValidationOptions>() ?? new ValidationOptions());
        services.AddSingleton(sp => new GeneratedImageScorer(sp.GetRequiredService<PhotoInspector>()));
        services.AddSingleton<PersonaPictures>();
        services.AddSingleton(BatchOptionsFrom(configuration));
        services.AddSingleton(sp => new DryRunImageGenerator(sp.GetRequiredService<IBlobStore>()));
        services.AddSingleton(sp =>
        {
            var clock = sp.GetRequiredService<TimeProvider>();
            var timeout = TimeSpan.FromSeconds(generation.TimeoutSeconds);
            var poll = TimeSpan.FromSeconds(generation.PollSeconds);
            var configured = new List<IImageGenerator>();
            if (fal.Configured)
                configured.Add(new FalImageGenerator(fal.CreateClient(),
                    new FalImageOptions { Model = generation.FalModel, Timeout = timeout, PollInterval = poll }, clock));
            if (replicate.Configured)
                configured.Add(new ReplicateImageGenerator(replicate.CreateClient(),
                    new ReplicateImageOptions { Timeout = timeout, PollInterval = poll }, clock));
            return new ImageGenerators(configured, sp.GetRequiredService<DryRunImageGenerator>(), PriceList.Parse(generation.PricePerImageUsd));
        });
        return services;
    }

    /// <summary>Batches read the owner-wide budget that training and generation use.</summary>
    private static BatchOptions BatchOptionsFrom(IConfiguration configuration) =>
        (configuration.GetSection(BatchOptions.Section).Get<BatchOptions>() ?? new BatchOptions()).WithOwnerBudget(
            configuration.GetSection(TrainingSettings.Section).Get<TrainingSettings>()?.OwnerBudgetUsd);
}
