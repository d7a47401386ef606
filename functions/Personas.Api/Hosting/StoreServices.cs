using Personas.Domain.Blobs;
using Personas.Domain.Stores;
using Personas.Durable;

namespace Personas.Api.Hosting;

/// <summary>Where the catalog and the blobs live: the embedded defaults (SQLite, the filesystem).</summary>
public static class StoreServices
{
    public static IServiceCollection AddPersonasStores(this IServiceCollection services, IConfiguration configuration,
        PersonasSettings settings)
    {
        services.AddSingleton(_ => new SqliteCatalog(settings.DatabasePath, PersonasDataConverter.Default));
        services.AddSingleton<ICatalog>(sp => sp.GetRequiredService<SqliteCatalog>());
        services.AddSingleton<IPostCatalog>(sp => sp.GetRequiredService<SqliteCatalog>());
        services.AddSingleton<IInstanceLedger>(sp => sp.GetRequiredService<SqliteCatalog>());
        services.AddSingleton<IBlobStore>(new FileSystemBlobStore(Path.Combine(Path.GetFullPath(settings.DataDir), "blobs")));
        return services;
    }
}
