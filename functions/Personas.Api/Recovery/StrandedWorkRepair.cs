using Microsoft.DurableTask.Client;
using Personas.Api.Instances;
using Personas.Domain.Personas;
using Personas.Domain.Stores;
using Personas.Domain.Workflows;
using Personas.Orchestrations.Deletion;

namespace Personas.Api.Recovery;

/// <summary>
/// Personas whose work a stopped host left behind: Preparing, Training or Validating while the run they name is gone
/// or over go back to the status they had before (with a reason), and a deletion whose run was never scheduled is
/// scheduled (its id is the ticket's, so this cannot start it twice).
/// </summary>
public sealed class StrandedWorkRepair(ICatalog catalog, DurableTaskClient client, IInstanceLedger ledger,
    TimeProvider clock)
{
    private static readonly PersonaStatus[] Busy =
        [PersonaStatus.Preparing, PersonaStatus.Training, PersonaStatus.Validating, PersonaStatus.Deleting];

    /// <summary>
    /// Returns the ids of the personas it repaired. Only records unchanged for at least <paramref name="unchangedFor"/>
    /// are looked at.
    /// </summary>
    public async Task<IReadOnlyList<string>> RunAsync(TimeSpan unchangedFor, CancellationToken ct)
    {
        var repaired = new List<string>();
        var changedBefore = clock.GetUtcNow() - unchangedFor;
        foreach (var persona in await catalog.ListPersonasInStatusAsync(Busy, ct))
        {
            if (persona.UpdatedAt > changedBefore) continue;
            if (persona.Status == PersonaStatus.Deleting)
            {
                if (await RestartDeletionAsync(persona, ct)) repaired.Add(persona.Id);
                continue;
            }
            var instanceId = persona.Status == PersonaStatus.Preparing
                ? persona.DatasetInstanceId : persona.TrainingInstanceId;
            if (await StrandedRun.IsLiveAsync(client, instanceId, ct)) continue;
            var restored = await catalog.UpdatePersonaAsync(persona.Owner, persona.Id, p =>
                p.Status != persona.Status || p.TrainingInstanceId != persona.TrainingInstanceId
                    || p.DatasetInstanceId != persona.DatasetInstanceId
                    ? p // it moved on since it was read
                    : p with
                    {
                        Status = Before(p), UpdatedAt = clock.GetUtcNow(),
                        StatusReason = $"The {p.Status.ToString().ToLowerInvariant()} run ({instanceId ?? "none"}) "
                            + "stopped without finishing (the host was stopped); start it again.",
                    }, ct);
            if (restored is not null && restored.Status != persona.Status) repaired.Add(persona.Id);
        }
        return repaired;
    }

    /// <summary>The status the persona had before the run: what its models and dataset say it can do.</summary>
    public static PersonaStatus Before(Persona persona) =>
        persona.Models.Any(m => m.Usable) ? PersonaStatus.Ready
        : persona.Dataset is not null ? PersonaStatus.Prepared
        : PersonaStatus.Draft;

    private async Task<bool> RestartDeletionAsync(Persona persona, CancellationToken ct)
    {
        if (persona.DeletionTicket is not { } ticket) return false;
        var instanceId = $"delete-{ticket}";
        if (await client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, ct) is not null) return false;
        await client.StartNewOwnedAsync(ledger, clock, persona.Owner, DeletePersonaOrchestrator.Name,
            new DeletePersonaInput(persona.Owner, ticket), instanceId, ct);
        return true;
    }
}

/// <summary>Whether a run a record names can still move it on.</summary>
internal static class StrandedRun
{
    public static async Task<bool> IsLiveAsync(DurableTaskClient client, string? instanceId, CancellationToken ct) =>
        instanceId is not null
        && await client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, ct) is { IsActive: true };
}
