using Personas.Orchestrations;
using Personas.Orchestrations.RuntimeDemo;

namespace Personas.Functions.Workflows;

/// <summary>
/// The RuntimeDemo workflow for Durable Functions: one trigger per orchestrator and activity, each running the class
/// the local host registers (<see cref="PersonasWorkflows"/>), under the same name.
/// </summary>
public static class RuntimeDemoTriggers
{
    [Function(RuntimeDemoOrchestrator.Name)]
    public static Task<RuntimeDemoResult> RuntimeDemo([OrchestrationTrigger] TaskOrchestrationContext context) =>
        WorkflowTriggers.RunAsync<RuntimeDemoOrchestrator, RuntimeDemoInput, RuntimeDemoResult>(context);

    [Function(nameof(CountWordsActivity))]
    public static Task<int> CountWords([ActivityTrigger] string input, string instanceId,
        FunctionContext context) =>
        WorkflowTriggers.RunAsync<CountWordsActivity, string, int>(input, instanceId, context);

    [Function(nameof(SummarizeActivity))]
    public static Task<string> Summarize([ActivityTrigger] SummarizeInput input, string instanceId,
        FunctionContext context) =>
        WorkflowTriggers.RunAsync<SummarizeActivity, SummarizeInput, string>(input, instanceId, context);
}
