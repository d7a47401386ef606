using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Personas.Imaging.Preparation;
using Personas.Providers.Training;

namespace Personas.Providers.Fal;

public sealed class FalTrainingOptions
{
    /// <summary>Portraits: fal's portrait trainer, which takes <c>trigger_phrase</c>.</summary>
    public string PortraitModel { get; set; } = "fal-ai/flux-lora-portrait-trainer";
    /// <summary>Full body: fal's fast trainer, which takes <c>trigger_word</c>.</summary>
    public string FullBodyModel { get; set; } = "fal-ai/flux-lora-fast-training";
    public TimeSpan FirstPoll { get; set; } = TimeSpan.FromSeconds(15);
}

/// <summary>
/// Trains on fal.ai through its queue: the dataset zip goes by signed link, completion comes by signed webhook
/// (<c>/api/webhooks/fal</c>) or by polling the stored status URL, and the weights come from the result's
/// <c>diffusers_lora_file</c>.
/// </summary>
public sealed partial class FalTrainingProvider(FalClient fal, FalTrainingOptions options) : ITrainingProvider
{
    public const string ProviderName = "fal";
    public string Name => ProviderName;
    public TimeSpan FirstPoll => options.FirstPoll;

    public async Task<TrainingJob> SubmitAsync(TrainingJobRequest request, CancellationToken ct)
    {
        if (request.DatasetZipUrl is null) throw new TrainingProviderException(Name, null, "fal.ai needs a public link to the dataset zip; set Personas:PublicBaseUrl.", canFailOver: true);
        var portrait = request.Mode == PersonaMode.Portrait;
        var input = new JsonObject
        {
            ["images_data_url"] = request.DatasetZipUrl.ToString(),
            [portrait ? "trigger_phrase" : "trigger_word"] = request.TriggerWord,
            ["steps"] = request.Options.StepsOrDefault,
        };
        if (portrait && request.Options.LearningRate is { } rate) input["learning_rate"] = rate;
        try
        {
            var queued = await fal.SubmitAsync(portrait ? options.PortraitModel : options.FullBodyModel, input, request.WebhookUrl, ct);
            return new TrainingJob(Name, queued.RequestId, queued.StatusUrl, queued.ResponseUrl, queued.CancelUrl);
        }
        catch (FalException ex)
        {
            // 401/403 (bad key), 402/429 (no credit, quota) and 5xx after retries are reasons to try another provider; 422 is our input.
            throw new TrainingProviderException(Name, ex.Status, ex.Message, canFailOver: ex.Status is 401 or 402 or 403 or 429 or >= 500 or 0);
        }
    }

    public async Task<TrainingStatus> GetStatusAsync(TrainingJob job, CancellationToken ct)
    {
        var status = await fal.GetStatusAsync(job.StatusUrl!, ct);
        var last = status.Logs.LastOrDefault()?.Message;
        var (step, total) = ProgressIn(status.Logs);
        switch (status.Status)
        {
            case "IN_QUEUE": return new TrainingStatus(TrainingState.Queued, LastLog: status.QueuePosition is { } p ? $"queued at position {p}" : "queued");
            case "IN_PROGRESS": return new TrainingStatus(TrainingState.Running, step, total, last);
            case "COMPLETED": break;
            case "CANCELED" or "CANCELLED": return new TrainingStatus(TrainingState.Canceled, LastLog: last);
            case "FAILED" or "ERROR": return new TrainingStatus(TrainingState.Failed, LastLog: last, Error: last ?? "fal.ai reported a failure.");
            default: return new TrainingStatus(TrainingState.Running, step, total, last);
        }
        try
        {
            var result = await fal.GetResultAsync(job.ResponseUrl!, ct);
            return Completed(result, last);
        }
        catch (FalException ex) when (ex.Status is >= 400 and < 500)
        {
            return new TrainingStatus(TrainingState.Failed, LastLog: last, Error: ex.Message); // fal reports a failed run as COMPLETED plus an error result
        }
    }

    /// <summary>The output of a finished training: the weights (and config) files; a result without weights is a failure.</summary>
    public static TrainingStatus Completed(JsonObject result, string? lastLog)
    {
        if (result["diffusers_lora_file"]?["url"]?.ToString() is not { } weights)
            return new TrainingStatus(TrainingState.Failed, LastLog: lastLog, Error: "fal.ai finished without a diffusers_lora_file.");
        var artifacts = new List<TrainingArtifact> { new(TrainingArtifact.Weights, "lora.safetensors", weights) };
        if (result["config_file"]?["url"]?.ToString() is { } config) artifacts.Add(new TrainingArtifact(TrainingArtifact.Config, "config.json", config));
        return new TrainingStatus(TrainingState.Succeeded, LastLog: lastLog, Artifacts: artifacts);
    }

    public Task CancelAsync(TrainingJob job, CancellationToken ct) => fal.CancelAsync(job.CancelUrl!, ct);

    public Task<Stream> OpenArtifactAsync(TrainingJob job, TrainingArtifact artifact, CancellationToken ct) => fal.DownloadAsync(artifact.Url, ct);

    public Task<string?> DeleteAsync(TrainingJob job, CancellationToken ct) => Task.FromResult<string?>(
        $"fal.ai has no API to delete request {job.JobId}: it keeps request payloads for 30 days, and its output files until the account's CDN expiry.");

    /// <summary>Trainers log lines like "step 120/1000" or "120/1000 [..]"; the last such line is the progress.</summary>
    private static (int? Step, int? Total) ProgressIn(IReadOnlyList<FalLog> logs)
    {
        for (var i = logs.Count - 1; i >= 0; i--)
            if (StepPattern().Match(logs[i].Message) is { Success: true } m)
                return (int.Parse(m.Groups[1].Value), int.Parse(m.Groups[2].Value));
        return (null, null);
    }

    [GeneratedRegex(@"(\d+)\s*/\s*(\d+)")]
    private static partial Regex StepPattern();
}
