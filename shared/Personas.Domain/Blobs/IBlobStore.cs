namespace Personas.Domain.Blobs;

/// <summary>
/// Where files live: photos, framed crops, dataset packages, weights. Paths are '/'-separated segments of letters,
/// digits, '.', '_' and '-'; anything else (including "..") is refused. The filesystem is the embedded default.
/// </summary>
public interface IBlobStore
{
    /// <summary>Writes the whole stream or nothing: readers never see a half-written blob.</summary>
    Task PutAsync(string path, Stream content, CancellationToken ct = default);

    Task<Stream?> OpenReadAsync(string path, CancellationToken ct = default);

    Task<bool> DeleteAsync(string path, CancellationToken ct = default);

    /// <summary>Deletes every blob under <paramref name="prefix"/>; returns how many.</summary>
    Task<int> DeletePrefixAsync(string prefix, CancellationToken ct = default);
}

public static class BlobPaths
{
    public static string Check(string path)
    {
        var segments = path.Split('/');
        if (segments.Length == 0 || segments.Any(s => s.Length == 0 || s is "." or ".." || !s.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-')))
            throw new ArgumentException($"'{path}' is not a valid blob path.", nameof(path));
        return path;
    }

    public static string Join(params string[] segments) => Check(string.Join('/', segments));
}

public static class BlobStoreExtensions
{
    /// <summary>Reads a whole blob into one exactly sized array (no intermediate buffer), or null when it does not exist.</summary>
    public static async Task<byte[]?> ReadAllBytesAsync(this IBlobStore blobs, string path, CancellationToken ct = default)
    {
        await using var stream = await blobs.OpenReadAsync(path, ct);
        if (stream is null) return null;
        if (stream.CanSeek)
        {
            var bytes = new byte[stream.Length];
            await stream.ReadExactlyAsync(bytes, ct);
            return bytes;
        }
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy, ct);
        return copy.ToArray();
    }
}

/// <summary>
/// Links that let an outside service (a training provider) fetch a blob, and the base address providers call back on.
/// Both are null when the host has no public address (<c>Personas:PublicBaseUrl</c>), as on a laptop.
/// </summary>
public interface IPublicLinks
{
    Uri? Blob(string path, TimeSpan lifetime);

    Uri? Webhook(string provider);
}
