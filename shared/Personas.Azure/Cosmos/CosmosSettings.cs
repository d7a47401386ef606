namespace Personas.Azure.Cosmos;

/// <summary>
/// Where the catalog lives in Cosmos DB, bound from <c>Personas:Cosmos</c>. In Azure leave <see cref="Key"/> empty:
/// the client then authenticates with the injected credential or a managed identity.
/// </summary>
public sealed class CosmosSettings
{
    public const string SectionName = "Personas:Cosmos";

    /// <summary>The account endpoint, e.g. <c>https://myaccount.documents.azure.com:443/</c>.</summary>
    public string? Endpoint { get; set; }

    /// <summary>An account key, for the emulator and development only. Never logged.</summary>
    public string? Key { get; set; }

    public string Database { get; set; } = "personas";

    public string Container { get; set; } = "catalog";

    /// <summary>The client id of a user-assigned managed identity, when no credential is injected.</summary>
    public string? ManagedIdentityClientId { get; set; }

    /// <summary>
    /// Accepts the emulator's self-signed certificate. Refused unless <see cref="Endpoint"/> is a loopback address, so
    /// it can never weaken a connection to the real service.
    /// </summary>
    public bool TrustEmulatorCertificate { get; set; }

    /// <summary>Checks the values that have no usable default; the message never contains the key.</summary>
    public Uri Validate()
    {
        if (string.IsNullOrWhiteSpace(Endpoint) || !Uri.TryCreate(Endpoint, UriKind.Absolute, out var endpoint)
            || (endpoint.Scheme != Uri.UriSchemeHttps && endpoint.Scheme != Uri.UriSchemeHttp))
            throw new ArgumentException($"{SectionName}:Endpoint must be an absolute http(s) URL.", nameof(Endpoint));
        if (string.IsNullOrWhiteSpace(Database))
            throw new ArgumentException($"{SectionName}:Database must not be empty.", nameof(Database));
        if (string.IsNullOrWhiteSpace(Container))
            throw new ArgumentException($"{SectionName}:Container must not be empty.", nameof(Container));
        if (TrustEmulatorCertificate && !endpoint.IsLoopback)
            throw new ArgumentException(
                $"{SectionName}:TrustEmulatorCertificate is only allowed for a loopback endpoint.",
                nameof(TrustEmulatorCertificate));
        return endpoint;
    }
}
