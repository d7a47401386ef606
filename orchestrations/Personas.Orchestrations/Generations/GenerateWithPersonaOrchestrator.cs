using Personas.Domain.Generations;
using Personas.Domain.Personas;
using Microsoft.DurableTask;
using Personas.Orchestrations.Dataset;
using Personas.Providers.FaceSwap;
using Personas.Providers.Generation;

namespace Personas.Orchestrations.Generations;

public sealed record GenerateWithPersonaInput(string Owner, string GenerationId, string PersonaId, string Prompt, double BlendStrength, string Platform,
    long Seed, int Count, string Usage, int? ModelVersion, bool FaceSwap = false);

/// <summary>
/// Makes pictures of a persona for one prompt and platform: consent and its restrictions are checked again when the
/// work runs, then one picture per seed (seed, seed+1, …) is rendered, stored and recorded, so each can be made again.
/// </summary>
public sealed class GenerateWithPersonaOrchestrator : TaskOrchestrator<GenerateWithPersonaInput, Generation>
{
    public const string Name = "GenerateWithPersona";

    private static readonly TaskOptions Retry = TaskOptions.FromRetryPolicy(new RetryPolicy(3, TimeSpan.FromSeconds(5), 2)
    {
        HandleFailure = failure => !failure.IsCausedBy<ConsentException>()
            && !failure.IsCausedBy<InvalidDataException>() && !failure.IsCausedBy<ImageGenerationException>()
            && !failure.IsCausedBy<FaceSwapException>(),
    });

    public override async Task<Generation> RunAsync(TaskOrchestrationContext context, GenerateWithPersonaInput input)
    {
        context.SetCustomStatus(new { step = "generating", images = input.Count });
        var generation = await context.CallActivityAsync<Generation>(nameof(GenerateImagesActivity), input, Retry);
        context.SetCustomStatus(new { step = "done", images = generation.Images.Count });
        return generation;
    }
}
