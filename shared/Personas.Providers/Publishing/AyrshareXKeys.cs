namespace Personas.Providers.Publishing;

/// <summary>
/// The API key and secret of the operator's own X developer app. Since 31 March 2026 Ayrshare refuses X operations
/// (posting, analytics, history) without them, sent as two headers on every request (docs/analytics-wire.md). They
/// are account-wide: one pair for every profile. A class, not a record, so nothing prints the secret.
/// </summary>
public sealed class AyrshareXKeys
{
    public const string KeyHeader = "X-Twitter-OAuth1-Api-Key", SecretHeader = "X-Twitter-OAuth1-Api-Secret";

    private readonly string _apiKey, _apiSecret;

    private AyrshareXKeys(string apiKey, string apiSecret) => (_apiKey, _apiSecret) = (apiKey, apiSecret);

    /// <summary>The pair, or null unless both halves are set.</summary>
    public static AyrshareXKeys? From(string? apiKey, string? apiSecret) =>
        string.IsNullOrWhiteSpace(apiKey) || string.IsNullOrWhiteSpace(apiSecret)
            ? null : new AyrshareXKeys(apiKey.Trim(), apiSecret.Trim());

    public void AddTo(HttpRequestMessage message)
    {
        message.Headers.TryAddWithoutValidation(KeyHeader, _apiKey);
        message.Headers.TryAddWithoutValidation(SecretHeader, _apiSecret);
    }

    public override string ToString() => "AyrshareXKeys (set)";
}

/// <summary>What every Ayrshare request carries beside its bearer key, for publishing and analytics alike.</summary>
public static class AyrshareHeaders
{
    /// <summary>
    /// The owner's profile (Business plan; none means the primary profile) and the operator's X keys.
    /// </summary>
    public static void Apply(HttpRequestMessage message, string? profileKey, AyrshareXKeys? xKeys)
    {
        if (!string.IsNullOrEmpty(profileKey)) message.Headers.Add("Profile-Key", profileKey);
        xKeys?.AddTo(message);
    }
}
