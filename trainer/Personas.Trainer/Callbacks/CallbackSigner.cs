using System.Security.Cryptography;
using System.Text;

namespace Personas.Trainer.Callbacks;

/// <summary>
/// Signs a callback as the contract says: <c>v1=</c> and the lowercase hex HMAC-SHA256, keyed by the run's secret
/// (its UTF-8 bytes), of <c>{run}.{timestamp}.{event}.</c> followed by the raw body.
/// </summary>
public static class CallbackSigner
{
    public static string Sign(string secret, string runId, string timestamp, string eventId, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes($"{runId}.{timestamp}.{eventId}.");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        return "v1=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
    }
}
