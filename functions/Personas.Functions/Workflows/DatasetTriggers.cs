using Personas.Domain.Personas;
using Personas.Orchestrations;
using Personas.Orchestrations.Dataset;

namespace Personas.Functions.Workflows;

/// <summary>
/// The Dataset workflow for Durable Functions: one trigger per orchestrator and activity, each running the class
/// the local host registers (<see cref="PersonasWorkflows"/>), under the same name.
/// </summary>
public static class DatasetTriggers
{
    [Function(PrepareDatasetOrchestrator.Name)]
    public static Task<DatasetPackages> PrepareDataset([OrchestrationTrigger] TaskOrchestrationContext context) =>
        WorkflowTriggers.RunAsync<PrepareDatasetOrchestrator, PrepareDatasetInput, DatasetPackages>(context);

    [Function(nameof(FramePhotoActivity))]
    public static Task<string> FramePhoto([ActivityTrigger] FramePhotoInput input, string instanceId,
        FunctionContext context) =>
        WorkflowTriggers.RunAsync<FramePhotoActivity, FramePhotoInput, string>(input, instanceId, context);

    [Function(nameof(PackageDatasetActivity))]
    public static Task<DatasetPackages> PackageDataset([ActivityTrigger] PackageDatasetInput input, string instanceId,
        FunctionContext context) =>
        WorkflowTriggers.RunAsync<PackageDatasetActivity, PackageDatasetInput, DatasetPackages>(
            input, instanceId, context);

    [Function(nameof(ClaimDatasetActivity))]
    public static Task<bool> ClaimDataset([ActivityTrigger] PrepareDatasetInput input, string instanceId,
        FunctionContext context) =>
        WorkflowTriggers.RunAsync<ClaimDatasetActivity, PrepareDatasetInput, bool>(input, instanceId, context);

    [Function(nameof(PlanDatasetActivity))]
    public static Task<IReadOnlyList<string>> PlanDataset(
        [ActivityTrigger] PrepareDatasetInput input, string instanceId,
        FunctionContext context) =>
        WorkflowTriggers.RunAsync<PlanDatasetActivity, PrepareDatasetInput, IReadOnlyList<string>>(
            input, instanceId, context);

    [Function(nameof(SetPersonaStatusActivity))]
    public static Task<bool> SetPersonaStatus([ActivityTrigger] SetPersonaStatusInput input, string instanceId,
        FunctionContext context) =>
        WorkflowTriggers.RunAsync<SetPersonaStatusActivity, SetPersonaStatusInput, bool>(input, instanceId, context);
}
