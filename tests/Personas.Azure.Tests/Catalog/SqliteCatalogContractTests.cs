using Microsoft.Data.Sqlite;
using Personas.Domain.Stores;
using Personas.Durable;

namespace Personas.Azure.Tests.Catalog;

/// <summary>The contract against today's embedded catalog: a real SQLite file in a temporary directory.</summary>
public sealed class SqliteCatalogContractTests : CatalogContractTests
{
    private readonly string _directory =
        Path.Combine(Path.GetTempPath(), "personas-catalog-" + Guid.NewGuid().ToString("N"));

    protected override Task<object> CreateStoreAsync() => Task.FromResult<object>(
        new SqliteCatalog(Path.Combine(_directory, "catalog.db"), PersonasDataConverter.Default));

    public override Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }
}
