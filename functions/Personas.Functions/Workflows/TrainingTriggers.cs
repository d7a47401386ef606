using Personas.Domain.Training;
using Personas.Providers.Training;
using Personas.Orchestrations;
using Personas.Orchestrations.Training;

namespace Personas.Functions.Workflows;

/// <summary>
/// The Training workflow for Durable Functions: one trigger per orchestrator and activity, each running the class
/// the local host registers (<see cref="PersonasWorkflows"/>), under the same name.
/// </summary>
public static class TrainingTriggers
{
    [Function(TrainPersonaOrchestrator.Name)]
    public static Task<TrainPersonaResult> TrainPersona([OrchestrationTrigger] TaskOrchestrationContext context) =>
        WorkflowTriggers.RunAsync<TrainPersonaOrchestrator, TrainPersonaInput, TrainPersonaResult>(context);

    [Function(nameof(CancelTrainingActivity))]
    public static Task<bool> CancelTraining([ActivityTrigger] TrainingJob input, string instanceId,
        FunctionContext context) =>
        WorkflowTriggers.RunAsync<CancelTrainingActivity, TrainingJob, bool>(input, instanceId, context);

    [Function(nameof(ClaimTrainingActivity))]
    public static Task<bool> ClaimTraining([ActivityTrigger] TrainPersonaInput input, string instanceId,
        FunctionContext context) =>
        WorkflowTriggers.RunAsync<ClaimTrainingActivity, TrainPersonaInput, bool>(input, instanceId, context);

    [Function(nameof(CheckTrainingActivity))]
    public static Task<TrainingPlan> CheckTraining([ActivityTrigger] TrainPersonaInput input, string instanceId,
        FunctionContext context) =>
        WorkflowTriggers.RunAsync<CheckTrainingActivity, TrainPersonaInput, TrainingPlan>(input, instanceId, context);

    [Function(nameof(CompleteTrainingActivity))]
    public static Task<bool> CompleteTraining([ActivityTrigger] CompleteTrainingInput input, string instanceId,
        FunctionContext context) =>
        WorkflowTriggers.RunAsync<CompleteTrainingActivity, CompleteTrainingInput, bool>(input, instanceId, context);

    [Function(nameof(JudgeValidationActivity))]
    public static Task<ModelValidation> JudgeValidation([ActivityTrigger] JudgeValidationInput input, string instanceId,
        FunctionContext context) =>
        WorkflowTriggers.RunAsync<JudgeValidationActivity, JudgeValidationInput, ModelValidation>(
            input, instanceId, context);

    [Function(nameof(PollTrainingActivity))]
    public static Task<TrainingStatus> PollTraining([ActivityTrigger] TrainingJob input, string instanceId,
        FunctionContext context) =>
        WorkflowTriggers.RunAsync<PollTrainingActivity, TrainingJob, TrainingStatus>(input, instanceId, context);

    [Function(nameof(StoreWeightsActivity))]
    public static Task<PersonaModel> StoreWeights([ActivityTrigger] StoreWeightsInput input, string instanceId,
        FunctionContext context) =>
        WorkflowTriggers.RunAsync<StoreWeightsActivity, StoreWeightsInput, PersonaModel>(input, instanceId, context);

    [Function(nameof(SubmitTrainingActivity))]
    public static Task<SubmittedTraining> SubmitTraining([ActivityTrigger] TrainPersonaInput input, string instanceId,
        FunctionContext context) =>
        WorkflowTriggers.RunAsync<SubmitTrainingActivity, TrainPersonaInput, SubmittedTraining>(
            input, instanceId, context);

    [Function(nameof(ValidateCandidateActivity))]
    public static Task<CandidateValidation> ValidateCandidate(
        [ActivityTrigger] ValidateCandidateInput input, string instanceId,
        FunctionContext context) =>
        WorkflowTriggers.RunAsync<ValidateCandidateActivity, ValidateCandidateInput, CandidateValidation>(
            input, instanceId, context);
}
