using System.Security.Cryptography;
using System.Text;

namespace Personas.Providers.Webhooks;

/// <summary>
/// Our own callback signatures for training jobs we run (Container Apps jobs; docs/training.md, "Job callback
/// contract"). Each run gets its own secret, derived from the host's key and the run id, so a leaked secret speaks for
/// one run only and nothing needs storing. The job signs <c>{run}.{timestamp}.{event}.{raw body}</c> with HMAC-SHA256
/// and sends <c>v1=&lt;hex&gt;</c>; the event id is signed too, so a replay cannot pass as a new event.
/// </summary>
public sealed class JobCallbackSigner(byte[] masterKey, TimeProvider clock)
{
    public string SecretFor(string runId) =>
        Convert.ToBase64String(HMACSHA256.HashData(masterKey, Encoding.UTF8.GetBytes($"personas-job-callback\n{runId}")));

    public static string Sign(string secret, string runId, string timestamp, string eventId, ReadOnlySpan<byte> body) =>
        "v1=" + Convert.ToHexStringLower(Mac(secret, runId, timestamp, eventId, body));

    public WebhookVerdict Verify(string? runId, string? timestamp, string? eventId, string? signature, ReadOnlySpan<byte> body)
    {
        if (string.IsNullOrEmpty(runId) || string.IsNullOrEmpty(eventId) || string.IsNullOrEmpty(signature))
            return WebhookVerdict.Reject("The X-Personas-Run, X-Personas-Event or X-Personas-Signature header is missing.");
        if (WebhookVerdict.TimestampProblem(timestamp, clock) is { } problem) return WebhookVerdict.Reject(problem);
        if (!signature.StartsWith("v1=", StringComparison.Ordinal)) return WebhookVerdict.Reject("The signature must be v1=<hex>.");
        Span<byte> given = stackalloc byte[32];
        var expected = Mac(SecretFor(runId), runId, timestamp!, eventId, body);
        return Convert.FromHexString(signature.AsSpan(3), given, out _, out var written) == System.Buffers.OperationStatus.Done && written == 32
            && CryptographicOperations.FixedTimeEquals(given, expected)
            ? WebhookVerdict.Accept($"{runId}:{eventId}")
            : WebhookVerdict.Reject("The signature does not match.");
    }

    private static byte[] Mac(string secret, string runId, string timestamp, string eventId, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes($"{runId}.{timestamp}.{eventId}.");
        var content = new byte[prefix.Length + body.Length];
        prefix.CopyTo(content, 0);
        body.CopyTo(content.AsSpan(prefix.Length));
        return HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), content);
    }
}
