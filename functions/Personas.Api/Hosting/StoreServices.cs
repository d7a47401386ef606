using Personas.Azure.Blobs;
using Personas.Azure.Cosmos;
using Personas.Domain.Blobs;
using Personas.Domain.Stores;
using Personas.Durable;

namespace Personas.Api.Hosting;

/// <summary>
/// Where the catalog and the blobs live: the embedded defaults (SQLite, the filesystem), or Azure's data plane
/// (Cosmos DB, Blob Storage) by setting. Each implements the same interfaces and passes the same contract tests.
/// </summary>
public static class StoreServices
{
    public const string CatalogProviderKey = "Personas:Catalog:Provider";

    public static IServiceCollection AddPersonasStores(this IServiceCollection services, IConfiguration configuration,
        PersonasSettings settings)
    {
        switch (configuration[CatalogProviderKey]?.Trim().ToLowerInvariant() ?? "sqlite")
        {
            case "sqlite":
                services.AddSingleton(_ => new SqliteCatalog(settings.DatabasePath, PersonasDataConverter.Default));
                services.AddSingleton<ICatalog>(sp => sp.GetRequiredService<SqliteCatalog>());
                services.AddSingleton<IPostCatalog>(sp => sp.GetRequiredService<SqliteCatalog>());
                services.AddSingleton<IBatchCatalog>(sp => sp.GetRequiredService<SqliteCatalog>());
                services.AddSingleton<IInstanceLedger>(sp => sp.GetRequiredService<SqliteCatalog>());
                services.AddSingleton<IAnalyticsCatalog>(sp => sp.GetRequiredService<SqliteCatalog>());
                services.AddSingleton<Domain.Chat.IChatCatalog>(sp => sp.GetRequiredService<SqliteCatalog>());
                break;
            case "cosmos":
                var cosmos = configuration.GetSection(CosmosSettings.SectionName).Get<CosmosSettings>()
                    ?? new CosmosSettings();
                services.AddPersonasCosmosCatalog(cosmos);
                break;
            case var other:
                throw new InvalidOperationException(
                    $"{CatalogProviderKey} must be 'sqlite' or 'cosmos', not '{other}'.");
        }
        var blobs = configuration.GetSection(AzureBlobSettings.SectionName).Get<AzureBlobSettings>()
            ?? new AzureBlobSettings();
        // Validates the settings either way; azure registers Blob Storage and its SAS links, filesystem nothing.
        services.AddPersonasAzureBlobs(blobs);
        if (!blobs.UsesAzure)
            services.AddSingleton<IBlobStore>(new FileSystemBlobStore(
                Path.Combine(Path.GetFullPath(settings.DataDir), "blobs")));
        return services;
    }
}
