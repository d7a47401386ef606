using System.IO.Compression;
using Personas.Domain.Blobs;

namespace Personas.Providers.Training;

/// <summary>A prepared dataset zip in the blob store, for the providers that use it on this side (the dry run, local training).</summary>
internal static class DatasetArchive
{
    /// <summary>Opens the zip for reading; disposing the archive closes the blob stream.</summary>
    public static async Task<ZipArchive> OpenAsync(IBlobStore blobs, string zipBlob, CancellationToken ct)
    {
        var stream = await blobs.OpenReadAsync(zipBlob, ct) ?? throw new InvalidDataException($"The dataset {zipBlob} is missing.");
        return new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: false);
    }

    /// <summary>The dataset's images, in name order (the packager numbers them).</summary>
    public static IReadOnlyList<ZipArchiveEntry> Images(ZipArchive zip) =>
        zip.Entries.Where(e => e.Name.EndsWith(".jpg", StringComparison.OrdinalIgnoreCase)).OrderBy(e => e.FullName, StringComparer.Ordinal).ToList();

    public static async Task<byte[]> ReadAsync(ZipArchiveEntry entry, CancellationToken ct)
    {
        await using var data = entry.Open();
        using var copy = new MemoryStream();
        await data.CopyToAsync(copy, ct);
        return copy.ToArray();
    }
}
