using Microsoft.DurableTask;
using Personas.Domain.Personas;
using Personas.Domain.Stores;

namespace Personas.Orchestrations.Dataset;

/// <summary>
/// Makes a run the persona's dataset preparation, as <c>TrainingClaim</c> does for training: compare-and-set on the
/// dataset instance id the starter saw, from a status that allows it (Preparing only when that run is the one seen,
/// which the starter found no longer running).
/// </summary>
public static class DatasetClaim
{
    public static bool Allowed(Persona persona, string? prior) =>
        persona.DatasetInstanceId == prior && persona.Status is PersonaStatus.Draft or PersonaStatus.Prepared
            or PersonaStatus.Failed or PersonaStatus.Preparing;

    public static Persona Apply(Persona persona, string? prior, string instanceId, DateTimeOffset now) =>
        persona.DatasetInstanceId == instanceId || !Allowed(persona, prior) ? persona
            : persona with
            {
                Status = PersonaStatus.Preparing, StatusReason = null, DatasetInstanceId = instanceId, UpdatedAt = now,
            };
}

/// <summary>Another run or another kind of work claimed the persona first: this preparation does nothing.</summary>
public sealed class DatasetSupersededException(string message) : Exception(message);

/// <summary>
/// A started preparation's first step: <see cref="DatasetClaim"/>, or <see cref="DatasetSupersededException"/>.
/// </summary>
public sealed class ClaimDatasetActivity(ICatalog catalog, TimeProvider clock) : TaskActivity<PrepareDatasetInput, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, PrepareDatasetInput input)
    {
        var claimed = await PersonaClaims.ApplyAsync(catalog, input.Owner, input.PersonaId,
            p => DatasetClaim.Apply(p, input.PriorInstanceId, context.InstanceId, clock.GetUtcNow()),
            context.CancellationToken);
        if (claimed.DatasetInstanceId == context.InstanceId) return true;
        throw new DatasetSupersededException(
            $"Superseded: the persona is {claimed.Status} (run {claimed.DatasetInstanceId}); "
            + "this preparation did nothing.");
    }
}
