using Microsoft.DurableTask;

namespace Personas.Orchestrations.Deletion;

/// <summary>The persona to delete, by its deletion ticket only: this workflow's history never holds the persona's id.</summary>
public sealed record DeletePersonaInput(string Owner, string Ticket);

public sealed record StopWorkInput(DeletePersonaInput Deletion, bool Force);

/// <summary>What was deleted, as counts; the details are in the owner's audit log.</summary>
public sealed record DeletionSummary(int Photos, int Files, int Generations, int Versions, int PurgedInstances, int ProviderNotes, bool TrainingForced);

/// <summary>
/// Deletes a persona and everything it left: stops its work (a running training is canceled, at the provider too, by
/// its own workflow; preparation and generations are terminated), waits for that, then asks the providers to delete
/// what they hold, deletes files, records and workflow histories, and writes the audit entry.
/// </summary>
public sealed class DeletePersonaOrchestrator : TaskOrchestrator<DeletePersonaInput, DeletionSummary>
{
    public const string Name = "DeletePersona";
    public static readonly TimeSpan StopCheck = TimeSpan.FromSeconds(2);
    public const int StopChecks = 60;

    private static readonly TaskOptions Retry = TaskOptions.FromRetryPolicy(new RetryPolicy(5, TimeSpan.FromSeconds(2), 2));

    public override async Task<DeletionSummary> RunAsync(TaskOrchestrationContext context, DeletePersonaInput input)
    {
        context.SetCustomStatus(new { step = "stopping work" });
        var running = await context.CallActivityAsync<int>(nameof(StopPersonaWorkActivity), new StopWorkInput(input, Force: false), Retry);
        for (var check = 0; running > 0 && check < StopChecks; check++)
        {
            await context.CreateTimer(context.CurrentUtcDateTime + StopCheck, CancellationToken.None);
            running = await context.CallActivityAsync<int>(nameof(StopPersonaWorkActivity), new StopWorkInput(input, Force: false), Retry);
        }
        var forced = running > 0;
        if (forced) await context.CallActivityAsync<int>(nameof(StopPersonaWorkActivity), new StopWorkInput(input, Force: true), Retry);

        context.SetCustomStatus(new { step = "erasing" });
        var summary = await context.CallActivityAsync<DeletionSummary>(nameof(ErasePersonaActivity), new StopWorkInput(input, forced), Retry);
        context.SetCustomStatus(new { step = "deleted" });
        return summary;
    }
}
