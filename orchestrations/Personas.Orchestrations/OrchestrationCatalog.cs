using Personas.Durable;
using Personas.Orchestrations.Dataset;
using Personas.Orchestrations.Deletion;
using Personas.Orchestrations.Generations;
using Personas.Orchestrations.Posts;
using Personas.Orchestrations.RuntimeDemo;
using Personas.Orchestrations.Training;

namespace Personas.Orchestrations;

/// <summary>Every orchestrator and activity the product runs, registered in one place.</summary>
public static class OrchestrationCatalog
{
    /// <summary>Orchestrators a caller may start through the generic <c>POST /api/orchestrators/{name}</c> route.
    /// Product workflows are started by their own feature endpoints, which validate their input first.</summary>
    public static IReadOnlySet<string> HttpStartable { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { RuntimeDemoOrchestrator.Name };

    public static void Register(DurableTaskRegistry registry) => registry
        .AddOrchestrator<PrepareDatasetOrchestrator>(PrepareDatasetOrchestrator.Name)
        .AddActivity<PlanDatasetActivity>(nameof(PlanDatasetActivity))
        .AddActivity<FramePhotoActivity>(nameof(FramePhotoActivity))
        .AddActivity<PackageDatasetActivity>(nameof(PackageDatasetActivity))
        .AddActivity<SetPersonaStatusActivity>(nameof(SetPersonaStatusActivity))
        .AddOrchestrator<TrainPersonaOrchestrator>(TrainPersonaOrchestrator.Name)
        .AddActivity<CheckTrainingActivity>(nameof(CheckTrainingActivity))
        .AddActivity<SubmitTrainingActivity>(nameof(SubmitTrainingActivity))
        .AddActivity<PollTrainingActivity>(nameof(PollTrainingActivity))
        .AddActivity<CancelTrainingActivity>(nameof(CancelTrainingActivity))
        .AddActivity<StoreWeightsActivity>(nameof(StoreWeightsActivity))
        .AddActivity<CompleteTrainingActivity>(nameof(CompleteTrainingActivity))
        .AddActivity<ValidateCandidateActivity>(nameof(ValidateCandidateActivity))
        .AddActivity<JudgeValidationActivity>(nameof(JudgeValidationActivity))
        .AddOrchestrator<GenerateWithPersonaOrchestrator>(GenerateWithPersonaOrchestrator.Name)
        .AddActivity<GenerateImagesActivity>(nameof(GenerateImagesActivity))
        .AddOrchestrator<DeletePersonaOrchestrator>(DeletePersonaOrchestrator.Name)
        .AddActivity<StopPersonaWorkActivity>(nameof(StopPersonaWorkActivity))
        .AddActivity<ErasePersonaActivity>(nameof(ErasePersonaActivity))
        .AddOrchestrator<GeneratePostsOrchestrator>(GeneratePostsOrchestrator.Name)
        .AddActivity<WritePostActivity>(nameof(WritePostActivity))
        .AddActivity<RecordPostActivity>(nameof(RecordPostActivity))
        .AddActivity<StartPostLifecycleActivity>(nameof(StartPostLifecycleActivity))
        .AddOrchestrator<PostLifecycleOrchestrator>(PostLifecycleOrchestrator.Name)
        .AddActivity<RemindOwnerActivity>(nameof(RemindOwnerActivity))
        .AddActivity<StagePostActivity>(nameof(StagePostActivity))
        .AddActivity<PublishPostActivity>(nameof(PublishPostActivity))
        .AddOrchestrator<RuntimeDemoOrchestrator>(RuntimeDemoOrchestrator.Name)
        .AddActivity<CountWordsActivity>(nameof(CountWordsActivity))
        .AddActivity<SummarizeActivity>(nameof(SummarizeActivity));
}
