using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using Personas.Api.Problems;
using Personas.Imaging.Preparation;

namespace Personas.Api.Photos;

/// <summary>
/// Reads a multipart upload one part at a time, streaming each file to its own staging file with a size cap, so a
/// request of twenty 15 MB photos never sits in memory. Too many files stops the read at once.
/// </summary>
internal static class MultipartStaging
{
    public sealed class TooManyFilesException(int max) : Exception($"Send at most {max} photos per request.");

    public static async Task<List<StagedPhoto>> StageAsync(HttpRequest request, string folder, PhotoGates gates, CancellationToken ct)
    {
        var boundary = MediaTypeHeaderValue.TryParse(request.ContentType, out var type)
            ? HeaderUtilities.RemoveQuotes(type.Boundary).Value : null;
        if (string.IsNullOrEmpty(boundary)) throw new InvalidDataException("The multipart boundary is missing.");
        var reader = new MultipartReader(boundary, request.Body) { HeadersLengthLimit = 16 * 1024 };
        var staged = new List<StagedPhoto>();
        while (await NextSectionAsync(reader, ct) is { } section)
        {
            if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) || !disposition.IsFileDisposition())
                continue;
            if (staged.Count == gates.MaxPhotos) throw new TooManyFilesException(gates.MaxPhotos);
            var name = SafeName(disposition.FileName.Value ?? disposition.FileNameStar.Value, staged.Count + 1);
            var path = Path.Combine(folder, $"{staged.Count:D2}.upload");
            var written = await CopyCappedAsync(section.Body, path, gates.MaxBytes, ct);
            staged.Add(written > gates.MaxBytes
                ? new StagedPhoto(name, null, new Rejection("size", $"The file is larger than {gates.MaxBytes / 1048576} MB."))
                : new StagedPhoto(name, path, null));
        }
        return staged;
    }

    /// <summary>
    /// The next part. The reader's own error text (limits, line lengths) is not for callers: they get a stable reason,
    /// and the original stays as the inner exception.
    /// </summary>
    private static async Task<MultipartSection?> NextSectionAsync(MultipartReader reader, CancellationToken ct)
    {
        try
        {
            return await reader.ReadNextSectionAsync(ct);
        }
        catch (InvalidDataException ex)
        {
            throw new InvalidDataException(
                "A part's headers are too long or do not follow the multipart format; send one file per part.", ex);
        }
    }

    public static void AllowBody(HttpContext http, PhotoGates gates)
    {
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            limit.MaxRequestBodySize = (long)gates.MaxPhotos * gates.MaxBytes + 4 * 1024 * 1024;
    }

    /// <summary>Copies up to max+1 bytes; past that the rest of the part is read and discarded.</summary>
    private static async Task<long> CopyCappedAsync(Stream source, string path, int max, CancellationToken ct)
    {
        var buffer = new byte[81920];
        long total = 0;
        await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
        {
            int read;
            while ((read = await source.ReadAsync(buffer, ct)) > 0)
            {
                total += read;
                if (total <= max) await file.WriteAsync(buffer.AsMemory(0, read), ct);
            }
        }
        if (total > max) File.Delete(path);
        return total;
    }

    /// <summary>
    /// A display name only: never used as a path. Folders, control characters, and bidi and zero-width characters
    /// (<see cref="DisplayText"/>) are dropped.
    /// </summary>
    public static string SafeName(string? name, int position)
    {
        var bare = Path.GetFileName((name ?? "").Replace('\\', '/').Trim('"'));
        var clean = new string(DisplayText.Clean(bare).Where(c => !char.IsControl(c)).ToArray()).Trim();
        if (clean.Length > 100) clean = clean[..(char.IsHighSurrogate(clean[99]) ? 99 : 100)]; // never half a pair
        return clean.Length == 0 ? $"photo-{position}" : clean;
    }
}
