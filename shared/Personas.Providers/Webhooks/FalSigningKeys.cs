using System.Text.Json;

namespace Personas.Providers.Webhooks;

/// <summary>
/// fal.ai's Ed25519 webhook keys from its JWKS, cached. Keys are kept for <see cref="CacheFor"/>; a refetch (when the
/// cache is old or a signature matches no cached key) happens at most once per <see cref="MinimumRefetchInterval"/>,
/// whatever the outcome, so forged or unsigned calls cannot make us hammer fal, and an outage costs one attempt per
/// interval. A failed fetch keeps the keys we had: an old key is still fal's key until a new set arrives.
/// </summary>
internal sealed class FalSigningKeys(HttpClient http, TimeProvider clock, Uri jwksUrl)
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromHours(24);
    public static readonly TimeSpan MinimumRefetchInterval = TimeSpan.FromSeconds(60);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private IReadOnlyList<byte[]> _keys = [];
    private DateTimeOffset _fetchedAt = DateTimeOffset.MinValue;
    private DateTimeOffset _attemptedAt = DateTimeOffset.MinValue;

    /// <summary>Why the last fetch failed (ours, never a key), or null after a good one.</summary>
    public string? LastFailure { get; private set; }

    /// <summary>How long until another fetch may be tried; at least one second, for a Retry-After.</summary>
    public TimeSpan NextFetchIn
    {
        get
        {
            var wait = _attemptedAt + MinimumRefetchInterval - clock.GetUtcNow();
            return wait < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : wait;
        }
    }

    /// <summary>
    /// The keys, fetched first if none are cached, the cache is old, or <paramref name="noneVerified"/> says the
    /// cached ones did not verify a signature (fal may have rotated) - each only if the interval allows a fetch.
    /// </summary>
    public async Task<IReadOnlyList<byte[]>> GetAsync(bool noneVerified, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            var now = clock.GetUtcNow();
            var wanted = noneVerified || _keys.Count == 0 || now - _fetchedAt >= CacheFor;
            if (!wanted || now - _attemptedAt < MinimumRefetchInterval) return _keys;
            _attemptedAt = now;
            try
            {
                _keys = await FetchAsync(ct);
                _fetchedAt = now;
                LastFailure = null;
            }
            catch (Exception e) when (IsFetchFailure(e, ct))
            {
                LastFailure = $"fal's JWKS could not be fetched: {Describe(e)}";
            }
            return _keys;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<IReadOnlyList<byte[]>> FetchAsync(CancellationToken ct)
    {
        using var response = await http.GetAsync(jwksUrl, HttpCompletionOption.ResponseHeadersRead, ct);
        if (!response.IsSuccessStatusCode) throw new HttpRequestException($"HTTP {(int)response.StatusCode}");
        using var jwks = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(ct), default, ct);
        if (jwks.RootElement.ValueKind != JsonValueKind.Object
            || !jwks.RootElement.TryGetProperty("keys", out var keys) || keys.ValueKind != JsonValueKind.Array)
            throw new JsonException("no \"keys\" array");
        var ed25519 = keys.EnumerateArray().Where(IsEd25519).Select(k => Base64Url(k.GetProperty("x").GetString()!))
            .OfType<byte[]>().Where(k => k.Length == 32).ToList();
        return ed25519.Count > 0 ? ed25519 : throw new JsonException("no Ed25519 key");
    }

    private static bool IsEd25519(JsonElement key) => key.ValueKind == JsonValueKind.Object
        && key.TryGetProperty("kty", out var kty) && kty.ValueKind == JsonValueKind.String && kty.GetString() == "OKP"
        && key.TryGetProperty("crv", out var crv) && crv.ValueKind == JsonValueKind.String
        && crv.GetString() == "Ed25519"
        && key.TryGetProperty("x", out var x) && x.ValueKind == JsonValueKind.String;

    /// <summary>Network, HTTP, timeout and format failures; the caller's own cancellation still propagates.</summary>
    private static bool IsFetchFailure(Exception e, CancellationToken ct) => e switch
    {
        OperationCanceledException => !ct.IsCancellationRequested,
        HttpRequestException or JsonException => true,
        _ => false,
    };

    private static string Describe(Exception e) => e switch
    {
        OperationCanceledException => "timed out",
        JsonException => $"not a usable key set ({e.Message})",
        _ => e.Message,
    };

    /// <summary>base64url with or without padding (fal's JWKS pads); null when it is neither.</summary>
    internal static byte[]? Base64Url(string value)
    {
        var text = value.TrimEnd('=').Replace('-', '+').Replace('_', '/');
        var padded = text.PadRight(text.Length + (4 - text.Length % 4) % 4, '=');
        var bytes = new byte[padded.Length];
        return Convert.TryFromBase64String(padded, bytes, out var length) ? bytes[..length] : null;
    }
}
