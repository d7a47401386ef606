using Personas.Trainer.Callbacks;

namespace Personas.Trainer.Artifacts;

/// <summary>A file the trainer wrote, to upload as <c>Kind</c> under <c>Name</c>.</summary>
public sealed record ArtifactFile(string Kind, string Name, string Path);

/// <summary>
/// Finds what the trainer wrote: the LoRA named <c>outputName</c> (the shallowest, if ai-toolkit nested it in a run
/// folder) and every other <c>.safetensors</c> as a checkpoint.
/// </summary>
public static class ArtifactFiles
{
    /// <exception cref="ArtifactException">There is no LoRA.</exception>
    public static IReadOnlyList<ArtifactFile> Find(string outputDir, string outputName)
    {
        var files = Directory.EnumerateFiles(outputDir, "*.safetensors", SearchOption.AllDirectories)
            .Where(f => !new FileInfo(f).Attributes.HasFlag(FileAttributes.ReparsePoint))
            .OrderBy(f => f.Count(c => c == System.IO.Path.DirectorySeparatorChar))
            .ThenBy(f => f, StringComparer.Ordinal)
            .ToList();
        var weights = files.FirstOrDefault(f => System.IO.Path.GetFileName(f) == outputName)
            ?? throw new ArtifactException($"The trainer exited with 0 but wrote no {outputName}.");
        var used = new HashSet<string>(StringComparer.Ordinal) { outputName };
        return [new ArtifactFile(CallbackArtifact.Weights, outputName, weights),
            .. files.Where(f => f != weights && used.Add(System.IO.Path.GetFileName(f)))
                .Select(f => new ArtifactFile(CallbackArtifact.Checkpoint, System.IO.Path.GetFileName(f), f))];
    }
}
