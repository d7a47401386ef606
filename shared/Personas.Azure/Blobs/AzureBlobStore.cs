using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Personas.Domain.Blobs;

namespace Personas.Azure.Blobs;

/// <summary>
/// Blobs in one Azure Blob Storage container. A write is one block-blob commit, so readers see the old version or the
/// new one, never a mix, and a write whose source fails commits nothing. The container is created on first use.
/// </summary>
public sealed class AzureBlobStore : IBlobStore
{
    private readonly BlobContainerClient _container;
    private readonly SemaphoreSlim _initialisation = new(1, 1);
    private volatile bool _initialised;

    public AzureBlobStore(BlobContainerClient container)
    {
        ArgumentNullException.ThrowIfNull(container);
        _container = container;
    }

    /// <summary>Creates the container if it is missing; safe to call again. Hosts may call it at start-up.</summary>
    public async Task InitializeAsync(CancellationToken ct = default)
    {
        if (_initialised) return;
        await _initialisation.WaitAsync(ct);
        try
        {
            if (_initialised) return;
            await _container.CreateIfNotExistsAsync(cancellationToken: ct);
            _initialised = true;
        }
        finally
        {
            _initialisation.Release();
        }
    }

    public async Task PutAsync(string path, Stream content, CancellationToken ct = default)
    {
        var blob = Blob(path);
        ArgumentNullException.ThrowIfNull(content);
        await InitializeAsync(ct);
        // Staged blocks stay invisible until the final commit, so a failed source leaves no blob behind.
        await blob.UploadAsync(content, overwrite: true, ct);
    }

    public async Task<Stream?> OpenReadAsync(string path, CancellationToken ct = default)
    {
        var blob = Blob(path);
        await InitializeAsync(ct);
        try
        {
            // One GET pinned to one version: a concurrent overwrite cannot splice two versions into this read.
            var download = await blob.DownloadStreamingAsync(cancellationToken: ct);
            return download.Value.Content;
        }
        catch (RequestFailedException e) when (e.ErrorCode == BlobErrorCode.BlobNotFound)
        {
            return null;
        }
    }

    public async Task<bool> DeleteAsync(string path, CancellationToken ct = default)
    {
        var blob = Blob(path);
        await InitializeAsync(ct);
        var deleted = await blob.DeleteIfExistsAsync(cancellationToken: ct);
        return deleted.Value;
    }

    public async Task<int> DeletePrefixAsync(string prefix, CancellationToken ct = default)
    {
        // The trailing slash keeps "a/b" from matching "a/bc/...", as folders do on the filesystem store.
        var folder = BlobPaths.Check(prefix) + "/";
        await InitializeAsync(ct);
        var count = 0;
        var listing = _container.GetBlobsAsync(new GetBlobsOptions { Prefix = folder }, ct);
        await foreach (var item in listing)
        {
            var deleted = await _container.GetBlobClient(item.Name).DeleteIfExistsAsync(cancellationToken: ct);
            if (deleted.Value) count++;
        }
        return count;
    }

    private BlobClient Blob(string path) => _container.GetBlobClient(BlobPaths.Check(path));
}
