using Azure.Storage.Blobs;
using Personas.Azure.Blobs;
using Personas.TestEmulators;
using Personas.Domain.Blobs;

namespace Personas.Azure.Tests.Blobs;

/// <summary>The Azure store against a real Azurite; each test gets a container of its own.</summary>
public sealed class AzureBlobStoreContractTests(Azurite azurite) : BlobStoreContract, IClassFixture<Azurite>
{
    private readonly AzureBlobStore _store =
        new(Clients.ServiceClient(azurite).GetBlobContainerClient(Clients.NewContainerName()));

    protected override IBlobStore Store => _store;

    [Fact]
    public async Task The_container_is_created_on_first_use()
    {
        var name = Clients.NewContainerName();
        var container = Clients.ServiceClient(azurite).GetBlobContainerClient(name);
        Assert.False((await container.ExistsAsync()).Value);

        await new AzureBlobStore(container).PutAsync("x/y.bin", new MemoryStream([1]));

        Assert.True((await container.ExistsAsync()).Value);
    }

    [Fact]
    public async Task An_invalid_path_is_refused_without_contacting_the_service()
    {
        // Nothing listens on port 9; any request would end in a connection error, not an ArgumentException.
        var nowhere = new BlobContainerClient(
            new Uri("http://127.0.0.1:9/devstoreaccount1/personas"),
            new BlobClientOptions { Retry = { MaxRetries = 0 } });
        var store = new AzureBlobStore(nowhere);

        await Assert.ThrowsAsync<ArgumentException>(() => store.PutAsync("../x", new MemoryStream([1])));
        await Assert.ThrowsAsync<ArgumentException>(() => store.OpenReadAsync("a//b"));
        await Assert.ThrowsAsync<ArgumentException>(() => store.DeleteAsync("a b"));
        await Assert.ThrowsAsync<ArgumentException>(() => store.DeletePrefixAsync("a/../b"));
    }
}
