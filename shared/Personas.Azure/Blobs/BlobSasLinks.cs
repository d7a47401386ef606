using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Sas;
using Personas.Domain.Blobs;

namespace Personas.Azure.Blobs;

/// <summary>
/// Read-only SAS links to one blob each, for providers that fetch datasets: the <c>Blob(path, lifetime)</c> half of
/// <see cref="IPublicLinks"/>. With a token credential the links are user-delegation SAS (no account key anywhere);
/// with an account-key connection string they are service SAS. Lifetimes are capped at <see cref="MaxLifetime"/>.
/// </summary>
public sealed class BlobSasLinks
{
    /// <summary>The longest link issued: a day covers a training upload, and a leaked link dies soon.</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(1);

    /// <summary>How far back links and keys start, so a server clock running behind still accepts them.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    /// <summary>Delegation keys last this long; Azure allows up to 7 days.</summary>
    public static readonly TimeSpan DelegationKeyLifetime = TimeSpan.FromDays(2);

    private readonly BlobServiceClient _service;
    private readonly BlobContainerClient _container;
    private readonly TimeProvider _clock;
    private readonly bool _useDelegation;
    private readonly Lock _keyLock = new();
    private UserDelegationKey? _key;

    /// <param name="service">Has a TokenCredential (user-delegation SAS) or an account key (service SAS).</param>
    /// <param name="containerName">The container whose blobs are linked.</param>
    /// <param name="useUserDelegation">True when <paramref name="service"/> authenticates with a token.</param>
    public BlobSasLinks(BlobServiceClient service, string containerName, bool useUserDelegation, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentException.ThrowIfNullOrWhiteSpace(containerName);
        ArgumentNullException.ThrowIfNull(clock);
        _service = service;
        _container = service.GetBlobContainerClient(containerName);
        _clock = clock;
        _useDelegation = useUserDelegation;
        if (!useUserDelegation && !_container.CanGenerateSasUri)
            throw new InvalidOperationException("Blob SAS links need a token credential (user-delegation SAS) or a " +
                "connection string with an account key (service SAS); this client has neither.");
    }

    /// <summary>
    /// A link that lets its holder read <paramref name="path"/> only, until now + lifetime (at most a day). It may
    /// fetch a new delegation key first, synchronously, as the <see cref="IPublicLinks"/> contract is synchronous.
    /// </summary>
    public Uri Blob(string path, TimeSpan lifetime)
    {
        var blob = _container.GetBlobClient(BlobPaths.Check(path));
        if (lifetime <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(lifetime), lifetime, "A link's lifetime must be positive.");
        var now = _clock.GetUtcNow();
        var sas = new BlobSasBuilder(BlobSasPermissions.Read, now + Min(lifetime, MaxLifetime))
        {
            BlobContainerName = _container.Name,
            BlobName = blob.Name,
            Resource = "b",
            StartsOn = now - ClockSkew,
            Protocol = blob.Uri.Scheme == Uri.UriSchemeHttps ? SasProtocol.Https : SasProtocol.HttpsAndHttp,
        };
        if (!_useDelegation) return blob.GenerateSasUri(sas);
        var parameters = sas.ToSasQueryParameters(DelegationKey(now, sas.ExpiresOn), _service.AccountName);
        return new BlobUriBuilder(blob.Uri) { Sas = parameters }.ToUri();
    }

    /// <summary>The cached key while it outlives the link being signed; otherwise a fresh one.</summary>
    private UserDelegationKey DelegationKey(DateTimeOffset now, DateTimeOffset linkExpiresOn)
    {
        lock (_keyLock)
        {
            if (_key is not null && _key.SignedStartsOn <= now - ClockSkew && _key.SignedExpiresOn >= linkExpiresOn)
                return _key;
            var options = new BlobGetUserDelegationKeyOptions(now + DelegationKeyLifetime)
            {
                StartsOn = now - ClockSkew,
            };
            _key = _service.GetUserDelegationKey(options).Value;
            return _key;
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
