using System.IO.Compression;
using System.Text.RegularExpressions;

namespace Personas.Trainer.Dataset;

/// <summary>
/// Unpacks a dataset zip into an empty folder, trusting nothing in it: entries must be flat image or caption files
/// (<c>01_trigger.jpg</c>, <c>01_trigger.txt</c>), with no folders, no path separators or <c>..</c>, no links, no
/// duplicates, at most <c>maxFiles</c> of them and <c>maxBytes</c> in all (counted while writing, not taken from the
/// zip's directory). The whole zip is checked before anything is written.
/// </summary>
public sealed partial class DatasetExtractor(int maxFiles, long maxBytes)
{
    private const int UnixFileTypeMask = 0xF000, UnixSymlink = 0xA000, UnixRegularFile = 0x8000;

    /// <returns>The number of images written.</returns>
    /// <exception cref="DatasetException">The zip is not a valid dataset; nothing was written.</exception>
    public async Task<int> ExtractAsync(string zipPath, string targetDir, CancellationToken ct)
    {
        var target = Path.GetFullPath(targetDir);
        if (Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any())
            throw new DatasetException($"The dataset folder {target} is not empty.");
        ZipArchive zip;
        try { zip = ZipFile.OpenRead(zipPath); }
        catch (InvalidDataException ex) { throw new DatasetException("The dataset is not a valid zip file.", ex); }
        using (zip)
        {
            var entries = Check(zip.Entries);
            Directory.CreateDirectory(target);
            long written = 0;
            foreach (var entry in entries)
            {
                var path = Path.GetFullPath(Path.Combine(target, entry.Name));
                // The name rule already forbids separators; this holds even if that rule is ever loosened.
                if (Path.GetDirectoryName(path) != target.TrimEnd(Path.DirectorySeparatorChar))
                    throw new DatasetException($"The dataset entry '{entry.FullName}' points outside its folder.");
                await using var source = entry.Open();
                await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
                written += await BoundedCopy.CopyAsync(source, file, maxBytes - written, "The unpacked dataset", ct);
            }
            return entries.Count(e => !e.Name.EndsWith(".txt", StringComparison.OrdinalIgnoreCase));
        }
    }

    private List<ZipArchiveEntry> Check(IReadOnlyCollection<ZipArchiveEntry> entries)
    {
        if (entries.Count > maxFiles)
            throw new DatasetException($"The dataset zip has {entries.Count} entries; the limit is {maxFiles}.");
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        long declared = 0;
        foreach (var entry in entries)
        {
            if (entry.FullName != entry.Name || !AllowedName().IsMatch(entry.FullName))
                throw new DatasetException($"The dataset zip holds '{Printable(entry.FullName)}': only flat image " +
                    "(.jpg, .jpeg, .png, .webp) and caption (.txt) files named with letters, digits, '.', '_' or '-' " +
                    "are accepted.");
            var type = (entry.ExternalAttributes >> 16) & UnixFileTypeMask;
            if (type == UnixSymlink || type != 0 && type != UnixRegularFile)
                throw new DatasetException($"The dataset zip entry '{entry.Name}' is a link or special file.");
            if (!seen.Add(entry.Name)) throw new DatasetException($"The dataset zip holds '{entry.Name}' twice.");
            declared += entry.Length;
            if (declared > maxBytes)
                throw new DatasetException($"The dataset unpacks to more than the limit of {maxBytes} bytes.");
        }
        if (!entries.Any(e => !e.Name.EndsWith(".txt", StringComparison.OrdinalIgnoreCase)))
            throw new DatasetException("The dataset zip holds no images.");
        return [.. entries];
    }

    private static string Printable(string name) =>
        new([.. name.Take(120).Select(c => char.IsControl(c) ? '?' : c)]);

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}\.(jpg|jpeg|png|webp|txt)$", RegexOptions.IgnoreCase)]
    private static partial Regex AllowedName();
}
