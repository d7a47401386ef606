using System.Text.Json;
using Microsoft.Extensions.Options;
using Personas.Api.Hosting;

namespace Personas.Api.Photos;

/// <summary>The blobs one upload is about to write, for its persona.</summary>
public sealed record UploadNote(string Owner, string PersonaId, IReadOnlyList<string> Blobs);

/// <summary>
/// Notes, as small files in the data directory, which photo blobs an upload is about to write, before it writes them;
/// the note goes once the photo rows commit (or the blobs are removed again). A host killed in between leaves the note,
/// and the startup sweep (<c>UploadLeftoverSweep</c>) deletes the blobs it names that no photo row holds.
/// </summary>
public sealed class UploadNotes(IOptions<PersonasSettings> settings)
{
    public string Folder => Path.Combine(Path.GetFullPath(settings.Value.DataDir), "pending-blobs");

    /// <summary>The staging folders uploads write received files to (one per request).</summary>
    public string StagingFolder => Path.Combine(Path.GetFullPath(settings.Value.DataDir), "tmp");

    /// <summary>Writes the note whole (a temporary file, then a rename) and returns its path.</summary>
    public async Task<string> WriteAsync(UploadNote note, CancellationToken ct)
    {
        Directory.CreateDirectory(Folder);
        var path = Path.Combine(Folder, $"{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(path + ".tmp", JsonSerializer.Serialize(note), ct);
        File.Move(path + ".tmp", path);
        return path;
    }

    public static void Clear(string path) => File.Delete(path);

    /// <summary>Notes written before <paramref name="cutoff"/>, with their content (null when unreadable).</summary>
    public IEnumerable<(string Path, UploadNote? Note)> OlderThan(DateTimeOffset cutoff)
    {
        if (!Directory.Exists(Folder)) yield break;
        foreach (var path in Directory.EnumerateFiles(Folder))
        {
            if (File.GetLastWriteTimeUtc(path) >= cutoff.UtcDateTime) continue;
            UploadNote? note;
            try { note = JsonSerializer.Deserialize<UploadNote>(File.ReadAllText(path)); }
            catch (JsonException) { note = null; } // a note cut short by the kill: no blob was written after it
            yield return (path, note);
        }
    }
}
