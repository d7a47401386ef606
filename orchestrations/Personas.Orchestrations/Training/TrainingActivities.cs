using System.Text.Json;
using Personas.Domain.Blobs;
using Personas.Domain.Personas;
using Personas.Domain.Stores;
using Personas.Domain.Training;
using Microsoft.DurableTask;
using Personas.Orchestrations.Dataset;
using Personas.Providers.Training;

namespace Personas.Orchestrations.Training;

public sealed record TrainingPlan(bool DatasetReady);

public sealed record SubmittedTraining(TrainingJob Job, DateTimeOffset SubmittedAt, TimeSpan FirstPoll, IReadOnlyList<string> ProviderSwitches);

public sealed record StoreWeightsInput(TrainPersonaInput Training, SubmittedTraining Submitted, TrainingStatus Outcome);

public sealed record CompleteTrainingInput(string Owner, string PersonaId, PersonaModel Model);

/// <summary>Consent must still hold when training starts (it may have been withdrawn since the request), and the dataset must exist or be made.</summary>
public sealed class CheckTrainingActivity(ICatalog catalog, TimeProvider clock) : TaskActivity<TrainPersonaInput, TrainingPlan>
{
    public override async Task<TrainingPlan> RunAsync(TaskActivityContext context, TrainPersonaInput input)
    {
        var persona = await catalog.GetPersonaAsync(input.Owner, input.PersonaId, context.CancellationToken)
            ?? throw new InvalidDataException($"Persona {input.PersonaId} no longer exists.");
        if (persona.Consent.RefusalAt(clock.GetUtcNow()) is { } refusal) throw new ConsentException(refusal);
        return new TrainingPlan(persona.Dataset is not null);
    }
}

/// <summary>
/// Submits to the first provider that takes the job, in failover order, recording each switch; then remembers which
/// instance waits on the job, so its webhooks find it. The ledger is asked first: a redelivered activity (the host died
/// after the submission) gets the job it already submitted, and the provider is not paid twice.
/// </summary>
public sealed class SubmitTrainingActivity(ICatalog catalog, TrainingProviders providers, IPublicLinks links, TimeProvider clock)
    : TaskActivity<TrainPersonaInput, SubmittedTraining>
{
    /// <summary>
    /// Attempt 0: the SDK tells an activity no retry count, and one run submits one job whatever its retries.
    /// </summary>
    public static CostKey Key(string instanceId) => new(instanceId, "train", 0);

    public override async Task<SubmittedTraining> RunAsync(TaskActivityContext context, TrainPersonaInput input)
    {
        var ct = context.CancellationToken;
        var key = Key(context.InstanceId);
        if (await catalog.FindPaidCallAsync(input.Owner, key, ct) is { Reference: { } reference })
        {
            var earlier = JsonSerializer.Deserialize<SubmittedTraining>(reference)!;
            // A kill between the ledger row and the link left no link, and webhooks find the run through it.
            await catalog.RecordProviderJobAsync(new ProviderJobLink(earlier.Job.Provider, earlier.Job.JobId,
                input.Owner, input.PersonaId, context.InstanceId), ct);
            return earlier;
        }
        var persona = await catalog.GetPersonaAsync(input.Owner, input.PersonaId, ct) ?? throw new InvalidDataException($"Persona {input.PersonaId} no longer exists.");
        var dataset = persona.Dataset ?? throw new InvalidDataException("The persona has no prepared dataset.");
        var switches = new List<string>();
        foreach (var provider in providers.StartingWith(input.Options.Provider))
        {
            var zip = provider.DatasetZip(dataset);
            var request = new TrainingJobRequest(input.Owner, input.PersonaId, input.Version, persona.TriggerWord, persona.Mode,
                links.Blob(zip, TimeSpan.FromHours(6)), zip, input.Options, links.Webhook(provider.Name));
            try
            {
                var job = await provider.SubmitAsync(request, ct);
                var submitted = new SubmittedTraining(job, job.SubmittedAt ?? clock.GetUtcNow(), provider.FirstPoll,
                    switches);
                // The ledger row first: it is what a redelivery looks for, so the window that could pay twice is
                // one write.
                var steps = input.Options.StepsOrDefault;
                await catalog.TryRecordPaidCallAsync(new CostEntry(input.Owner, input.PersonaId, clock.GetUtcNow(),
                    provider.Name, "training", providers.EstimateUsd(provider.Name, steps),
                    $"v{input.Version}, {steps} steps, job {job.JobId}")
                {
                    Key = key, Reference = JsonSerializer.Serialize(submitted),
                }, ct);
                await catalog.RecordProviderJobAsync(new ProviderJobLink(provider.Name, job.JobId, input.Owner, input.PersonaId, context.InstanceId), ct);
                return submitted;
            }
            catch (TrainingProviderException ex) when (ex.CanFailOver)
            {
                switches.Add($"{provider.Name} did not start the job ({ex.Status?.ToString() ?? "no answer"}: {ex.Message}); trying the next provider.");
            }
        }
        throw new TrainingProviderException("all", null, $"No configured provider started the job. {string.Join(" ", switches)}", canFailOver: false);
    }
}

public sealed class PollTrainingActivity(TrainingProviders providers) : TaskActivity<TrainingJob, TrainingStatus>
{
    public override Task<TrainingStatus> RunAsync(TaskActivityContext context, TrainingJob job) =>
        providers.Get(job.Provider).GetStatusAsync(job, context.CancellationToken);
}

public sealed class CancelTrainingActivity(TrainingProviders providers) : TaskActivity<TrainingJob, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, TrainingJob job)
    {
        await providers.Get(job.Provider).CancelAsync(job, context.CancellationToken);
        return true;
    }
}

/// <summary>Copies the weights and checkpoints into our store (provider links expire) under the version's folder. Idempotent: same paths every run.</summary>
public sealed class StoreWeightsActivity(IBlobStore blobs, TrainingProviders providers, TimeProvider clock) : TaskActivity<StoreWeightsInput, PersonaModel>
{
    public override async Task<PersonaModel> RunAsync(TaskActivityContext context, StoreWeightsInput input)
    {
        var ct = context.CancellationToken;
        var (training, submitted, outcome) = input;
        var provider = providers.Get(submitted.Job.Provider);
        var folder = BlobPaths.Join(training.Owner, training.PersonaId, "models", $"v{training.Version}");
        string? weights = null;
        var checkpoints = new List<string>();
        foreach (var (artifact, i) in (outcome.Artifacts ?? []).Select((a, i) => (a, i)))
        {
            var name = artifact.Kind switch
            {
                TrainingArtifact.Weights => "lora.safetensors",
                TrainingArtifact.Checkpoint => $"checkpoint-{i:D3}.safetensors",
                _ => $"{artifact.Kind}-{i:D3}{Path.GetExtension(artifact.Name)}",
            };
            var path = BlobPaths.Join(folder, name);
            await using (var source = await provider.OpenArtifactAsync(submitted.Job, artifact, ct))
                await blobs.PutAsync(path, source, ct);
            if (artifact.Kind == TrainingArtifact.Weights) weights = path;
            else if (artifact.Kind == TrainingArtifact.Checkpoint) checkpoints.Add(path);
        }
        if (weights is null) throw new InvalidDataException($"{provider.Name} finished without LoRA weights.");
        return new PersonaModel(training.Version, provider.Name, submitted.Job.JobId, weights, checkpoints, training.Options, clock.GetUtcNow())
        {
            ProviderSwitches = submitted.ProviderSwitches,
            ProviderModel = outcome.ProviderModel,
            ProviderExecution = submitted.Job.ExecutionName,
        };
    }
}

/// <summary>
/// Adds the new version and makes the persona ready, or failed when validation did not pass (the version stays listed
/// with its scores). Repeating it does not add the version twice, and a repeat after the persona moved on (a rollback,
/// another run) keeps the version but leaves the status and the active version alone.
/// </summary>
public sealed class CompleteTrainingActivity(ICatalog catalog, TimeProvider clock) : TaskActivity<CompleteTrainingInput, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, CompleteTrainingInput input) =>
        await catalog.UpdatePersonaAsync(input.Owner, input.PersonaId, p =>
        {
            var kept = p with
            {
                Models = [.. p.Models.Where(m => m.Version != input.Model.Version),
                    input.Model with { TrainingInstanceId = context.InstanceId }],
                UpdatedAt = clock.GetUtcNow(),
            };
            if (!PersonaClaims.HeldBy(p, context.InstanceId)) return kept;
            return kept with
            {
                // A new version that passed becomes the active one, even after a rollback: the owner trained it to
                // use it.
                ActiveVersion = input.Model.Usable ? input.Model.Version : p.ActiveVersion,
                Status = input.Model.Usable ? PersonaStatus.Ready : PersonaStatus.Failed,
                StatusReason = input.Model.Usable ? null : input.Model.Validation!.Summary,
            };
        }, context.CancellationToken) is not null;
}
