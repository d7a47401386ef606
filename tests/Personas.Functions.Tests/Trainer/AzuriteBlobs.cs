using Azure.Core.Pipeline;
using Azure.Storage.Blobs;
using Azure.Storage.Sas;
using Personas.TestEmulators;

namespace Personas.Functions.Tests.Trainer;

/// <summary>
/// The shared Azurite fixture with one container for a training job's artifacts. The agent builds its own Blob client
/// at the SDK's newest REST version, so Azurite skips its version check here. Over https (with <c>--oauth basic</c>,
/// as user-delegation SAS needs) clients trust Azurite's fresh certificate and nothing else.
/// </summary>
public sealed class AzuriteBlobs : IAsyncDisposable
{
    private readonly Azurite _azurite;
    private readonly HttpClient? _https;

    private AzuriteBlobs(Azurite azurite)
    {
        _azurite = azurite;
        if (azurite is AzuriteHttps secure) _https = new HttpClient(secure.Certificate.TrustingHandler());
    }

    public BlobContainerClient Artifacts { get; private set; } = null!;

    public BlobClientOptions ClientOptions() =>
        new() { Transport = _https is null ? BlobClientOptions.Default.Transport : new HttpClientTransport(_https) };

    public static async Task<AzuriteBlobs> StartAsync(bool https = false)
    {
        var blobs = new AzuriteBlobs(https ? new AzuriteHttps { SkipApiVersionCheck = true } : new Azurite { SkipApiVersionCheck = true });
        await blobs._azurite.InitializeAsync();
        blobs.Artifacts = new BlobServiceClient(blobs._azurite.ConnectionString, blobs.ClientOptions())
            .GetBlobContainerClient("training-artifacts");
        await blobs.Artifacts.CreateIfNotExistsAsync();
        return blobs;
    }

    /// <summary>What an operator hands the job: the container's URL with a SAS that may create, write and read.</summary>
    public Uri ContainerSasUrl() => Artifacts.GenerateSasUri(
        BlobContainerSasPermissions.Create | BlobContainerSasPermissions.Write | BlobContainerSasPermissions.Read,
        DateTimeOffset.UtcNow.AddHours(1));

    public async ValueTask DisposeAsync()
    {
        await _azurite.DisposeAsync();
        _https?.Dispose();
    }
}
