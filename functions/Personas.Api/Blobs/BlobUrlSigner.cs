using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Personas.Api.Blobs;

/// <summary>
/// Time-limited download URLs for blobs: an HMAC-SHA256 over the path and the expiry (Unix seconds), so a provider can
/// fetch a dataset without an API key, only that file, and only until the link expires.
/// </summary>
public sealed class BlobUrlSigner(byte[] key, TimeProvider clock)
{
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromHours(6);

    public string Url(HttpRequest request, string path, TimeSpan? lifetime = null) =>
        Url(new Uri($"{request.Scheme}://{request.Host}{request.PathBase}/"), path, lifetime);

    /// <summary>A link on a given base address (the host's public one, for providers that fetch datasets).</summary>
    public string Url(Uri baseUrl, string path, TimeSpan? lifetime = null) =>
        baseUrl.ToString().TrimEnd('/') + Relative(path, lifetime);

    /// <summary>
    /// The link as payloads carry it (<c>/api/blobs/…</c>, relative): a page puts it in an <c>img src</c> as is,
    /// and it stays right behind a proxy that changes the host name.
    /// </summary>
    public string Link(HttpRequest request, string path, TimeSpan? lifetime = null) =>
        request.PathBase + Relative(path, lifetime);

    /// <summary><see cref="Link"/> for one request, to hand to payload builders.</summary>
    public Func<string, string> Links(HttpRequest request) => path => Link(request, path);

    private string Relative(string path, TimeSpan? lifetime)
    {
        var expires = (clock.GetUtcNow() + (lifetime ?? DefaultLifetime)).ToUnixTimeSeconds();
        var escaped = string.Join('/', path.Split('/').Select(Uri.EscapeDataString));
        return $"/api/blobs/{escaped}?expires={expires}&signature={Signature(path, expires)}";
    }

    /// <summary>Null when the link is good; otherwise why it is not.</summary>
    public string? Problem(string path, string? expires, string? signature)
    {
        if (!long.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out var expiresAt) || string.IsNullOrEmpty(signature))
            return "The link has no valid expiry or signature.";
        var expected = Encoding.ASCII.GetBytes(Signature(path, expiresAt));
        if (!CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(signature))) return "The link's signature does not match.";
        return clock.GetUtcNow().ToUnixTimeSeconds() > expiresAt ? "The link has expired; ask for a new one." : null;
    }

    private string Signature(string path, long expires) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{path}\n{expires.ToString(CultureInfo.InvariantCulture)}")));
}
