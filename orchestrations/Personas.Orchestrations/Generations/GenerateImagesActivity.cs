using Personas.Domain.Blobs;
using Personas.Domain.Generations;
using Personas.Domain.Personas;
using Personas.Domain.Stores;
using Personas.Domain.Training;
using Microsoft.DurableTask;
using Personas.Orchestrations.Dataset;
using Personas.Orchestrations.FaceSwap;
using Personas.Providers.Generation;

namespace Personas.Orchestrations.Generations;

/// <summary>
/// Renders the pictures with the chosen (or newest usable) model version and records the generation. Stored under
/// the generation's id, so a retry overwrites rather than duplicates.
/// </summary>
public sealed class GenerateImagesActivity(ICatalog catalog, PersonaPictures pictures, PersonaFaceSwap faceSwap,
    TimeProvider clock) : TaskActivity<GenerateWithPersonaInput, Generation>
{
    public override async Task<Generation> RunAsync(TaskActivityContext context, GenerateWithPersonaInput input)
    {
        var ct = context.CancellationToken;
        var persona = await catalog.GetPersonaAsync(input.Owner, input.PersonaId, ct) ?? throw new InvalidDataException($"Persona {input.PersonaId} no longer exists.");
        if (persona.Consent.RefusalFor(input.Usage, clock.GetUtcNow()) is { } refusal) throw new ConsentException(refusal);
        var model = persona.ModelFor(input.ModelVersion)
            ?? throw new InvalidDataException("The persona has no trained version that passed validation.");
        if (!PlatformSizes.TryGet(input.Platform, out var size)) throw new InvalidDataException($"Unknown platform '{input.Platform}'.");

        var lora = pictures.Reference(persona, model, model.ActiveWeightsBlob);
        var images = new List<GeneratedPicture>();
        string? provider = null;
        for (var i = 0; i < input.Count; i++)
        {
            var picture = await pictures.MakeAsync(input.Owner, new ImageRequest(input.PersonaId, input.Prompt, lora, input.BlendStrength, size.Width, size.Height, input.Seed + i),
                BlobPaths.Join(input.Owner, input.PersonaId, "generations", input.GenerationId, $"{i}.jpg"),
                "generation", new CostKey(context.InstanceId, $"picture/{i}", 0), ct, input.Usage);
            var swap = input.FaceSwap
                ? await faceSwap.ApplyAsync(input.Owner, persona, picture, size.Width, size.Height,
                    new CostKey(context.InstanceId, $"picture/{i}/faceswap", 0), input.Usage, ct)
                : null;
            images.Add(new GeneratedPicture(picture.Blob, picture.Seed, picture.RequestId) { FaceSwap = swap });
            provider = picture.Provider;
        }
        var generation = new Generation(input.GenerationId, input.Owner, input.PersonaId, model.Version, lora.WeightsBlob, provider!, input.Prompt,
            input.BlendStrength, input.Platform, size.Width, size.Height, input.Usage, images, clock.GetUtcNow())
        {
            Label = PersonaFaceSwap.Label(provider, images.FirstOrDefault()?.FaceSwap),
        };
        await catalog.SaveGenerationAsync(generation, ct);
        return generation;
    }
}
