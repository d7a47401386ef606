using System.Diagnostics;

namespace Personas.Trainer.Training;

/// <summary>How the trainer ended: its exit code and the line that best explains a failure.</summary>
public sealed record TrainerResult(int ExitCode, string? LastErrorLine);

/// <summary>
/// Runs the trainer command with <c>/bin/sh -c</c>, echoing its output to the agent's log and passing each line to
/// <c>onLine</c> (for progress). The callback secret and the signed links are removed from its env: the trainer needs
/// none of them. Canceling ends its whole process tree.
/// </summary>
public sealed class TrainerProcess(AgentLog log)
{
    private static readonly string[] HiddenVariables =
        ["PERSONAS_CALLBACK_SECRET", "PERSONAS_ARTIFACTS_URL", "PERSONAS_DATASET_URL"];

    public async Task<TrainerResult> RunAsync(string command, string workDir, Action<string> onLine,
        CancellationToken ct)
    {
        var start = new ProcessStartInfo("/bin/sh")
        {
            UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true,
            RedirectStandardInput = true, WorkingDirectory = workDir,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(command);
        foreach (var name in HiddenVariables) start.Environment.Remove(name);
        using var process = Process.Start(start)
            ?? throw new InvalidOperationException("/bin/sh could not be started.");
        process.StandardInput.Close();
        await using var kill = ct.Register(() =>
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { } // already gone
        });
        var stdout = ReadAsync(process.StandardOutput, "trainer", onLine);
        var stderr = ReadAsync(process.StandardError, "trainer!", onLine);
        await Task.WhenAll(stdout, stderr);
        await process.WaitForExitAsync(CancellationToken.None);
        ct.ThrowIfCancellationRequested();
        return new TrainerResult(process.ExitCode, await stderr ?? await stdout);
    }

    /// <returns>The stream's last line that is not a progress bar, trimmed.</returns>
    private async Task<string?> ReadAsync(StreamReader reader, string prefix, Action<string> onLine)
    {
        string? last = null;
        // ReadLine also splits on '\r', so each redraw of a tqdm bar arrives as its own line.
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.Trim().Length == 0) continue;
            log.Info($"{prefix} | {line}");
            onLine(line);
            if (!line.Contains('%') && !line.Contains("it/s", StringComparison.Ordinal)) last = line.Trim();
        }
        return last;
    }
}
