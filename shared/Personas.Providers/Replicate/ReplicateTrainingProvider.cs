using System.Formats.Tar;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Personas.Domain.Personas;
using Personas.Providers.Training;

namespace Personas.Providers.Replicate;

public sealed class ReplicateTrainingOptions
{
    public string Trainer { get; set; } = "ostris/flux-dev-lora-trainer";
    /// <summary>The trainer version to pin (Replicate requires one); find it on the trainer's page.</summary>
    public string TrainerVersion { get; set; } = "";
    /// <summary>The Replicate account that owns the destination models, one per persona.</summary>
    public string Owner { get; set; } = "";
    public TimeSpan FirstPoll { get; set; } = TimeSpan.FromSeconds(15);
}

/// <summary>
/// Trains on Replicate with ostris/flux-dev-lora-trainer through the trainings API. Each persona gets a private
/// destination model (created when missing); the output weights are a tar holding <c>lora.safetensors</c>, which is
/// what gets copied.
/// </summary>
public sealed partial class ReplicateTrainingProvider(ReplicateClient replicate, ReplicateTrainingOptions options) : ITrainingProvider
{
    public const string ProviderName = "replicate";
    public string Name => ProviderName;
    public TimeSpan FirstPoll => options.FirstPoll;
    public string DatasetZip(DatasetPackages packages) => packages.ReplicateZip;

    /// <summary>Model names allow lowercase letters, digits, '-', '_' and '.'.</summary>
    public static string DestinationName(string personaId) => "persona-" + NameCharacters().Replace(personaId.ToLowerInvariant(), "-");

    public async Task<TrainingJob> SubmitAsync(TrainingJobRequest request, CancellationToken ct)
    {
        if (request.DatasetZipUrl is null) throw new TrainingProviderException(Name, null, "Replicate needs a public link to the dataset zip; set Personas:PublicBaseUrl.", canFailOver: true);
        var name = DestinationName(request.PersonaId);
        var input = new JsonObject
        {
            ["input_images"] = request.DatasetZipUrl.ToString(),
            ["trigger_word"] = request.TriggerWord,
            ["autocaption"] = false, // the zip carries our captions
            ["steps"] = request.Options.StepsOrDefault,
        };
        if (request.Options.LearningRate is { } rate) input["learning_rate"] = rate;
        if (request.Options.Rank is { } rank) input["lora_rank"] = rank;
        if (request.Options.Resolution is { } resolution) input["resolution"] = resolution.ToString(System.Globalization.CultureInfo.InvariantCulture);
        try
        {
            if (!await replicate.ModelExistsAsync(options.Owner, name, ct))
                await replicate.CreateModelAsync(options.Owner, name, $"Persona LoRA versions for {request.PersonaId}", ct);
            var training = await replicate.CreateTrainingAsync(options.Trainer, options.TrainerVersion, $"{options.Owner}/{name}", input, request.WebhookUrl, ct);
            return new TrainingJob(Name, training.Id);
        }
        catch (ReplicateException ex)
        {
            throw new TrainingProviderException(Name, ex.Status, ex.Message, canFailOver: ex.Status is 401 or 402 or 403 or 429 or >= 500 or 0);
        }
    }

    public async Task<TrainingStatus> GetStatusAsync(TrainingJob job, CancellationToken ct) => StatusOf(await replicate.GetTrainingAsync(job.JobId, ct));

    /// <summary>A training object (from a poll or a webhook) as our status.</summary>
    public static TrainingStatus StatusOf(ReplicateTraining training)
    {
        var lines = training.Logs?.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
        var last = lines.LastOrDefault();
        var progress = lines.Reverse().Select(l => StepPattern().Match(l)).FirstOrDefault(m => m.Success);
        int? step = progress is null ? null : int.Parse(progress.Groups[1].Value), total = progress is null ? null : int.Parse(progress.Groups[2].Value);
        return training.Status switch
        {
            "starting" => new TrainingStatus(TrainingState.Queued, LastLog: last ?? "starting"),
            "processing" => new TrainingStatus(TrainingState.Running, step, total, last),
            "succeeded" when training.WeightsUrl is { } weights => new TrainingStatus(TrainingState.Succeeded, total, total, last,
                Artifacts: [new TrainingArtifact(TrainingArtifact.Weights, "weights.tar", weights)], ProviderModel: training.OutputVersion),
            "succeeded" => new TrainingStatus(TrainingState.Failed, LastLog: last, Error: "Replicate finished without output weights."),
            "failed" => new TrainingStatus(TrainingState.Failed, LastLog: last, Error: training.Error ?? "Replicate reported a failure."),
            "canceled" => new TrainingStatus(TrainingState.Canceled, LastLog: last, Error: "Canceled at Replicate."),
            _ => new TrainingStatus(TrainingState.Running, step, total, last),
        };
    }

    public async Task CancelAsync(TrainingJob job, CancellationToken ct) => await replicate.CancelTrainingAsync(job.JobId, ct);

    /// <summary>The weights come as a tar; the LoRA is its <c>lora.safetensors</c> entry.</summary>
    public async Task<Stream> OpenArtifactAsync(TrainingJob job, TrainingArtifact artifact, CancellationToken ct)
    {
        await using var tar = await replicate.DownloadAsync(artifact.Url, ct);
        using var reader = new TarReader(tar);
        while (await reader.GetNextEntryAsync(copyData: false, ct) is { } entry)
            if (entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile && Path.GetFileName(entry.Name) == "lora.safetensors" && entry.DataStream is { } data)
            {
                var copy = new MemoryStream();
                await data.CopyToAsync(copy, ct);
                copy.Position = 0;
                return copy;
            }
        throw new InvalidDataException("Replicate's weights tar holds no lora.safetensors.");
    }

    public Task<string?> DeleteAsync(TrainingJob job, CancellationToken ct) => Task.FromResult<string?>(
        $"Replicate keeps training {job.JobId} and the versions of the destination model under {options.Owner}; delete the model in Replicate's dashboard.");

    [GeneratedRegex(@"(\d+)\s*/\s*(\d+)")]
    private static partial Regex StepPattern();

    [GeneratedRegex("[^a-z0-9._-]")]
    private static partial Regex NameCharacters();
}
