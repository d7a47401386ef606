using System.Globalization;
using System.Text.Json.Nodes;
using Personas.Providers.Resilience;
using Personas.Providers.Training;
using Personas.Providers.Webhooks;

namespace Personas.Providers.Jobs;

public sealed class ContainerAppsJobTrainingOptions
{
    /// <summary>The container in the job's template that trains; empty: the first one.</summary>
    public string ContainerName { get; set; } = "";
    public TimeSpan FirstPoll { get; set; } = TimeSpan.FromSeconds(60);
    /// <summary>How long after a succeeded execution its completion callback may still come before the run fails.</summary>
    public TimeSpan CompletionGrace { get; set; } = TimeSpan.FromMinutes(10);
    public string DownloadPipelineName { get; set; } = "containerapps-artifacts";
}

/// <summary>
/// Trains on our own GPU container, as an Azure Container Apps job execution. The start call's template replaces the
/// job's whole template, so the job's own containers are read and sent back whole, with the run's settings added to
/// the training container's env. The container reports progress and completion to <c>/api/webhooks/jobs</c> with a
/// per-run HMAC (docs/training.md, "Job callback contract"); polling the execution catches a run that dies silently.
/// </summary>
public sealed class ContainerAppsJobTrainingProvider(ContainerAppsJobClient jobs, JobCallbackSigner signer, HttpClient downloads,
    ContainerAppsJobTrainingOptions options, TimeProvider clock) : ITrainingProvider
{
    public const string ProviderName = "jobs";
    public string Name => ProviderName;
    public TimeSpan FirstPoll => options.FirstPoll;

    public async Task<TrainingJob> SubmitAsync(TrainingJobRequest request, CancellationToken ct)
    {
        if (request.DatasetZipUrl is null || request.WebhookUrl is null)
            throw new TrainingProviderException(Name, null, "A Container Apps job needs Personas:PublicBaseUrl, to fetch the dataset and to call back.", canFailOver: true);
        var runId = $"run-{request.PersonaId}-v{request.Version}-{Guid.NewGuid().ToString("N")[..8]}";
        try
        {
            var template = await jobs.GetTemplateAsync(ct);
            var execution = await jobs.StartAsync(Override(template, RunEnvironment(request, runId)), ct);
            return new TrainingJob(Name, runId, SubmittedAt: clock.GetUtcNow()) { ExecutionName = execution };
        }
        catch (ContainerAppsJobException ex)
        {
            throw new TrainingProviderException(Name, ex.Status, ex.Message, canFailOver: ex.Status is 401 or 403 or 409 or 429 or >= 500 or 0);
        }
    }

    /// <summary>The env a training container reads (the contract's inputs).</summary>
    private Dictionary<string, string> RunEnvironment(TrainingJobRequest request, string runId)
    {
        var o = request.Options;
        var env = new Dictionary<string, string>
        {
            ["PERSONAS_RUN_ID"] = runId,
            ["PERSONAS_DATASET_URL"] = request.DatasetZipUrl!.ToString(),
            ["PERSONAS_TRIGGER_WORD"] = request.TriggerWord,
            ["PERSONAS_MODE"] = request.Mode.ToString().ToLowerInvariant(),
            ["PERSONAS_STEPS"] = o.StepsOrDefault.ToString(CultureInfo.InvariantCulture),
            ["PERSONAS_CALLBACK_URL"] = request.WebhookUrl!.ToString(),
            ["PERSONAS_CALLBACK_SECRET"] = signer.SecretFor(runId),
        };
        if (o.LearningRate is { } rate) env["PERSONAS_LEARNING_RATE"] = rate.ToString("R", CultureInfo.InvariantCulture);
        if (o.Rank is { } rank) env["PERSONAS_RANK"] = rank.ToString(CultureInfo.InvariantCulture);
        if (o.Resolution is { } resolution) env["PERSONAS_RESOLUTION"] = resolution.ToString(CultureInfo.InvariantCulture);
        if (o.CheckpointEvery is { } every) env["PERSONAS_CHECKPOINT_EVERY"] = every.ToString(CultureInfo.InvariantCulture);
        return env;
    }

    /// <summary>The job's containers, whole (image, resources, command, probes, secret refs), with the run's env set on the training one.</summary>
    private JsonObject Override(JsonObject template, Dictionary<string, string> runEnv)
    {
        var containers = template["containers"] as JsonArray ?? throw new ContainerAppsJobException(200, "The job's template has no containers.");
        var copies = new JsonArray();
        var found = false;
        foreach (var container in containers.OfType<JsonObject>())
        {
            var copy = (JsonObject)container.DeepClone();
            if (!found && (options.ContainerName.Length == 0 || copy["name"]?.ToString() == options.ContainerName))
            {
                found = true;
                var env = (copy["env"] as JsonArray)?.OfType<JsonObject>().Where(e => !runEnv.ContainsKey(e["name"]?.ToString() ?? "")).Select(e => e.DeepClone()).ToList() ?? [];
                env.AddRange(runEnv.Select(kv => (JsonNode)new JsonObject { ["name"] = kv.Key, ["value"] = kv.Value }));
                copy["env"] = new JsonArray([.. env]);
            }
            copies.Add(copy);
        }
        if (!found) throw new ContainerAppsJobException(200, $"The job's template has no container named '{options.ContainerName}'.");
        var body = new JsonObject { ["containers"] = copies };
        if (template["initContainers"] is JsonArray init) body["initContainers"] = init.DeepClone();
        return body;
    }

    public async Task<TrainingStatus> GetStatusAsync(TrainingJob job, CancellationToken ct)
    {
        var execution = await jobs.GetExecutionAsync(job.ExecutionName!, ct);
        var log = $"Container Apps execution {execution.Name}: {execution.Status}";
        return execution.Status switch
        {
            "Failed" or "Degraded" or "Stopped" => new TrainingStatus(execution.Status == "Stopped" ? TrainingState.Canceled : TrainingState.Failed, LastLog: log,
                Error: $"The job execution ended as {execution.Status} without reporting its weights."),
            // The weights come only by callback; a run that succeeded but never said so is a broken container.
            "Succeeded" when execution.EndTime is { } end && clock.GetUtcNow() - end > options.CompletionGrace => new TrainingStatus(TrainingState.Failed, LastLog: log,
                Error: $"The job execution succeeded but did not call back with its weights within {options.CompletionGrace.TotalMinutes:0} minutes."),
            "Succeeded" => new TrainingStatus(TrainingState.Running, LastLog: log + "; waiting for its completion callback"),
            _ => new TrainingStatus(TrainingState.Running, LastLog: log),
        };
    }

    public Task CancelAsync(TrainingJob job, CancellationToken ct) => jobs.StopExecutionAsync(job.ExecutionName!, ct);

    public async Task<Stream> OpenArtifactAsync(TrainingJob job, TrainingArtifact artifact, CancellationToken ct)
    {
        var response = await ProviderHttp.DownloadAsync(downloads, options.DownloadPipelineName, null, artifact.Url, ct);
        if (!response.IsSuccessStatusCode) throw new InvalidDataException($"The job's {artifact.Kind} at its reported link answered {(int)response.StatusCode}.");
        return await response.Content.ReadAsStreamAsync(ct);
    }

    public Task<string?> DeleteAsync(TrainingJob job, CancellationToken ct) => Task.FromResult<string?>(
        $"Container Apps keeps execution {job.ExecutionName ?? job.JobId} in the job's history, and files the job wrote to your own storage stay there; delete them in your subscription.");

    /// <summary>
    /// A callback body as our status: <c>{ status: running|succeeded|failed, step?, totalSteps?, message?, error?,
    /// artifacts?: [{ kind: weights|checkpoint|config, name, url }] }</c>.
    /// </summary>
    public static TrainingStatus StatusOf(JsonObject callback)
    {
        var step = callback["step"] is JsonValue s && s.TryGetValue<int>(out var sv) ? sv : (int?)null;
        var total = callback["totalSteps"] is JsonValue t && t.TryGetValue<int>(out var tv) ? tv : (int?)null;
        var message = callback["message"]?.ToString();
        var artifacts = (callback["artifacts"] as JsonArray)?.OfType<JsonObject>()
            .Select(a => new TrainingArtifact(a["kind"]?.ToString() ?? "", a["name"]?.ToString() ?? "", a["url"]?.ToString() ?? ""))
            .Where(a => a.Kind is TrainingArtifact.Weights or TrainingArtifact.Checkpoint or TrainingArtifact.Config && Uri.IsWellFormedUriString(a.Url, UriKind.Absolute))
            .ToList() ?? [];
        return callback["status"]?.ToString() switch
        {
            "succeeded" when artifacts.Any(a => a.Kind == TrainingArtifact.Weights) => new TrainingStatus(TrainingState.Succeeded, total ?? step, total, message, Artifacts: artifacts),
            "succeeded" => new TrainingStatus(TrainingState.Failed, step, total, message, Error: "The job reported success without a weights artifact."),
            "failed" => new TrainingStatus(TrainingState.Failed, step, total, message, Error: callback["error"]?.ToString() ?? "The job reported a failure."),
            _ => new TrainingStatus(TrainingState.Running, step, total, message),
        };
    }
}
