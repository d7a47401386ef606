using System.Text;
using System.Text.Json;

namespace Personas.Providers.Training;

/// <summary>
/// The stand-in used only when no training provider is configured. It trains nothing: its job progresses with the
/// clock over its duration (10 s by default) and then yields a small, valid safetensors file whose metadata says
/// "provider: dryrun". Everything it makes is labelled so.
/// </summary>
public sealed class DryRunTrainingProvider(TimeProvider clock, TimeSpan? duration = null) : ITrainingProvider
{
    public const string ProviderName = "dryrun";
    public TimeSpan Duration { get; } = duration ?? TimeSpan.FromSeconds(10);

    public string Name => ProviderName;
    public TimeSpan FirstPoll => Duration / 5;

    public Task<TrainingJob> SubmitAsync(TrainingJobRequest request, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        // The job id carries its start and step count, so status needs no storage and survives restarts.
        var id = $"dryrun-{request.PersonaId}-v{request.Version}-{now.ToUnixTimeMilliseconds()}-{request.Options.StepsOrDefault}";
        return Task.FromResult(new TrainingJob(Name, id, SubmittedAt: now));
    }

    public Task<TrainingStatus> GetStatusAsync(TrainingJob job, CancellationToken ct)
    {
        var (started, steps) = Parse(job.JobId);
        var elapsed = clock.GetUtcNow() - started;
        if (elapsed >= Duration)
            return Task.FromResult(new TrainingStatus(TrainingState.Succeeded, steps, steps, "dryrun: finished (nothing was trained)",
                Artifacts: [new TrainingArtifact(TrainingArtifact.Weights, "lora.safetensors", $"dryrun://{job.JobId}/lora.safetensors")]));
        var step = (int)(steps * Math.Max(0, elapsed / Duration));
        return Task.FromResult(new TrainingStatus(TrainingState.Running, step, steps, $"dryrun: step {step}/{steps} (simulated)"));
    }

    public Task CancelAsync(TrainingJob job, CancellationToken ct) => Task.CompletedTask;

    public Task<Stream> OpenArtifactAsync(TrainingJob job, TrainingArtifact artifact, CancellationToken ct) =>
        Task.FromResult<Stream>(new MemoryStream(SafeTensors(job.JobId)));

    public Task<string?> DeleteAsync(TrainingJob job, CancellationToken ct) => Task.FromResult<string?>(null);

    /// <summary>
    /// A safetensors file: an 8-byte little-endian header length, a JSON header naming each tensor's dtype, shape and
    /// byte range (plus free-form string metadata), then the raw tensor bytes. One 4×4 float32 zero tensor here.
    /// </summary>
    public static byte[] SafeTensors(string jobId)
    {
        var header = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["__metadata__"] = new Dictionary<string, string> { ["provider"] = ProviderName, ["job"] = jobId, ["note"] = "dry run: not a trained LoRA" },
            ["lora_unet_dryrun.lora_down.weight"] = new { dtype = "F32", shape = new[] { 4, 4 }, data_offsets = new[] { 0, 64 } },
        });
        var padded = header.Length + (8 - header.Length % 8) % 8; // the spec allows trailing spaces; 8-byte alignment for the data
        var file = new byte[8 + padded + 64];
        BitConverter.TryWriteBytes(file.AsSpan(0, 8), (ulong)padded);
        header.CopyTo(file, 8);
        file.AsSpan(8 + header.Length, padded - header.Length).Fill((byte)' ');
        return file;
    }

    private static (DateTimeOffset Started, int Steps) Parse(string jobId)
    {
        var parts = jobId.Split('-');
        return (DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(parts[^2])), int.Parse(parts[^1]));
    }
}
