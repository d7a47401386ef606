using Personas.Orchestrations;
using Personas.Orchestrations.Deletion;

namespace Personas.Functions.Workflows;

/// <summary>
/// The Deletion workflow for Durable Functions: one trigger per orchestrator and activity, each running the class
/// the local host registers (<see cref="PersonasWorkflows"/>), under the same name.
/// </summary>
public static class DeletionTriggers
{
    [Function(DeletePersonaOrchestrator.Name)]
    public static Task<DeletionSummary> DeletePersona([OrchestrationTrigger] TaskOrchestrationContext context) =>
        WorkflowTriggers.RunAsync<DeletePersonaOrchestrator, DeletePersonaInput, DeletionSummary>(context);

    [Function(nameof(ErasePersonaActivity))]
    public static Task<DeletionSummary> ErasePersona([ActivityTrigger] StopWorkInput input, string instanceId,
        FunctionContext context) =>
        WorkflowTriggers.RunAsync<ErasePersonaActivity, StopWorkInput, DeletionSummary>(input, instanceId, context);

    [Function(nameof(StopPersonaWorkActivity))]
    public static Task<int> StopPersonaWork([ActivityTrigger] StopWorkInput input, string instanceId,
        FunctionContext context) =>
        WorkflowTriggers.RunAsync<StopPersonaWorkActivity, StopWorkInput, int>(input, instanceId, context);
}
