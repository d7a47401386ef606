using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Storage.Blobs;
using Personas.Azure.Blobs;
using Personas.TestEmulators;

namespace Personas.Azure.Tests.Blobs;

/// <summary>Clients for the test emulators, built through the production settings path.</summary>
internal static class Clients
{
    public static string NewContainerName() => $"t{Guid.NewGuid():N}";

    public static AzureBlobSettings ConnectionStringSettings(Azurite azurite, string container = "personas") => new()
    {
        Provider = "azure", ConnectionString = azurite.ConnectionString, Container = container,
        ServiceVersion = Azurite.ServiceVersion,
    };

    public static BlobServiceClient ServiceClient(Azurite azurite) =>
        AzureBlobServiceCollectionExtensions.CreateServiceClient(ConnectionStringSettings(azurite));

    /// <summary>A token-authenticated client over HTTPS that trusts the emulator's certificate and no other.</summary>
    public static BlobServiceClient TokenClient(AzuriteHttps azurite, TokenCredential credential)
    {
        var settings = new AzureBlobSettings
        {
            Provider = "azure", ServiceUri = azurite.BlobEndpoint.ToString(), ServiceVersion = Azurite.ServiceVersion,
        };
        settings.Validate();
        var options = settings.ClientOptions();
        options.Transport = new HttpClientTransport(azurite.Certificate.TrustingHandler());
        return new BlobServiceClient(azurite.BlobEndpoint, credential, options);
    }
}
