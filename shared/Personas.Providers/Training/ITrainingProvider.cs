using Personas.Domain.Personas;
using Personas.Domain.Training;
using Personas.Imaging.Preparation;

namespace Personas.Providers.Training;

/// <summary>Everything a provider needs to train one persona version. The dataset link is signed and short-lived.</summary>
public sealed record TrainingJobRequest(string Owner, string PersonaId, int Version, string TriggerWord, PersonaMode Mode,
    Uri? DatasetZipUrl, string DatasetZipBlob, TrainingOptions Options, Uri? WebhookUrl);

/// <summary>A submitted job, with the provider's own links where it gives them (fal.ai: use the returned URLs as they are).</summary>
public sealed record TrainingJob(string Provider, string JobId, string? StatusUrl = null, string? ResponseUrl = null, string? CancelUrl = null,
    DateTimeOffset? SubmittedAt = null)
{
    /// <summary>Where the job runs, for providers that name it apart from the job id (a Container Apps execution, a local process id).</summary>
    public string? ExecutionName { get; init; }
}

public enum TrainingState { Queued, Running, Succeeded, Failed, Canceled }

/// <summary>A file a finished job produced: the LoRA weights, a checkpoint, or its config.</summary>
public sealed record TrainingArtifact(string Kind, string Name, string Url)
{
    public const string Weights = "weights", Checkpoint = "checkpoint", Config = "config";
}

public sealed record TrainingStatus(TrainingState State, int? Step = null, int? TotalSteps = null, string? LastLog = null, string? Error = null,
    IReadOnlyList<TrainingArtifact>? Artifacts = null, string? ProviderModel = null)
{
    public bool IsFinal => State is TrainingState.Succeeded or TrainingState.Failed or TrainingState.Canceled;
}

/// <summary>
/// A place that trains LoRAs. Every call is safe to repeat: activities retry, and a submit that timed out may have
/// reached the provider (the orchestration records the job before it waits, so a webhook for it is never lost).
/// </summary>
public interface ITrainingProvider
{
    string Name { get; }

    /// <summary>How long to wait before the first status poll; webhooks usually come first.</summary>
    TimeSpan FirstPoll { get; }

    /// <summary>Which of the prepared packages this provider trains from; the fal.ai layout unless it says otherwise.</summary>
    string DatasetZip(DatasetPackages packages) => packages.FalZip;

    Task<TrainingJob> SubmitAsync(TrainingJobRequest request, CancellationToken ct);

    Task<TrainingStatus> GetStatusAsync(TrainingJob job, CancellationToken ct);

    Task CancelAsync(TrainingJob job, CancellationToken ct);

    /// <summary>Opens a finished job's artifact for copying into our store.</summary>
    Task<Stream> OpenArtifactAsync(TrainingJob job, TrainingArtifact artifact, CancellationToken ct);

    /// <summary>Asks the provider to delete what it holds for the job; returns what could not be deleted, for the audit log.</summary>
    Task<string?> DeleteAsync(TrainingJob job, CancellationToken ct);
}

/// <summary>A provider refused or failed a call. <see cref="CanFailOver"/> says whether trying the next provider makes sense.</summary>
public sealed class TrainingProviderException(string provider, int? status, string message, bool canFailOver) : Exception($"{provider}: {message}")
{
    public string Provider { get; } = provider;
    public int? Status { get; } = status;
    public bool CanFailOver { get; } = canFailOver;
}
