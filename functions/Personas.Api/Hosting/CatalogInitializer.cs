using Personas.Domain.Stores;

namespace Personas.Api.Hosting;

/// <summary>Creates the catalog's tables or containers when the host starts, before any request or activity.</summary>
internal sealed class CatalogInitializer(ICatalog catalog) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => catalog.InitializeAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
