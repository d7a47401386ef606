using System.Security.Cryptography;
using System.Text;

namespace Personas.Providers.Webhooks;

/// <summary>
/// Replicate's webhook signatures (Standard Webhooks): HMAC-SHA256 over "{webhook-id}.{webhook-timestamp}.{raw body}",
/// keyed with the base64 part of the account's "whsec_…" secret. The webhook-signature header lists "v1,&lt;base64&gt;"
/// entries separated by spaces; any match is accepted, compared in constant time.
/// </summary>
public sealed class ReplicateWebhookVerifier(string signingSecret, TimeProvider clock)
{
    private readonly byte[] _key = Convert.FromBase64String(signingSecret.StartsWith("whsec_", StringComparison.Ordinal) ? signingSecret["whsec_".Length..] : signingSecret);

    public WebhookVerdict Verify(string? id, string? timestamp, string? signatures, ReadOnlySpan<byte> body)
    {
        if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(signatures)) return WebhookVerdict.Reject("The webhook-id or webhook-signature header is missing.");
        if (WebhookVerdict.TimestampProblem(timestamp, clock) is { } problem) return WebhookVerdict.Reject(problem);
        var prefix = Encoding.UTF8.GetBytes($"{id}.{timestamp}.");
        var content = new byte[prefix.Length + body.Length];
        prefix.CopyTo(content, 0);
        body.CopyTo(content.AsSpan(prefix.Length));
        var expected = HMACSHA256.HashData(_key, content);
        Span<byte> given = stackalloc byte[64];
        foreach (var entry in signatures.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var comma = entry.IndexOf(',');
            if (comma < 0 || entry[..comma] != "v1") continue;
            if (Convert.TryFromBase64String(entry[(comma + 1)..], given, out var length) && CryptographicOperations.FixedTimeEquals(given[..length], expected))
                return WebhookVerdict.Accept(id);
        }
        return WebhookVerdict.Reject("No webhook-signature entry matches.");
    }
}
