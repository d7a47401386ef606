using Personas.Orchestrations;
using Personas.Orchestrations.Analytics;
using Personas.Orchestrations.Posts;

namespace Personas.Functions.Workflows;

/// <summary>
/// The engagement collector for Durable Functions: one trigger per orchestrator and activity, each running the class
/// the local host registers (<see cref="PersonasWorkflows"/>), under the same name.
/// </summary>
public static class AnalyticsTriggers
{
    [Function(CollectMetricsOrchestrator.Name)]
    public static Task<CollectMetricsResult> CollectMetrics([OrchestrationTrigger] TaskOrchestrationContext context) =>
        WorkflowTriggers.RunAsync<CollectMetricsOrchestrator, CollectMetricsInput, CollectMetricsResult>(context);

    [Function(nameof(StartMetricsCollectionActivity))]
    public static Task<string?> StartMetricsCollection([ActivityTrigger] PostRef input, string instanceId,
        [DurableClient] DurableTaskClient durable, FunctionContext context) =>
        WorkflowTriggers.RunAsync<StartMetricsCollectionActivity, PostRef, string?>(input, instanceId, context,
            durable);

    [Function(nameof(CollectSampleActivity))]
    public static Task<bool> CollectSample([ActivityTrigger] CollectSampleInput input, string instanceId,
        FunctionContext context) =>
        WorkflowTriggers.RunAsync<CollectSampleActivity, CollectSampleInput, bool>(input, instanceId, context);
}
