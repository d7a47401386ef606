using Personas.Api.Photos;
using Personas.Domain.Blobs;
using Personas.Domain.Stores;

namespace Personas.Api.Recovery;

/// <summary>
/// What uploads a stopped host left: blobs named by an upload note (<see cref="UploadNotes"/>) that no photo row
/// holds, half-written blob files (local store), and staging folders. Only leftovers older than
/// <see cref="RecoverySettings.LeftoverMinutes"/> are removed, so an upload still running on another host sharing the
/// data is left alone.
/// </summary>
public sealed class UploadLeftoverSweep(UploadNotes notes, ICatalog catalog, IBlobStore blobs,
    RecoverySettings settings, TimeProvider clock)
{
    /// <summary>Returns how many blobs and staging folders it removed.</summary>
    public async Task<(int Blobs, int Folders)> RunAsync(CancellationToken ct)
    {
        var cutoff = clock.GetUtcNow().AddMinutes(-settings.LeftoverMinutes);
        var removed = 0;
        foreach (var (path, note) in notes.OlderThan(cutoff).ToList())
        {
            if (note is not null)
            {
                var kept = (await catalog.ListPhotosAsync(note.Owner, note.PersonaId, ct)).Select(p => p.Blob)
                    .ToHashSet(StringComparer.Ordinal);
                foreach (var blob in note.Blobs.Where(b => !kept.Contains(b)))
                    if (await blobs.DeleteAsync(blob, ct)) removed++;
            }
            UploadNotes.Clear(path);
        }
        if (blobs is FileSystemBlobStore files) removed += files.DeletePartialsOlderThan(cutoff);
        return (removed, SweepStaging(cutoff));
    }

    private int SweepStaging(DateTimeOffset cutoff)
    {
        if (!Directory.Exists(notes.StagingFolder)) return 0;
        var removed = 0;
        foreach (var folder in Directory.EnumerateDirectories(notes.StagingFolder))
        {
            if (Directory.GetLastWriteTimeUtc(folder) >= cutoff.UtcDateTime) continue;
            try
            {
                Directory.Delete(folder, recursive: true);
                removed++;
            }
            catch (IOException) { } // in use or gone meanwhile: the next start tries again
        }
        return removed;
    }
}
