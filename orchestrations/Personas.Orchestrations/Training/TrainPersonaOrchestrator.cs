using Personas.Domain.Personas;
using Personas.Domain.Training;
using Microsoft.DurableTask;
using Personas.Orchestrations.Dataset;
using Personas.Providers.Generation;
using Personas.Providers.Training;

namespace Personas.Orchestrations.Training;

/// <summary>
/// <paramref name="PriorInstanceId"/>: the persona's training run when this one was started, for its claim.
/// </summary>
public sealed record TrainPersonaInput(string Owner, string PersonaId, int Version, TrainingOptions Options,
    double TimeoutMinutes, bool Validate = true, string? PriorInstanceId = null);

public sealed record TrainPersonaResult(PersonaModel Model);

/// <summary>
/// Trains one version of a persona: check consent and budget, prepare the dataset if needed, submit to a provider
/// (failing over when it will not start), then wait for its webhook while polling on a durable timer that backs off,
/// until it finishes, times out, or the owner cancels. The weights are copied into our store before the persona is
/// ready. The instance exists before submission, so a webhook that arrives early waits in its inbox.
/// </summary>
public sealed class TrainPersonaOrchestrator : TaskOrchestrator<TrainPersonaInput, TrainPersonaResult>
{
    public const string Name = "TrainPersona";
    public const string UpdateEvent = "TrainingUpdate";
    public const string CancelEvent = "CancelTraining";
    public static readonly TimeSpan MaxPoll = TimeSpan.FromMinutes(2);

    private static readonly TaskOptions Retry = TaskOptions.FromRetryPolicy(new RetryPolicy(4, TimeSpan.FromSeconds(5), 2)
    {
        HandleFailure = failure => !failure.IsCausedBy<ConsentException>()
            && !failure.IsCausedBy<InvalidDataException>() && !failure.IsCausedBy<TrainingProviderException>()
            && !failure.IsCausedBy<ImageGenerationException>() && !failure.IsCausedBy<TrainingSupersededException>(),
    });

    public override async Task<TrainPersonaResult> RunAsync(TaskOrchestrationContext context, TrainPersonaInput input)
    {
        // Outside the try: a superseded run must not mark the persona failed; the run that won owns its status.
        await context.CallActivityAsync(nameof(ClaimTrainingActivity), input, Retry);
        try
        {
            Report(context, "checking", null, null);
            var plan = await context.CallActivityAsync<TrainingPlan>(nameof(CheckTrainingActivity), input);
            if (!plan.DatasetReady)
            {
                Report(context, "preparing dataset", null, null);
                await context.CallSubOrchestratorAsync<DatasetPackages>(PrepareDatasetOrchestrator.Name, new PrepareDatasetInput(input.Owner, input.PersonaId),
                    new SubOrchestrationOptions { InstanceId = PersonaClaims.TrainingDataset(context.InstanceId) });
            }
            await context.CallActivityAsync(nameof(SetPersonaStatusActivity), new SetPersonaStatusInput(input.Owner, input.PersonaId, PersonaStatus.Training, null, null));

            Report(context, "submitting", null, null);
            var cancel = context.WaitForExternalEvent<string>(CancelEvent);
            var submitted = await context.CallActivityAsync<SubmittedTraining>(nameof(SubmitTrainingActivity), input, Retry);
            var outcome = await WaitForTrainingAsync(context, input, submitted, cancel);
            if (outcome.State != TrainingState.Succeeded)
                throw new TrainingEndedException(outcome.Error ?? $"Training ended as {outcome.State}.");

            Report(context, "copying weights", submitted.Job.Provider, outcome);
            var model = await context.CallActivityAsync<PersonaModel>(nameof(StoreWeightsActivity), new StoreWeightsInput(input, submitted, outcome), Retry);
            if (input.Validate) model = await ValidateAsync(context, input, model, outcome, cancel);
            await context.CallActivityAsync(nameof(CompleteTrainingActivity), new CompleteTrainingInput(input.Owner, input.PersonaId, model));
            if (!model.Usable) throw new TrainingEndedException(model.Validation!.Summary);
            Report(context, "ready", submitted.Job.Provider, outcome);
            return new TrainPersonaResult(model);
        }
        catch (Exception ex) when (ex is TaskFailedException or TrainingEndedException)
        {
            var reason = ex is TaskFailedException failed ? failed.FailureDetails.InnerFailure?.ErrorMessage ?? failed.FailureDetails.ErrorMessage : ex.Message;
            await context.CallActivityAsync(nameof(SetPersonaStatusActivity), new SetPersonaStatusInput(input.Owner, input.PersonaId, PersonaStatus.Failed, reason, null));
            Report(context, "failed", null, new TrainingStatus(TrainingState.Failed, Error: reason));
            throw;
        }
    }

    /// <summary>
    /// Scores the final weights and every checkpoint in parallel, then keeps the best and applies the gate. The
    /// owner's cancel still counts here: the version is then not kept.
    /// </summary>
    private static async Task<PersonaModel> ValidateAsync(TaskOrchestrationContext context, TrainPersonaInput input, PersonaModel model, TrainingStatus trained,
        Task<string> cancel)
    {
        Report(context, "validating", model.Provider, trained);
        await context.CallActivityAsync(nameof(SetPersonaStatusActivity), new SetPersonaStatusInput(input.Owner, input.PersonaId, PersonaStatus.Validating, null, null));
        var scoring = Task.WhenAll(new[] { model.WeightsBlob }.Concat(model.CheckpointBlobs).Select(weights =>
            context.CallActivityAsync<CandidateValidation>(nameof(ValidateCandidateActivity), new ValidateCandidateInput(input.Owner, input.PersonaId, model, weights), Retry)));
        if (await Task.WhenAny(scoring, cancel) == cancel) throw new TrainingEndedException(CanceledReason(cancel.Result));
        var validation = await context.CallActivityAsync<ModelValidation>(nameof(JudgeValidationActivity), new JudgeValidationInput(await scoring));
        return model with { Validation = validation };
    }

    /// <summary>
    /// Races the provider's webhook (raised as <see cref="UpdateEvent"/>), the owner's cancel and a polling timer. Polls
    /// start at the provider's first interval and double up to <see cref="MaxPoll"/>; once a webhook has come, polling
    /// drops to the slowest rate and only guards against a lost final delivery.
    /// </summary>
    private static async Task<TrainingStatus> WaitForTrainingAsync(TaskOrchestrationContext context, TrainPersonaInput input, SubmittedTraining submitted, Task<string> cancel)
    {
        var deadline = submitted.SubmittedAt.UtcDateTime.AddMinutes(input.TimeoutMinutes);
        var update = context.WaitForExternalEvent<TrainingStatus>(UpdateEvent);
        var interval = submitted.FirstPoll;
        while (true)
        {
            using var stopTimer = new CancellationTokenSource();
            var due = context.CurrentUtcDateTime + interval < deadline ? context.CurrentUtcDateTime + interval : deadline;
            var timer = context.CreateTimer(due, stopTimer.Token);
            var winner = await Task.WhenAny(update, cancel, timer);
            if (winner != timer) stopTimer.Cancel();

            TrainingStatus status;
            if (winner == cancel)
            {
                await context.CallActivityAsync(nameof(CancelTrainingActivity), submitted.Job, Retry);
                return new TrainingStatus(TrainingState.Canceled, Error: CanceledReason(cancel.Result));
            }
            if (winner == update)
            {
                status = update.Result;
                update = context.WaitForExternalEvent<TrainingStatus>(UpdateEvent);
                interval = MaxPoll;
            }
            else if (context.CurrentUtcDateTime >= deadline)
            {
                await context.CallActivityAsync(nameof(CancelTrainingActivity), submitted.Job, Retry);
                return new TrainingStatus(TrainingState.Failed, Error: $"Training did not finish within {input.TimeoutMinutes:0.##} minutes and was canceled.");
            }
            else
            {
                status = await context.CallActivityAsync<TrainingStatus>(nameof(PollTrainingActivity), submitted.Job, Retry);
                interval = interval * 2 < MaxPoll ? interval * 2 : MaxPoll;
            }
            Report(context, "training", submitted.Job.Provider, status, submitted.SubmittedAt);
            if (status.IsFinal) return status;
        }
    }

    private static string CanceledReason(string reason) => $"Canceled by the owner{(string.IsNullOrWhiteSpace(reason) ? "" : $": {reason}")}.";

    private static void Report(TaskOrchestrationContext context, string step, string? provider, TrainingStatus? status, DateTimeOffset? submittedAt = null)
    {
        DateTimeOffset? eta = null;
        if (submittedAt is { } start && status is { Step: > 0 and var done, TotalSteps: { } total } && total > done)
        {
            var elapsed = new DateTimeOffset(context.CurrentUtcDateTime, TimeSpan.Zero) - start;
            eta = new DateTimeOffset(context.CurrentUtcDateTime, TimeSpan.Zero) + elapsed / done * (total - done);
        }
        context.SetCustomStatus(new TrainingProgress(step, provider, status?.Step, status?.TotalSteps, eta, status?.Error ?? status?.LastLog));
    }
}

/// <summary>Training finished without weights: failed at the provider, canceled, or timed out.</summary>
public sealed class TrainingEndedException(string message) : Exception(message);
