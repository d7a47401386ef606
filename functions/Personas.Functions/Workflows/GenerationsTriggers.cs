using Personas.Domain.Generations;
using Personas.Orchestrations;
using Personas.Orchestrations.Generations;

namespace Personas.Functions.Workflows;

/// <summary>
/// The Generations workflow for Durable Functions: one trigger per orchestrator and activity, each running the class
/// the local host registers (<see cref="PersonasWorkflows"/>), under the same name.
/// </summary>
public static class GenerationsTriggers
{
    [Function(GenerateWithPersonaOrchestrator.Name)]
    public static Task<Generation> GenerateWithPersona([OrchestrationTrigger] TaskOrchestrationContext context) =>
        WorkflowTriggers.RunAsync<GenerateWithPersonaOrchestrator, GenerateWithPersonaInput, Generation>(context);

    [Function(nameof(GenerateImagesActivity))]
    public static Task<Generation> GenerateImages([ActivityTrigger] GenerateWithPersonaInput input, string instanceId,
        FunctionContext context) =>
        WorkflowTriggers.RunAsync<GenerateImagesActivity, GenerateWithPersonaInput, Generation>(
            input, instanceId, context);
}
