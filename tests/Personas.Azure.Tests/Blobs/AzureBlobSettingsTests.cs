using Azure.Storage.Blobs;
using Personas.Azure.Blobs;

namespace Personas.Azure.Tests.Blobs;

public sealed class AzureBlobSettingsTests
{
    private const string SecretKey = "c2VjcmV0LWtleS10aGF0LW11c3Qtbm90LWxlYWs=";
    private const string KeyedConnection =
        $"DefaultEndpointsProtocol=https;AccountName=acct;AccountKey={SecretKey};EndpointSuffix=core.windows.net";

    [Fact]
    public void The_defaults_keep_the_filesystem_store_and_name_the_personas_container()
    {
        var settings = new AzureBlobSettings();

        Assert.Equal("filesystem", settings.Provider);
        Assert.Equal("personas", settings.Container);
        Assert.False(settings.UsesAzure);
        Assert.Empty(settings.Problems());
    }

    [Theory]
    [InlineData("azure", null, null, "needs exactly one of ServiceUri")]
    [InlineData("azure", "https://acct.blob.core.windows.net", KeyedConnection, "needs exactly one of ServiceUri")]
    [InlineData("azure", "http://acct.blob.core.windows.net", null, "absolute https address")]
    [InlineData("azure", "not a uri", null, "absolute https address")]
    [InlineData("s3", null, null, "use 'filesystem' or 'azure'")]
    public void Unusable_settings_say_what_is_wrong(string provider, string? uri, string? connection, string expected)
    {
        var settings = new AzureBlobSettings { Provider = provider, ServiceUri = uri, ConnectionString = connection };

        var error = Assert.Throws<InvalidOperationException>(settings.Validate);

        Assert.Contains(expected, error.Message);
        Assert.DoesNotContain(SecretKey, error.Message);
    }

    [Theory]
    [InlineData("ab")]
    [InlineData("Personas")]
    [InlineData("per--sonas")]
    [InlineData("-personas")]
    [InlineData("per_sonas")]
    public void A_container_name_that_Azure_refuses_is_refused_here(string container)
    {
        var settings = new AzureBlobSettings
        {
            Provider = "azure", ConnectionString = KeyedConnection, Container = container,
        };

        Assert.Contains(settings.Problems(), p => p.Contains("not a valid container name"));
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var settings = new AzureBlobSettings
        {
            Provider = "Azure", ServiceUri = "http://x", Container = "X", ServiceVersion = "1999-01-01",
            ManagedIdentityClientId = "not-a-guid",
        };

        Assert.Equal(4, settings.Problems().Count);
    }

    [Fact]
    public void A_pinned_service_version_reaches_the_client_options()
    {
        var settings = new AzureBlobSettings
        {
            Provider = "azure", ConnectionString = KeyedConnection, ServiceVersion = "2025-11-05",
        };

        Assert.Empty(settings.Problems());
        Assert.Equal(new BlobClientOptions(BlobClientOptions.ServiceVersion.V2025_11_05).Version,
            settings.ClientOptions().Version);
        Assert.Equal(new BlobClientOptions().Version, new AzureBlobSettings().ClientOptions().Version);
    }

    [Theory]
    [InlineData($"AccountKey={SecretKey};this is not a setting")]
    [InlineData($"DefaultEndpointsProtocol=https;AccountKey={SecretKey}")]
    public void A_malformed_connection_string_fails_without_echoing_the_key(string connection)
    {
        var settings = new AzureBlobSettings { Provider = "azure", ConnectionString = connection };

        var error = Assert.ThrowsAny<Exception>(() => AzureBlobServiceCollectionExtensions.CreateServiceClient(settings));

        Assert.DoesNotContain(SecretKey, error.ToString());
    }
}
