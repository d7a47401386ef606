using Microsoft.Extensions.DependencyInjection;
using Personas.Azure.Blobs;
using Personas.TestEmulators;
using Personas.Domain.Blobs;

namespace Personas.Azure.Tests.Blobs;

public sealed class AzureBlobRegistrationTests(Azurite azurite) : IClassFixture<Azurite>
{
    [Fact]
    public void The_filesystem_provider_registers_nothing()
    {
        var services = new ServiceCollection();

        services.AddPersonasAzureBlobs(new AzureBlobSettings());

        Assert.Empty(services);
    }

    [Fact]
    public void Invalid_settings_fail_at_registration()
    {
        var services = new ServiceCollection();

        Assert.Throws<InvalidOperationException>(
            () => services.AddPersonasAzureBlobs(new AzureBlobSettings { Provider = "azure" }));
    }

    [Fact]
    public async Task The_azure_provider_replaces_the_blob_store_and_adds_links_that_read_it()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IBlobStore>(new FileSystemBlobStore(Path.GetTempPath()));
        var settings = Clients.ConnectionStringSettings(azurite, Clients.NewContainerName());

        await using var provider = services.AddPersonasAzureBlobs(settings).BuildServiceProvider();
        var store = provider.GetRequiredService<IBlobStore>();
        await store.PutAsync("registered/blob.bin", new MemoryStream([5, 6]));
        var link = provider.GetRequiredService<BlobSasLinks>().Blob("registered/blob.bin", TimeSpan.FromMinutes(5));
        using var http = new HttpClient();

        Assert.IsType<AzureBlobStore>(store);
        Assert.Single(services, d => d.ServiceType == typeof(IBlobStore));
        Assert.Equal([5, 6], await http.GetByteArrayAsync(link));
    }

    [Fact]
    public void A_service_uri_without_a_credential_builds_a_keyless_client()
    {
        var settings = new AzureBlobSettings
        {
            Provider = "azure", ServiceUri = "https://acct.blob.core.windows.net",
            ManagedIdentityClientId = "0b7c3f3e-2a56-4a6d-9b1e-2f3f6f1f4c11",
        };

        var client = AzureBlobServiceCollectionExtensions.CreateServiceClient(settings);

        // No request is made here; without an account key the client signs nothing itself.
        Assert.Equal("acct", client.AccountName);
        Assert.False(client.CanGenerateAccountSasUri);
    }
}
