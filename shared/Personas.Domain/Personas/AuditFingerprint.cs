using System.Security.Cryptography;
using System.Text;

namespace Personas.Domain.Personas;

/// <summary>
/// What the audit trail keeps of a deleted persona's name and trigger word: a keyed hash (HMAC-SHA256, 16 hex
/// digits), not the text. Whoever holds the key can check whether a given name was deleted; a copy of the database
/// alone does not reveal it.
/// </summary>
public sealed class AuditFingerprint
{
    private readonly byte[] _key;

    public AuditFingerprint(ReadOnlySpan<byte> secret)
    {
        if (secret.Length < 16) throw new ArgumentException("The audit key needs at least 16 bytes.", nameof(secret));
        // A key of its own, derived from the given secret, so the fingerprints reveal nothing about that secret's
        // other use (signing download links).
        _key = HKDF.DeriveKey(HashAlgorithmName.SHA256, secret.ToArray(), 32, [],
            Encoding.ASCII.GetBytes("personas audit fingerprint v1"));
    }

    public string Of(string text) =>
        "hmac:" + Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(text)))[..16];
}
