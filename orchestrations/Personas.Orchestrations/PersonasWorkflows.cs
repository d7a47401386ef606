using Microsoft.DurableTask;
using Personas.Orchestrations.Analytics;
using Personas.Orchestrations.Batches;
using Personas.Orchestrations.Dataset;
using Personas.Orchestrations.Deletion;
using Personas.Orchestrations.Generations;
using Personas.Orchestrations.Posts;
using Personas.Orchestrations.RuntimeDemo;
using Personas.Orchestrations.Training;

namespace Personas.Orchestrations;

/// <summary>
/// Every orchestrator and activity the product runs, registered in one place, under the names callers use.
/// </summary>
public static class PersonasWorkflows
{
    /// <summary>
    /// Orchestrators a caller may start through the generic <c>POST /api/orchestrators/{name}</c> route, with the
    /// input type the body is checked against. Product workflows are started by their own feature endpoints, which
    /// validate their input first.
    /// </summary>
    public static IReadOnlyDictionary<string, Type> HttpStartable { get; } =
        new Dictionary<string, Type>(StringComparer.OrdinalIgnoreCase)
        {
            [RuntimeDemoOrchestrator.Name] = typeof(RuntimeDemoInput),
        };

    public static DurableTaskRegistry AddPersonasWorkflows(this DurableTaskRegistry r) => r
        .Orchestrator<PrepareDatasetOrchestrator>(PrepareDatasetOrchestrator.Name)
        .Activity<ClaimDatasetActivity>()
        .Activity<PlanDatasetActivity>()
        .Activity<FramePhotoActivity>()
        .Activity<PackageDatasetActivity>()
        .Activity<SetPersonaStatusActivity>()
        .Orchestrator<TrainPersonaOrchestrator>(TrainPersonaOrchestrator.Name)
        .Activity<ClaimTrainingActivity>()
        .Activity<CheckTrainingActivity>()
        .Activity<SubmitTrainingActivity>()
        .Activity<PollTrainingActivity>()
        .Activity<CancelTrainingActivity>()
        .Activity<StoreWeightsActivity>()
        .Activity<CompleteTrainingActivity>()
        .Activity<ValidateCandidateActivity>()
        .Activity<JudgeValidationActivity>()
        .Orchestrator<GenerateWithPersonaOrchestrator>(GenerateWithPersonaOrchestrator.Name)
        .Activity<GenerateImagesActivity>()
        .Orchestrator<GenerateBatchOrchestrator>(GenerateBatchOrchestrator.Name)
        .Activity<CheckBatchWaveActivity>()
        .Activity<GenerateBatchItemActivity>()
        .Activity<RecordBatchActivity>()
        .Orchestrator<DeletePersonaOrchestrator>(DeletePersonaOrchestrator.Name)
        .Activity<StopPersonaWorkActivity>()
        .Activity<ErasePersonaActivity>()
        .Orchestrator<GeneratePostsOrchestrator>(GeneratePostsOrchestrator.Name)
        .Activity<WritePostActivity>()
        .Activity<RecordPostActivity>()
        .Activity<StartPostLifecycleActivity>()
        .Orchestrator<PostLifecycleOrchestrator>(PostLifecycleOrchestrator.Name)
        .Activity<RemindOwnerActivity>()
        .Activity<StagePostActivity>()
        .Activity<PublishPostActivity>()
        .Activity<StartMetricsCollectionActivity>()
        .Orchestrator<CollectMetricsOrchestrator>(CollectMetricsOrchestrator.Name)
        .Activity<CollectSampleActivity>()
        .Orchestrator<RuntimeDemoOrchestrator>(RuntimeDemoOrchestrator.Name)
        .Activity<CountWordsActivity>()
        .Activity<SummarizeActivity>();

    // Orchestrators keep their short public names; activities are scheduled by class name (nameof), as before.
    private static DurableTaskRegistry Orchestrator<T>(this DurableTaskRegistry r, string name)
        where T : class, ITaskOrchestrator => r.AddOrchestrator(name, typeof(T));

    private static DurableTaskRegistry Activity<T>(this DurableTaskRegistry r)
        where T : class, ITaskActivity => r.AddActivity(typeof(T).Name, typeof(T));
}
