using System.Globalization;
using Personas.Trainer.Artifacts;
using Personas.Trainer.Callbacks;
using Personas.Trainer.Dataset;
using Personas.Trainer.Options;
using Personas.Trainer.Training;

namespace Personas.Trainer;

/// <summary>
/// The training container's entrypoint: reads the run from the env, fetches and unpacks the dataset, runs the
/// trainer while reporting progress, uploads its files and reports the outcome to the host (docs/training.md,
/// "Job callback contract"). Every failure it can explain is reported as a <c>failed</c> callback and an exit code
/// (<see cref="ExitCodes"/>).
/// </summary>
public sealed class TrainerAgent
{
    private readonly TrainerSettings _settings;
    private readonly CallbackClient _callbacks;
    private readonly HttpClient _http;
    private readonly AgentLog _log;
    private readonly TimeProvider _clock;

    private TrainerAgent(TrainerSettings settings, CallbackClient callbacks, HttpClient http, AgentLog log,
        TimeProvider clock)
    {
        (_settings, _callbacks, _http, _log, _clock) = (settings, callbacks, http, log, clock);
    }

    /// <summary>Runs one training from <paramref name="env"/>, logging to <paramref name="output"/>.</summary>
    /// <returns>An <see cref="ExitCodes"/> value.</returns>
    public static async Task<int> RunAsync(IReadOnlyDictionary<string, string> env, TextWriter output,
        CancellationToken ct, CallbackClientOptions? callbackOptions = null)
    {
        var clock = callbackOptions?.Clock ?? TimeProvider.System;
        var log = new AgentLog(output, clock);
        TrainerSettings settings;
        try { settings = TrainerSettings.FromEnvironment(env); }
        catch (TrainerSettingsException ex)
        {
            log.Error(ex.Message);
            return ExitCodes.InvalidSettings;
        }
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var callbacks = new CallbackClient(http, settings.CallbackUrl, settings.RunId, settings.CallbackSecret,
            callbackOptions ?? new CallbackClientOptions(), log);
        return await new TrainerAgent(settings, callbacks, http, log, clock).RunAsync(ct);
    }

    private async Task<int> RunAsync(CancellationToken ct)
    {
        var runDir = Path.Combine(Path.GetFullPath(_settings.WorkDir), _settings.RunId);
        var (datasetDir, outputDir) = (Path.Combine(runDir, "dataset"), Path.Combine(runDir, "output"));
        try
        {
            _log.Info($"run {_settings.RunId}: {_settings.Steps} steps, " +
                $"reporting to {AgentLog.Safe(_settings.CallbackUrl)}");
            await _callbacks.SendAsync(CallbackEvent.Running(0, _settings.Steps, "preparing the dataset"), ct);
            if (Directory.Exists(runDir)) Directory.Delete(runDir, recursive: true);
            Directory.CreateDirectory(outputDir);

            var zip = Path.Combine(runDir, "dataset.zip");
            await new DatasetDownloader(_http, _settings.MaxDatasetBytes).DownloadAsync(_settings.DatasetUrl, zip, ct);
            var images = await new DatasetExtractor(_settings.MaxDatasetFiles, _settings.MaxDatasetBytes)
                .ExtractAsync(zip, datasetDir, ct);
            File.Delete(zip);
            _log.Info($"dataset: {images} images");

            var result = await TrainAsync(runDir, datasetDir, outputDir, ct);
            if (result is null) return ExitCodes.CallbackRefused;
            if (result.ExitCode != 0)
                return await FailAsync(ExitCodes.TrainerFailed, result.LastErrorLine is { } line
                    ? $"The trainer exited with code {result.ExitCode}: {line}"
                    : $"The trainer exited with code {result.ExitCode}.", ct);

            var files = ArtifactFiles.Find(outputDir, _settings.OutputName);
            var uploader = new ArtifactUploader(_settings.ArtifactsUrl, _settings.ArtifactLinkLifetime, _clock);
            var artifacts = await uploader.UploadAsync(_settings.RunId, files, ct);
            _log.Info($"uploaded {artifacts.Count} files to {AgentLog.Safe(_settings.ArtifactsUrl)}");
            await _callbacks.SendAsync(CallbackEvent.Succeeded(_settings.Steps, artifacts), ct);
            return ExitCodes.Succeeded;
        }
        catch (DatasetException ex)
        {
            return await FailAsync(ExitCodes.DatasetRefused, $"The dataset was refused: {ex.Message}", ct);
        }
        catch (TrainerSettingsException ex) // the trainer command's template
        {
            return await FailAsync(ExitCodes.InvalidSettings, ex.Message, ct);
        }
        catch (ArtifactException ex)
        {
            return await FailAsync(ExitCodes.UploadFailed, ex.Message, ct);
        }
        catch (CallbackException ex)
        {
            _log.Error(ex.Message);
            return ex.IsRejected ? ExitCodes.CallbackRefused : ExitCodes.CallbackUndelivered;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            _log.Error("Stopped (the execution was stopped); the trainer was ended.");
            return ExitCodes.Stopped;
        }
    }

    /// <returns>The trainer's result, or null when the host refused a progress callback and the trainer was ended.
    /// </returns>
    private async Task<TrainerResult?> TrainAsync(string runDir, string datasetDir, string outputDir,
        CancellationToken ct)
    {
        var configFile = Path.Combine(runDir, "config.yaml");
        await File.WriteAllTextAsync(configFile, AiToolkitConfig.For(_settings, datasetDir, outputDir), ct);
        var command = CommandTemplate.Fill(_settings.TrainerCommand, Placeholders(configFile, datasetDir, outputDir));
        using var progress = new ProgressReporter(_callbacks, _settings.Steps, _settings.ProgressInterval, _clock, _log,
            ct);
        try
        {
            var result = await new TrainerProcess(_log).RunAsync(command, runDir, progress.Observe, progress.Stopping);
            await progress.FlushAsync();
            return result;
        }
        catch (OperationCanceledException) when (progress.Rejection is not null && !ct.IsCancellationRequested)
        {
            _log.Error("The trainer was ended because the host refused this run's callbacks.");
            return null;
        }
    }

    private Dictionary<string, string> Placeholders(string configFile, string datasetDir, string outputDir)
    {
        static string Text<T>(T? value) where T : struct, IFormattable =>
            value?.ToString(null, CultureInfo.InvariantCulture) ?? "";
        return new()
        {
            ["configFile"] = configFile, ["datasetDir"] = datasetDir, ["outputDir"] = outputDir,
            ["steps"] = _settings.Steps.ToString(CultureInfo.InvariantCulture), ["triggerWord"] = _settings.TriggerWord,
            ["mode"] = _settings.Mode, ["runId"] = _settings.RunId, ["learningRate"] = Text(_settings.LearningRate),
            ["rank"] = Text(_settings.Rank), ["resolution"] = Text(_settings.Resolution),
            ["checkpointEvery"] = Text(_settings.CheckpointEvery),
        };
    }

    private async Task<int> FailAsync(int exitCode, string error, CancellationToken ct)
    {
        _log.Error(error);
        try
        {
            await _callbacks.SendAsync(CallbackEvent.Failed(error), ct);
        }
        catch (CallbackException ex)
        {
            _log.Error(ex.Message);
        }
        return exitCode;
    }
}
