using System.Text.RegularExpressions;
using Azure.Storage.Blobs;

namespace Personas.Azure.Blobs;

/// <summary>
/// Where blobs live, bound from <c>Personas:Blobs</c>. <see cref="Provider"/> <c>filesystem</c> (the default) keeps
/// the embedded store; <c>azure</c> needs either <see cref="ConnectionString"/> (Azurite, development) or
/// <see cref="ServiceUri"/> with a token credential (managed identity in Azure).
/// </summary>
public sealed partial class AzureBlobSettings
{
    public const string SectionName = "Personas:Blobs";
    public const string FileSystemProvider = "filesystem";
    public const string AzureProvider = "azure";
    public const string DefaultContainer = "personas";

    /// <summary><c>filesystem</c> (default) or <c>azure</c>.</summary>
    public string Provider { get; set; } = FileSystemProvider;

    /// <summary>The account's blob endpoint (https://account.blob.core.windows.net); used with a credential.</summary>
    public string? ServiceUri { get; set; }

    /// <summary>A storage connection string (Azurite or an account key); the alternative to ServiceUri.</summary>
    public string? ConnectionString { get; set; }

    public string Container { get; set; } = DefaultContainer;

    /// <summary>Client id of a user-assigned managed identity; empty means the system-assigned one.</summary>
    public string? ManagedIdentityClientId { get; set; }

    /// <summary>
    /// The Blob REST version to speak, e.g. <c>2025-11-05</c>; empty means the SDK's newest. Emulators lag behind the
    /// SDK (Azurite 3.35 knows up to 2025-11-05), so pinning here works with them without turning their checks off.
    /// </summary>
    public string? ServiceVersion { get; set; }

    public bool UsesAzure => string.Equals(Provider?.Trim(), AzureProvider, StringComparison.OrdinalIgnoreCase);

    /// <summary>Every problem with these settings, one sentence each; empty when they are usable.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        var provider = Provider?.Trim();
        if (!string.Equals(provider, FileSystemProvider, StringComparison.OrdinalIgnoreCase) && !UsesAzure)
        {
            problems.Add($"{SectionName}:Provider is '{Provider}'; use '{FileSystemProvider}' or '{AzureProvider}'.");
            return problems;
        }
        if (!UsesAzure) return problems;

        var hasUri = !string.IsNullOrWhiteSpace(ServiceUri);
        var hasConnection = !string.IsNullOrWhiteSpace(ConnectionString);
        if (hasUri == hasConnection)
            problems.Add($"{SectionName} with Provider 'azure' needs exactly one of ServiceUri (with a managed " +
                "identity or another token credential) or ConnectionString.");
        if (hasUri && (!Uri.TryCreate(ServiceUri, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps))
            problems.Add($"{SectionName}:ServiceUri must be an absolute https address (bearer tokens are never " +
                "sent over http).");
        if (Container is null || !ContainerName().IsMatch(Container))
            problems.Add($"{SectionName}:Container '{Container}' is not a valid container name: 3 to 63 lowercase " +
                "letters, digits and single hyphens, starting and ending with a letter or digit.");
        if (!string.IsNullOrWhiteSpace(ServiceVersion) && ParseServiceVersion(ServiceVersion) is null)
            problems.Add($"{SectionName}:ServiceVersion '{ServiceVersion}' is not a Blob service version this SDK " +
                "knows (e.g. 2025-11-05).");
        if (!string.IsNullOrWhiteSpace(ManagedIdentityClientId) && !Guid.TryParse(ManagedIdentityClientId, out _))
            problems.Add($"{SectionName}:ManagedIdentityClientId must be a client id (a GUID).");
        return problems;
    }

    /// <summary>Throws one exception listing every problem; connection strings are never echoed.</summary>
    public void Validate()
    {
        var problems = Problems();
        if (problems.Count > 0) throw new InvalidOperationException(string.Join(" ", problems));
    }

    /// <summary>Client options with the pinned service version, if any.</summary>
    public BlobClientOptions ClientOptions() =>
        ParseServiceVersion(ServiceVersion) is { } version ? new BlobClientOptions(version) : new BlobClientOptions();

    private static BlobClientOptions.ServiceVersion? ParseServiceVersion(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var name = "V" + text.Trim().Replace('-', '_');
        return Enum.TryParse<BlobClientOptions.ServiceVersion>(name, ignoreCase: false, out var version)
            && Enum.IsDefined(version) ? version : null;
    }

    [GeneratedRegex("^(?=.{3,63}\\z)[a-z0-9]+(-[a-z0-9]+)*\\z")]
    private static partial Regex ContainerName();
}
