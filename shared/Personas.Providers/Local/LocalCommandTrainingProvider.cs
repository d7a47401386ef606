using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Personas.Domain.Blobs;
using Personas.Providers.Training;

namespace Personas.Providers.Local;

public sealed class LocalCommandTrainingOptions
{
    /// <summary>
    /// The command line, run by <c>/bin/sh</c> in the run's folder. Placeholders (shell-quoted): {datasetDir},
    /// {outputDir}, {steps}, {triggerWord}, {mode}, {learningRate}, {rank}, {resolution}, {checkpointEvery}, {runId}.
    /// </summary>
    public string Command { get; set; } = "";
    /// <summary>
    /// Where runs live: {WorkDir}/{owner}/{persona}/{run}/ with dataset/, output/, log.txt, exit.txt.
    /// </summary>
    public string WorkDir { get; set; } = "";
    /// <summary>
    /// The LoRA the command writes in {outputDir}; other .safetensors files there are taken as checkpoints.
    /// </summary>
    public string OutputName { get; set; } = "lora.safetensors";
    /// <summary>Finds "step/total" in the command's output (Kohya and ai-toolkit progress bars print it).</summary>
    public string ProgressPattern { get; set; } = @"(\d+)\s*/\s*(\d+)";
    public TimeSpan FirstPoll { get; set; } = TimeSpan.FromSeconds(5);
}

/// <summary>
/// Trains on this machine's GPU by running a configured command (Kohya's <c>train_network.py</c>, ai-toolkit…) as a
/// child process. The process writes its own log and exit code to files, so a run survives a restart of this host and
/// its status is read from disk: progress from the log, the LoRA from the output folder.
/// </summary>
public sealed partial class LocalCommandTrainingProvider(IBlobStore blobs, LocalCommandTrainingOptions options)
    : ITrainingProvider
{
    public const string ProviderName = "local";
    public string Name => ProviderName;
    public TimeSpan FirstPoll => options.FirstPoll;

    public async Task<TrainingJob> SubmitAsync(TrainingJobRequest request, CancellationToken ct)
    {
        var runId = $"run-v{request.Version}-{Guid.NewGuid().ToString("N")[..8]}";
        // The job id: it names the run's folder.
        var relative = $"{Safe(request.Owner)}/{Safe(request.PersonaId)}/{runId}";
        var folder = Path.Combine(options.WorkDir, relative);
        var dataset = Directory.CreateDirectory(Path.Combine(folder, "dataset")).FullName;
        var output = Directory.CreateDirectory(Path.Combine(folder, "output")).FullName;
        await ExtractAsync(request.DatasetZipBlob, dataset, ct);

        var o = request.Options;
        var values = new Dictionary<string, string>
        {
            ["datasetDir"] = dataset, ["outputDir"] = output, ["steps"] = Invariant(o.StepsOrDefault),
            ["triggerWord"] = request.TriggerWord, ["mode"] = request.Mode.ToString().ToLowerInvariant(),
            ["runId"] = runId, ["learningRate"] = o.LearningRate?.ToString("R", CultureInfo.InvariantCulture) ?? "",
            ["rank"] = Invariant(o.Rank), ["resolution"] = Invariant(o.Resolution),
            ["checkpointEvery"] = Invariant(o.CheckpointEvery),
        };
        var command = Placeholder().Replace(options.Command,
            m => values.TryGetValue(m.Groups[1].Value, out var v) ? Quote(v) : m.Value);
        // The shell, not this host, records output and exit code, so the run outlives a restart of the host.
        var script = $"cd {Quote(folder)}\n( {command} ) > log.txt 2>&1\n"
            + "echo $? > exit.txt.tmp && mv exit.txt.tmp exit.txt\n";
        await File.WriteAllTextAsync(Path.Combine(folder, "run.sh"), script, ct);
        var start = new ProcessStartInfo("/bin/sh", [Path.Combine(folder, "run.sh")])
        {
            UseShellExecute = false, WorkingDirectory = folder,
        };
        using var process = Process.Start(start) ?? throw new TrainingProviderException(Name, null,
            "The training command could not be started.", canFailOver: true);
        await File.WriteAllTextAsync(Path.Combine(folder, "pid.txt"), $"{process.Id} {StartedTicks(process)}", ct);
        return new TrainingJob(Name, relative, SubmittedAt: DateTimeOffset.UtcNow);
    }

    public async Task<TrainingStatus> GetStatusAsync(TrainingJob job, CancellationToken ct)
    {
        var folder = Folder(job);
        var logFile = Path.Combine(folder, "log.txt");
        var log = File.Exists(logFile) ? await File.ReadAllLinesAsync(logFile, ct) : [];
        var last = log.Select(l => l.Split('\r')[^1].Trim()).LastOrDefault(l => l.Length > 0);
        var progress = log.Reverse().SelectMany(l => new Regex(options.ProgressPattern).Matches(l).Reverse())
            .FirstOrDefault();
        int? step = progress is null ? null : int.Parse(progress.Groups[1].Value);
        int? total = progress is null ? null : int.Parse(progress.Groups[2].Value);
        if (File.Exists(Path.Combine(folder, "canceled")))
            return new TrainingStatus(TrainingState.Canceled, step, total, last, "Canceled.");
        if (!File.Exists(Path.Combine(folder, "exit.txt")))
            return Alive(folder) ? new TrainingStatus(TrainingState.Running, step, total, last)
                : new TrainingStatus(TrainingState.Failed, step, total, last,
                    "The training process is gone and left no exit code (the machine may have restarted).");
        var code = (await File.ReadAllTextAsync(Path.Combine(folder, "exit.txt"), ct)).Trim();
        if (code != "0")
            return new TrainingStatus(TrainingState.Failed, step, total, last,
                $"The training command exited with code {code}: {last}");
        var output = Path.Combine(folder, "output");
        if (!File.Exists(Path.Combine(output, options.OutputName)))
            return new TrainingStatus(TrainingState.Failed, step, total, last,
                $"The training command succeeded but wrote no {options.OutputName}.");
        var artifacts = Directory.EnumerateFiles(output, "*.safetensors").Order(StringComparer.Ordinal)
            .Select(f => Path.GetFileName(f)).Select(name => new TrainingArtifact(
                name == options.OutputName ? TrainingArtifact.Weights : TrainingArtifact.Checkpoint, name, name))
            .ToList();
        return new TrainingStatus(TrainingState.Succeeded, total ?? step, total, last, Artifacts: artifacts);
    }

    public Task CancelAsync(TrainingJob job, CancellationToken ct)
    {
        var folder = Folder(job);
        File.WriteAllText(Path.Combine(folder, "canceled"), "");
        if (RunningProcess(folder) is { } process) using (process) process.Kill(entireProcessTree: true);
        return Task.CompletedTask;
    }

    public Task<Stream> OpenArtifactAsync(TrainingJob job, TrainingArtifact artifact, CancellationToken ct) =>
        Task.FromResult<Stream>(File.OpenRead(Path.Combine(Folder(job), "output", Path.GetFileName(artifact.Url))));

    /// <summary>
    /// Everything local runs left for this persona (datasets, outputs, logs) goes: nothing is kept anywhere else.
    /// </summary>
    public Task<string?> DeleteAsync(TrainingJob job, CancellationToken ct)
    {
        if (Path.GetDirectoryName(Folder(job)) is { } personaFolder && Directory.Exists(personaFolder))
            Directory.Delete(personaFolder, recursive: true);
        return Task.FromResult<string?>(null);
    }

    /// <summary>
    /// The run's folder, from its job id ({owner}/{persona}/{run}); an id that is not of that shape names no folder.
    /// </summary>
    private string Folder(TrainingJob job)
    {
        var parts = job.JobId.Split('/');
        if (parts.Length != 3 || parts.Any(p => Safe(p) != p))
            throw new InvalidDataException($"'{job.JobId}' is not a local run.");
        return Path.Combine(options.WorkDir, parts[0], parts[1], parts[2]);
    }

    private static bool Alive(string folder)
    {
        using var process = RunningProcess(folder);
        return process is not null;
    }

    /// <summary>
    /// The run's shell if it still runs. Its start time is recorded beside its pid and compared, because the system
    /// hands a pid out again once its process is gone: cancelling a finished run killed whatever process had it.
    /// </summary>
    private static Process? RunningProcess(string folder)
    {
        var file = Path.Combine(folder, "pid.txt");
        var fields = File.Exists(file) ? File.ReadAllText(file).Split(' ', StringSplitOptions.RemoveEmptyEntries) : [];
        if (fields.Length == 0 || !int.TryParse(fields[0], CultureInfo.InvariantCulture, out var pid)) return null;
        // A run started before start times were recorded has the pid alone.
        long? started = fields.Length > 1 && long.TryParse(fields[1], CultureInfo.InvariantCulture, out var ticks)
            ? ticks : null;
        try
        {
            var process = Process.GetProcessById(pid);
            if (!process.HasExited && (started is null || SameStart(StartedTicks(process), started.Value)))
                return process;
            process.Dispose();
        }
        catch (ArgumentException) { } // no such process
        return null;
    }

    /// <summary>
    /// UTC ticks, or 0 once the process is gone. The system derives it from the boot time, so compare within a second.
    /// </summary>
    private static long StartedTicks(Process process)
    {
        try { return process.StartTime.ToUniversalTime().Ticks; }
        catch (InvalidOperationException) { return 0; }
        catch (System.ComponentModel.Win32Exception) { return 0; }
    }

    private static bool SameStart(long a, long b) => a != 0 && Math.Abs(a - b) < TimeSpan.TicksPerSecond;

    /// <summary>Unpacks the dataset zip by file name only, so no entry can write outside the folder.</summary>
    private async Task ExtractAsync(string zipBlob, string folder, CancellationToken ct)
    {
        using var zip = await DatasetArchive.OpenAsync(blobs, zipBlob, ct);
        foreach (var entry in zip.Entries.Where(e => e.Name.Length > 0))
        {
            await using var source = entry.Open();
            await using var target = File.Create(Path.Combine(folder, Safe(entry.Name)));
            await source.CopyToAsync(target, ct);
        }
    }

    private static string Quote(string value) => "'" + value.Replace("'", "'\\''") + "'";

    private static string Invariant(int? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "";

    private static string Safe(string name) =>
        SafeName().Replace(Path.GetFileName(name), "_") is var safe && safe.Trim('.').Length > 0 ? safe : "_";

    [GeneratedRegex(@"\{(\w+)\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"[^A-Za-z0-9._-]")]
    private static partial Regex SafeName();
}
