using Microsoft.Extensions.DependencyInjection;
using Personas.Azure.Cosmos;
using Personas.Domain.Stores;

namespace Personas.Azure.Tests.Catalog;

public sealed class CosmosSettingsTests
{
    private const string SecretKey = "c2VjcmV0LWtleS10aGF0LW11c3Qtbm90LWxlYWs=";

    [Theory]
    [InlineData(null, "Personas:Cosmos:Endpoint")]
    [InlineData("not a url", "Personas:Cosmos:Endpoint")]
    [InlineData("ftp://127.0.0.1/", "Personas:Cosmos:Endpoint")]
    public void A_bad_endpoint_is_named_and_the_key_never_shown(string? endpoint, string named)
    {
        var settings = new CosmosSettings { Endpoint = endpoint, Key = SecretKey };

        var error = Assert.Throws<ArgumentException>(() => settings.Validate());

        Assert.Contains(named, error.Message);
        Assert.DoesNotContain(SecretKey, error.ToString());
    }

    [Fact]
    public void Trusting_the_emulator_certificate_is_refused_for_a_remote_endpoint()
    {
        var settings = new CosmosSettings
        {
            Endpoint = "https://account.documents.azure.com:443/", TrustEmulatorCertificate = true,
        };

        var error = Assert.Throws<ArgumentException>(() => settings.Validate());

        Assert.Contains("TrustEmulatorCertificate", error.Message);
    }

    [Fact]
    public void Defaults_name_the_database_and_container()
    {
        var settings = new CosmosSettings();

        Assert.Equal(("personas", "catalog"), (settings.Database, settings.Container));
    }

    [Fact]
    public void The_extension_registers_one_catalog_behind_every_catalog_interface()
    {
        var services = new ServiceCollection().AddPersonasCosmosCatalog(new CosmosSettings
        {
            Endpoint = "https://127.0.0.1:8081/", Key = SecretKey, TrustEmulatorCertificate = true,
        });
        using var provider = services.BuildServiceProvider();

        var catalog = provider.GetRequiredService<ICatalog>();

        Assert.IsType<CosmosCatalog>(catalog);
        Assert.Same(catalog, provider.GetRequiredService<IPostCatalog>());
        Assert.Same(catalog, provider.GetRequiredService<IInstanceLedger>());
        Assert.Same(catalog, provider.GetRequiredService<IAnalyticsCatalog>());
        Assert.Same(catalog, provider.GetRequiredService<Personas.Domain.Chat.IChatCatalog>());
        Assert.Same(catalog, provider.GetRequiredService<IBatchCatalog>());
    }
}
