namespace Personas.Domain.Training;

/// <summary>What the caller asked of a training run; nulls take the provider's defaults.</summary>
public sealed record TrainingOptions(string? Provider = null, int? Steps = null, double? LearningRate = null, int? Rank = null,
    int? Resolution = null, int? CheckpointEvery = null, decimal? BudgetUsd = null)
{
    public int StepsOrDefault => Steps ?? 1000;
}

/// <summary>
/// One trained version of a persona: where its weights are in our store (provider links expire), who trained it and
/// how, and any provider switches on the way. Retraining adds version n+1; older versions stay usable.
/// </summary>
public sealed record PersonaModel(
    int Version,
    string Provider,
    string ProviderJobId,
    string WeightsBlob,
    IReadOnlyList<string> CheckpointBlobs,
    TrainingOptions Options,
    DateTimeOffset TrainedAt)
{
    public IReadOnlyList<string> ProviderSwitches { get; init; } = [];

    /// <summary>Where the provider ran it, when it names that apart from the job id (a Container Apps execution, a local run folder).</summary>
    public string? ProviderExecution { get; init; }

    /// <summary>The provider's own handle on the trained model, where it keeps one (Replicate: <c>owner/name:version</c>).</summary>
    public string? ProviderModel { get; init; }

    /// <summary>The training run that made it; null on versions stored before runs were recorded.</summary>
    public string? TrainingInstanceId { get; init; }

    /// <summary>Null until validated (or when validation is switched off).</summary>
    public ModelValidation? Validation { get; init; }

    /// <summary>The weights generation uses: the checkpoint validation chose, else the final LoRA.</summary>
    public string ActiveWeightsBlob => Validation?.ChosenWeightsBlob ?? WeightsBlob;

    /// <summary>Usable for generation: validated and passed, or never validated.</summary>
    public bool Usable => Validation is null || Validation.Passed;
}

/// <summary>Where a running training is, for the status endpoint and the event stream.</summary>
public sealed record TrainingProgress(string Step, string? Provider, int? CurrentStep, int? TotalSteps, DateTimeOffset? Eta, string? LastLog)
{
    public int? Percent => CurrentStep is { } s && TotalSteps is > 0 and var t ? Math.Clamp(s * 100 / t, 0, 100) : null;
}

/// <summary>A provider's job, remembered so a webhook naming it finds the orchestration waiting for it.</summary>
public sealed record ProviderJobLink(string Provider, string JobId, string Owner, string PersonaId, string InstanceId);

/// <summary>
/// One priced provider call: what it was, and its estimated cost from the configured prices. A keyed entry (see
/// <see cref="CostKey"/>) also keeps what the call produced (<see cref="Reference"/>: a provider job, a stored
/// blob), so a redelivered activity finds the result instead of paying again. Entries written before keys existed have
/// neither.
/// </summary>
public sealed record CostEntry(string Owner, string PersonaId, DateTimeOffset At, string Provider, string Operation,
    decimal EstimatedUsd, string Details)
{
    public CostKey? Key { get; init; }

    public string? Reference { get; init; }
}

/// <summary>
/// Names one paid call of a workflow: its instance, the task within it (e.g. <c>train</c>, <c>picture/3</c>) and the
/// attempt. The ledger holds at most one entry per key.
/// </summary>
public sealed record CostKey(string InstanceId, string Task, int Attempt)
{
    public override string ToString() => $"{InstanceId}/{Task}/{Attempt}";
}
