using Personas.Domain.Batches;
using Personas.Orchestrations;
using Personas.Orchestrations.Batches;

namespace Personas.Functions.Workflows;

/// <summary>
/// The batch workflow for Durable Functions: one trigger per orchestrator and activity, each running the class
/// the local host registers (<see cref="PersonasWorkflows"/>), under the same name.
/// </summary>
public static class BatchesTriggers
{
    [Function(GenerateBatchOrchestrator.Name)]
    public static Task<BatchStatus> GenerateBatch([OrchestrationTrigger] TaskOrchestrationContext context) =>
        WorkflowTriggers.RunAsync<GenerateBatchOrchestrator, GenerateBatchInput, BatchStatus>(context);

    [Function(nameof(CheckBatchWaveActivity))]
    public static Task<WaveCheck> CheckBatchWave([ActivityTrigger] WaveRequest input, string instanceId,
        FunctionContext context) =>
        WorkflowTriggers.RunAsync<CheckBatchWaveActivity, WaveRequest, WaveCheck>(input, instanceId, context);

    [Function(nameof(GenerateBatchItemActivity))]
    public static Task<bool> GenerateBatchItem([ActivityTrigger] BatchItemRef input, string instanceId,
        FunctionContext context) =>
        WorkflowTriggers.RunAsync<GenerateBatchItemActivity, BatchItemRef, bool>(input, instanceId, context);

    [Function(nameof(RecordBatchActivity))]
    public static Task<bool> RecordBatch([ActivityTrigger] BatchChange input, string instanceId,
        FunctionContext context) =>
        WorkflowTriggers.RunAsync<RecordBatchActivity, BatchChange, bool>(input, instanceId, context);
}
