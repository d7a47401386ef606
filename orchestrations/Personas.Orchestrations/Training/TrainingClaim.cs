using Microsoft.DurableTask;
using Personas.Domain.Personas;
using Personas.Domain.Stores;

namespace Personas.Orchestrations.Training;

/// <summary>
/// Makes a run the persona's training run: compare-and-set on the instance id the starter saw, so of two runs
/// started from the same state one wins. The endpoint schedules the run first and claims after; the run claims again
/// as its first step, so a host killed between scheduling and claiming leaves a run that claims for itself, never a
/// persona that names a run that does not exist.
/// </summary>
public static class TrainingClaim
{
    public static Persona Apply(Persona persona, string? prior, string instanceId, DateTimeOffset now) =>
        persona.TrainingInstanceId == instanceId || persona.TrainingInstanceId != prior
            || persona.Status == PersonaStatus.Deleting
            ? persona
            : persona with
            {
                TrainingInstanceId = instanceId, Status = PersonaStatus.Training, StatusReason = null, UpdatedAt = now,
            };
}

/// <summary>Another run claimed the persona first: this one ends having done nothing, and nothing paid.</summary>
public sealed class TrainingSupersededException(string message) : Exception(message);

/// <summary>The run's first step: <see cref="TrainingClaim"/>, or <see cref="TrainingSupersededException"/>.</summary>
public sealed class ClaimTrainingActivity(ICatalog catalog, TimeProvider clock) : TaskActivity<TrainPersonaInput, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, TrainPersonaInput input)
    {
        var claimed = await PersonaClaims.ApplyAsync(catalog, input.Owner, input.PersonaId,
            p => TrainingClaim.Apply(p, input.PriorInstanceId, context.InstanceId, clock.GetUtcNow()),
            context.CancellationToken);
        if (claimed.Status == PersonaStatus.Deleting) throw new InvalidDataException("The persona is being deleted.");
        if (claimed.TrainingInstanceId != context.InstanceId)
            throw new TrainingSupersededException(
                $"Superseded: training run {claimed.TrainingInstanceId} claimed the persona first; "
                + "this run did nothing.");
        return true;
    }
}
