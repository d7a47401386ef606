using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;

namespace Personas.Providers.Webhooks;

/// <summary>
/// fal.ai's webhook signatures: Ed25519 over "{request id}\n{user id}\n{timestamp}\n{hex sha256 of the raw body}", with
/// the public keys from fal's JWKS. Keys are cached for a day and refetched (at most every 5 minutes) when no cached key
/// verifies, so a key rotation does not lock us out. JWKS "x" values are decoded tolerantly: fal pads them.
/// </summary>
public sealed class FalWebhookVerifier(HttpClient http, TimeProvider clock, Uri? jwksUrl = null)
{
    public static readonly Uri DefaultJwksUrl = new("https://rest.alpha.fal.ai/.well-known/jwks.json");
    private static readonly TimeSpan CacheFor = TimeSpan.FromHours(24), RefetchAfter = TimeSpan.FromMinutes(5);

    private readonly Uri _jwksUrl = jwksUrl ?? DefaultJwksUrl;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IReadOnlyList<byte[]> _keys = [];
    private DateTimeOffset _fetchedAt = DateTimeOffset.MinValue;

    public async Task<WebhookVerdict> VerifyAsync(string? requestId, string? userId, string? timestamp, string? signatureHex, byte[] body, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(requestId) || string.IsNullOrEmpty(userId) || string.IsNullOrEmpty(signatureHex))
            return WebhookVerdict.Reject("A X-Fal-Webhook-Request-Id, -User-Id or -Signature header is missing.");
        if (WebhookVerdict.TimestampProblem(timestamp, clock) is { } problem) return WebhookVerdict.Reject(problem);
        byte[] signature;
        try { signature = Convert.FromHexString(signatureHex); }
        catch (FormatException) { return WebhookVerdict.Reject("The signature is not hex."); }
        if (signature.Length != 64) return WebhookVerdict.Reject("The signature is not 64 bytes.");
        var message = Encoding.UTF8.GetBytes($"{requestId}\n{userId}\n{timestamp}\n{Convert.ToHexStringLower(SHA256.HashData(body))}");

        if (Verifies(await KeysAsync(refresh: false, ct), message, signature)) return WebhookVerdict.Accept(requestId);
        if (clock.GetUtcNow() - _fetchedAt > RefetchAfter && Verifies(await KeysAsync(refresh: true, ct), message, signature))
            return WebhookVerdict.Accept(requestId);
        return WebhookVerdict.Reject("The signature does not verify with any of fal's published keys.");
    }

    private static bool Verifies(IEnumerable<byte[]> keys, byte[] message, byte[] signature) => keys.Any(key =>
    {
        var signer = new Ed25519Signer();
        signer.Init(false, new Ed25519PublicKeyParameters(key, 0));
        signer.BlockUpdate(message, 0, message.Length);
        return signer.VerifySignature(signature);
    });

    private async Task<IReadOnlyList<byte[]>> KeysAsync(bool refresh, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            if (!refresh && _keys.Count > 0 && clock.GetUtcNow() - _fetchedAt < CacheFor) return _keys;
            using var response = await http.GetAsync(_jwksUrl, ct);
            response.EnsureSuccessStatusCode();
            using var jwks = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(ct));
            _keys = jwks.RootElement.GetProperty("keys").EnumerateArray()
                .Where(k => k.TryGetProperty("kty", out var kty) && kty.GetString() == "OKP" && k.TryGetProperty("crv", out var crv) && crv.GetString() == "Ed25519")
                .Select(k => Base64Url(k.GetProperty("x").GetString()!)).Where(k => k.Length == 32).ToList();
            _fetchedAt = clock.GetUtcNow();
            return _keys;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>base64url with or without padding (fal's JWKS pads).</summary>
    internal static byte[] Base64Url(string value)
    {
        var text = value.TrimEnd('=').Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(text.PadRight(text.Length + (4 - text.Length % 4) % 4, '='));
    }
}
