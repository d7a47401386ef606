namespace Personas.Domain.Blobs;

/// <summary>Blobs as files under a root folder (the data directory's "blobs"). Writes go to a temp file, then a rename.</summary>
public sealed class FileSystemBlobStore(string root) : IBlobStore
{
    private readonly string _root = Path.GetFullPath(root);

    public async Task PutAsync(string path, Stream content, CancellationToken ct = default)
    {
        var target = Resolve(path);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var temp = target + $".{Guid.NewGuid():N}.partial";
        try
        {
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
                await content.CopyToAsync(file, ct);
            File.Move(temp, target, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>
    /// Removes temp files a killed process left mid-write (the finally above never ran), if older than
    /// <paramref name="cutoff"/>, so a write still in progress is left alone. Returns how many.
    /// </summary>
    public int DeletePartialsOlderThan(DateTimeOffset cutoff)
    {
        if (!Directory.Exists(_root)) return 0;
        var removed = 0;
        foreach (var partial in Directory.EnumerateFiles(_root, "*.partial", SearchOption.AllDirectories))
        {
            if (File.GetLastWriteTimeUtc(partial) >= cutoff.UtcDateTime) continue;
            File.Delete(partial);
            removed++;
        }
        return removed;
    }

    public Task<Stream?> OpenReadAsync(string path, CancellationToken ct = default)
    {
        var file = Resolve(path);
        return Task.FromResult<Stream?>(File.Exists(file) ? new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true) : null);
    }

    public Task<bool> DeleteAsync(string path, CancellationToken ct = default)
    {
        var file = Resolve(path);
        if (!File.Exists(file)) return Task.FromResult(false);
        File.Delete(file);
        return Task.FromResult(true);
    }

    public Task<int> DeletePrefixAsync(string prefix, CancellationToken ct = default)
    {
        var folder = Resolve(prefix);
        if (!Directory.Exists(folder)) return Task.FromResult(0);
        var count = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Count();
        Directory.Delete(folder, recursive: true);
        return Task.FromResult(count);
    }

    private string Resolve(string path)
    {
        var full = Path.GetFullPath(Path.Combine(_root, BlobPaths.Check(path)));
        if (!full.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal)) throw new ArgumentException($"'{path}' is outside the blob store.");
        return full;
    }
}
