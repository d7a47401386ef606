using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;

namespace Personas.Providers.Webhooks;

/// <summary>
/// fal.ai's webhook signatures: Ed25519 over "{request id}\n{user id}\n{timestamp}\n{hex sha256 of the raw body}", with
/// the public keys from fal's JWKS (<see cref="FalSigningKeys"/>: cached, refetched at most once a minute). Headers
/// and timestamp are checked before any key is needed, so malformed calls never cause a fetch. When no key can be
/// had at all, the verdict says so with a Retry-After instead of calling the signature forged.
/// </summary>
public sealed class FalWebhookVerifier(HttpClient http, TimeProvider clock, Uri? jwksUrl = null)
{
    public static readonly Uri DefaultJwksUrl = new("https://rest.alpha.fal.ai/.well-known/jwks.json");

    /// <summary>At most one JWKS fetch per this interval, after a failure or a signature no cached key verifies.
    /// </summary>
    public static TimeSpan MinimumRefetchInterval => FalSigningKeys.MinimumRefetchInterval;

    private readonly FalSigningKeys _keys = new(http, clock, jwksUrl ?? DefaultJwksUrl);

    public async Task<WebhookVerdict> VerifyAsync(string? requestId, string? userId, string? timestamp,
        string? signatureHex, byte[] body, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(requestId) || string.IsNullOrEmpty(userId) || string.IsNullOrEmpty(signatureHex))
            return WebhookVerdict.Reject("A X-Fal-Webhook-Request-Id, -User-Id or -Signature header is missing.");
        if (WebhookVerdict.TimestampProblem(timestamp, clock) is { } problem) return WebhookVerdict.Reject(problem);
        byte[] signature;
        try { signature = Convert.FromHexString(signatureHex); }
        catch (FormatException) { return WebhookVerdict.Reject("The signature is not hex."); }
        if (signature.Length != 64) return WebhookVerdict.Reject("The signature is not 64 bytes.");
        var message = Encoding.UTF8.GetBytes(
            $"{requestId}\n{userId}\n{timestamp}\n{Convert.ToHexStringLower(SHA256.HashData(body))}");

        var cached = await _keys.GetAsync(noneVerified: false, ct);
        if (Verifies(cached, message, signature)) return WebhookVerdict.Accept(requestId);
        // No cached key verifies: fal may have rotated its keys, so look again (unless we looked very recently).
        var current = await _keys.GetAsync(noneVerified: true, ct);
        if (!ReferenceEquals(current, cached) && Verifies(current, message, signature))
            return WebhookVerdict.Accept(requestId);
        if (current.Count == 0)
            return WebhookVerdict.Unavailable(_keys.LastFailure ?? "fal's JWKS has not been fetched yet.",
                _keys.NextFetchIn);
        return WebhookVerdict.Reject("The signature does not verify with any of fal's published keys.");
    }

    private static bool Verifies(IEnumerable<byte[]> keys, byte[] message, byte[] signature) => keys.Any(key =>
    {
        var signer = new Ed25519Signer();
        signer.Init(false, new Ed25519PublicKeyParameters(key, 0));
        signer.BlockUpdate(message, 0, message.Length);
        return signer.VerifySignature(signature);
    });
}
