using Personas.Domain.Personas;
using Microsoft.DurableTask;

namespace Personas.Orchestrations.Dataset;

/// <summary>
/// <paramref name="Claim"/>: started on its own (not inside a training), the run first claims the persona from
/// <paramref name="PriorInstanceId"/> (<see cref="DatasetClaim"/>).
/// </summary>
public sealed record PrepareDatasetInput(string Owner, string PersonaId, bool Claim = false,
    string? PriorInstanceId = null);

public sealed record DatasetProgress(string Step, int Done, int Total);

/// <summary>
/// Turns a persona's accepted photos into training sets: frame every photo (a few at a time), caption and package them
/// for fal.ai, Replicate and Kohya, then mark the persona prepared, or failed with the reason.
/// </summary>
public sealed class PrepareDatasetOrchestrator : TaskOrchestrator<PrepareDatasetInput, DatasetPackages>
{
    public const string Name = "PrepareDataset";
    /// <summary>
    /// Framings in flight. A constant, not the core count: orchestrator code must not depend on the machine it replays on.
    /// Two keep a 2-core host busy; more only add memory (each holds a decoded region of a 12 MP photo; docs/benchmarks.md, P5).
    /// </summary>
    private const int PhotosAtOnce = 2;
    private static readonly TaskOptions Retry = TaskOptions.FromRetryPolicy(new RetryPolicy(3, TimeSpan.FromSeconds(2), 2)
    {
        HandleFailure = failure => !failure.IsCausedBy<ConsentException>()
            && !failure.IsCausedBy<InvalidDataException>() && !failure.IsCausedBy<DatasetSupersededException>(),
    });

    public override async Task<DatasetPackages> RunAsync(TaskOrchestrationContext context, PrepareDatasetInput input)
    {
        // Outside the try: a superseded run must not mark the persona failed; the run that won owns its status.
        if (input.Claim) await context.CallActivityAsync(nameof(ClaimDatasetActivity), input, Retry);
        try
        {
            var photos = await context.CallActivityAsync<IReadOnlyList<string>>(nameof(PlanDatasetActivity), input);
            var framed = new List<string>();
            foreach (var wave in photos.Chunk(PhotosAtOnce))
            {
                context.SetCustomStatus(new DatasetProgress("framing", framed.Count, photos.Count));
                framed.AddRange(await Task.WhenAll(wave.Select(photo =>
                    context.CallActivityAsync<string>(nameof(FramePhotoActivity), new FramePhotoInput(input.Owner, input.PersonaId, photo), Retry))));
            }

            context.SetCustomStatus(new DatasetProgress("packaging", framed.Count, photos.Count));
            var packages = await context.CallActivityAsync<DatasetPackages>(nameof(PackageDatasetActivity), new PackageDatasetInput(input.Owner, input.PersonaId, framed), Retry);
            // Inside a training run (no claim of its own) the status stays the run's: a moment of Prepared between
            // its dataset and its training read as "finished" to anyone following the persona.
            await context.CallActivityAsync(nameof(SetPersonaStatusActivity), new SetPersonaStatusInput(input.Owner,
                input.PersonaId, input.Claim ? PersonaStatus.Prepared : null, null, packages));
            context.SetCustomStatus(new DatasetProgress("prepared", framed.Count, photos.Count));
            return packages;
        }
        catch (TaskFailedException failure)
        {
            await context.CallActivityAsync(nameof(SetPersonaStatusActivity),
                new SetPersonaStatusInput(input.Owner, input.PersonaId, PersonaStatus.Failed,
                    failure.FailureDetails.InnerFailure?.ErrorMessage ?? failure.FailureDetails.ErrorMessage, null));
            throw;
        }
    }
}
