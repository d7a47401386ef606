using Azure.Core;
using Azure.Identity;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Personas.Domain.Stores;
using Personas.Durable;

namespace Personas.Azure.Cosmos;

public static class CosmosCatalogServiceCollectionExtensions
{
    /// <summary>The service key of the catalog's <see cref="CosmosClient"/>.</summary>
    public const string ClientKey = "Personas.Catalog";

    /// <summary>
    /// Registers <see cref="CosmosCatalog"/> (one singleton) as every catalog interface: personas, posts, the
    /// instance ledger, analytics, chat and batches. The host still calls <see cref="ICatalog.InitializeAsync"/> at
    /// startup, as for SQLite.
    /// </summary>
    /// <param name="credential">Used when <see cref="CosmosSettings.Key"/> is empty; when null too, a
    /// <see cref="DefaultAzureCredential"/> with <see cref="CosmosSettings.ManagedIdentityClientId"/>.</param>
    public static IServiceCollection AddPersonasCosmosCatalog(this IServiceCollection services,
        CosmosSettings settings, TokenCredential? credential = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        services.TryAddSingleton(TimeProvider.System);
        // Keyed, so it neither takes nor replaces a CosmosClient another component registers; the container
        // disposes it.
        services.AddKeyedSingleton(ClientKey, (_, _) => CosmosCatalogClient.Create(settings, credential));
        services.AddSingleton(sp => new CosmosCatalog(sp.GetRequiredKeyedService<CosmosClient>(ClientKey), settings,
            sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<ICatalog>(sp => sp.GetRequiredService<CosmosCatalog>());
        services.AddSingleton<IPostCatalog>(sp => sp.GetRequiredService<CosmosCatalog>());
        services.AddSingleton<IInstanceLedger>(sp => sp.GetRequiredService<CosmosCatalog>());
        services.AddSingleton<IAnalyticsCatalog>(sp => sp.GetRequiredService<CosmosCatalog>());
        services.AddSingleton<Personas.Domain.Chat.IChatCatalog>(sp => sp.GetRequiredService<CosmosCatalog>());
        services.AddSingleton<IBatchCatalog>(sp => sp.GetRequiredService<CosmosCatalog>());
        return services;
    }
}

/// <summary>Builds the <see cref="CosmosClient"/> the catalog expects: Gateway mode and our JSON serializer.</summary>
public static class CosmosCatalogClient
{
    public static CosmosClient Create(CosmosSettings settings, TokenCredential? credential = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var endpoint = settings.Validate();
        var options = new CosmosClientOptions
        {
            // Gateway works everywhere (the emulator has no Direct mode) and needs only HTTPS out.
            ConnectionMode = ConnectionMode.Gateway,
            Serializer = new CatalogJsonSerializer(PersonasDataConverter.DefaultOptions),
            ApplicationName = "personas-catalog",
        };
        if (settings.TrustEmulatorCertificate)
        {
            // Validate() allowed this for a loopback endpoint only; the emulator advertises itself as its region.
            options.LimitToEndpoint = true;
            options.ServerCertificateCustomValidationCallback = (_, _, _) => true;
        }
        if (!string.IsNullOrEmpty(settings.Key)) return new CosmosClient(endpoint.ToString(), settings.Key, options);
        credential ??= new DefaultAzureCredential(new DefaultAzureCredentialOptions
        {
            ManagedIdentityClientId = settings.ManagedIdentityClientId,
        });
        return new CosmosClient(endpoint.ToString(), credential, options);
    }
}
