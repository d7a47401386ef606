using Azure;
using Azure.Core;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Azure.Storage.Sas;
using Personas.Trainer.Callbacks;

namespace Personas.Trainer.Artifacts;

/// <summary>
/// Uploads a run's files to <c>{container}/{runId}/{name}</c> and returns read links for the host. With a SAS in the
/// container URL, the links carry that SAS (so it must grant read, and its expiry is the links' lifetime); without
/// one, the job's managed identity writes, and each link is a user-delegation SAS for one blob, https only, valid for
/// <c>linkLifetime</c>.
/// </summary>
public sealed class ArtifactUploader
{
    private readonly BlobContainerClient _container;
    private readonly bool _hasSas;
    private readonly TimeSpan _linkLifetime;
    private readonly TimeProvider _clock;

    /// <param name="credential">Without a SAS: the identity to write with (default: DefaultAzureCredential).</param>
    /// <param name="clientOptions">Blob client options (transport, retries, service version).</param>
    public ArtifactUploader(Uri containerUrl, TimeSpan linkLifetime, TimeProvider clock,
        TokenCredential? credential = null, BlobClientOptions? clientOptions = null)
    {
        _hasSas = new BlobUriBuilder(containerUrl).Sas?.Signature is { Length: > 0 };
        _container = _hasSas
            ? new BlobContainerClient(containerUrl, clientOptions)
            : new BlobContainerClient(containerUrl, credential ?? new DefaultAzureCredential(), clientOptions);
        _linkLifetime = linkLifetime;
        _clock = clock;
    }

    /// <exception cref="ArtifactException">Storage refused an upload or the link key.</exception>
    public async Task<IReadOnlyList<CallbackArtifact>> UploadAsync(string runId, IReadOnlyList<ArtifactFile> files,
        CancellationToken ct)
    {
        try
        {
            var key = _hasSas ? null : await DelegationKeyAsync(ct);
            var uploaded = new List<CallbackArtifact>();
            foreach (var file in files)
            {
                var blob = _container.GetBlobClient($"{runId}/{file.Name}");
                await blob.UploadAsync(file.Path, new BlobUploadOptions
                {
                    HttpHeaders = new BlobHttpHeaders { ContentType = "application/octet-stream" },
                }, ct);
                var link = key is null ? blob.Uri : ReadLink(blob, key);
                uploaded.Add(new CallbackArtifact(file.Kind, file.Name, link.ToString()));
            }
            return uploaded;
        }
        catch (RequestFailedException ex)
        {
            // Only status and code: the exception's own text may quote request details.
            throw new ArtifactException($"Blob Storage at {AgentLog.Safe(_container.Uri)} refused the upload: " +
                $"{ex.Status} {ex.ErrorCode}.", ex);
        }
        catch (AuthenticationFailedException ex)
        {
            throw new ArtifactException("No managed identity token for Blob Storage (is an identity assigned to the " +
                "job, with Storage Blob Data Contributor on the account?).", ex);
        }
    }

    private async Task<UserDelegationKey> DelegationKeyAsync(CancellationToken ct)
    {
        var now = _clock.GetUtcNow();
        var service = _container.GetParentBlobServiceClient();
        return (await service.GetUserDelegationKeyAsync(
            new BlobGetUserDelegationKeyOptions(now + _linkLifetime) { StartsOn = now.AddMinutes(-5) }, ct)).Value;
    }

    private Uri ReadLink(BlobClient blob, UserDelegationKey key)
    {
        var now = _clock.GetUtcNow();
        var sas = new BlobSasBuilder
        {
            BlobContainerName = blob.BlobContainerName, BlobName = blob.Name, Resource = "b",
            StartsOn = now.AddMinutes(-5), ExpiresOn = now + _linkLifetime, Protocol = SasProtocol.Https,
        };
        sas.SetPermissions(BlobSasPermissions.Read);
        return new BlobUriBuilder(blob.Uri) { Sas = sas.ToSasQueryParameters(key, blob.AccountName) }.ToUri();
    }
}
