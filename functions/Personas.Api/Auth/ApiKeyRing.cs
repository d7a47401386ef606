using System.Security.Cryptography;
using System.Text;

namespace Personas.Api.Auth;

/// <summary>
/// The API keys this host accepts and the owner each one stands for. Keys are held only as SHA-256 hashes, so a
/// lookup compares hashes rather than secrets, and no key can leak through a dump or a log line.
/// </summary>
public sealed class ApiKeyRing
{
    private readonly Dictionary<string, string> _ownersByKeyHash;

    private ApiKeyRing(Dictionary<string, string> ownersByKeyHash) => _ownersByKeyHash = ownersByKeyHash;

    public int Count => _ownersByKeyHash.Count;

    public string? OwnerOf(string presentedKey) => _ownersByKeyHash.GetValueOrDefault(Hash(presentedKey));

    /// <summary>Parses <c>key1=alice;key2=bob</c>. Throws with the offending entry's position (never its key) when malformed.</summary>
    public static ApiKeyRing Parse(string? setting)
    {
        var ring = new Dictionary<string, string>(StringComparer.Ordinal);
        var weak = 0;
        var entries = (setting ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        for (var i = 0; i < entries.Length; i++)
        {
            var eq = entries[i].IndexOf('=');
            var key = eq > 0 ? entries[i][..eq].Trim() : "";
            var owner = eq > 0 ? entries[i][(eq + 1)..].Trim() : "";
            if (key.Length == 0 || key.Any(char.IsWhiteSpace) || owner.Length == 0 || !owner.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '@'))
                throw new InvalidOperationException(
                    $"Personas:ApiKeys entry {i + 1} is not 'key=owner' with a key without spaces and an owner of letters, digits, '-', '_', '.' or '@'.");
            if (key.Length < RecommendedKeyLength) weak++;
            if (!ring.TryAdd(Hash(key), owner))
                throw new InvalidOperationException($"Personas:ApiKeys entry {i + 1} repeats a key.");
        }
        return new ApiKeyRing(ring) { ShortKeyCount = weak };
    }

    /// <summary>Keys shorter than this are accepted (handy in tests and demos) but reported at startup.</summary>
    public const int RecommendedKeyLength = 16;

    public int ShortKeyCount { get; private init; }

    /// <summary>Loads the local dev key from the data directory, creating it the first time.</summary>
    public static (ApiKeyRing Ring, string Key, string Path, bool Created) LoadOrCreateDevKey(string dataDir)
    {
        var (key, path, created) = Hosting.LocalSecret.LoadOrCreate(dataDir, "dev-api-key", "dev-", 24);
        return (Parse($"{key}={DevOwner}"), key, path, created);
    }

    public const string DevOwner = "dev";

    private static string Hash(string key) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
