using System.Diagnostics;
using System.Reflection;

namespace Personas.Infra.Tests;

/// <summary>The Bicep CLI from the Azure.Bicep.CommandLine NuGet package, run as a child process.</summary>
internal static class BicepCli
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(3);

    public static string RepoRoot { get; } = Metadata("RepoRoot");

    public static string InfraDirectory { get; } = Path.Combine(RepoRoot, "infra");

    public static string ExecutablePath
    {
        get
        {
            var path = Path.Combine(Metadata("BicepCli"), "tools", OperatingSystem.IsWindows() ? "bicep.exe" : "bicep");
            if (!File.Exists(path))
            {
                throw new FileNotFoundException(
                    $"The Bicep CLI is missing at {path}: restore tests/Personas.Infra.Tests (PackageDownload).");
            }

            // NuGet extracts package files without the execute bit.
            if (!OperatingSystem.IsWindows())
            {
                var mode = File.GetUnixFileMode(path);
                const UnixFileMode execute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute;
                if ((mode & execute) != execute)
                {
                    File.SetUnixFileMode(path, mode | execute | UnixFileMode.OtherExecute);
                }
            }

            return path;
        }
    }

    /// <summary>Runs the CLI; every line it writes to stderr is a diagnostic (warnings and errors alike).</summary>
    public static async Task<BicepResult> RunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo(ExecutablePath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = InfraDirectory,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Keep the CLI offline and quiet: no telemetry, no registry restore.
        start.Environment["BICEP_TELEMETRY_ENABLED"] = "false";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";

        using var process = Process.Start(start) ?? throw new InvalidOperationException("bicep did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(Deadline);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"bicep {string.Join(' ', arguments)} ran past {Deadline}.");
        }

        var diagnostics = (await stderr)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return new BicepResult(process.ExitCode, await stdout, diagnostics);
    }

    private static string Metadata(string key) =>
        typeof(BicepCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(attribute => attribute.Key == key).Value
        ?? throw new InvalidOperationException($"Assembly metadata {key} is empty.");
}

public sealed record BicepResult(int ExitCode, string Output, IReadOnlyList<string> Diagnostics)
{
    public bool Clean => ExitCode == 0 && Diagnostics.Count == 0;

    public string Describe() => $"exit code {ExitCode}; diagnostics:\n{string.Join('\n', Diagnostics)}";
}
