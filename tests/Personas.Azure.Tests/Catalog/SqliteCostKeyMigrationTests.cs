using Microsoft.Data.Sqlite;
using Personas.Domain.Stores;
using Personas.Domain.Training;
using Personas.Durable;
using static Personas.Azure.Tests.Catalog.CatalogSamples;

namespace Personas.Azure.Tests.Catalog;

/// <summary>A database from before cost keys: its entries stay, and keyed entries are unique from then on.</summary>
public sealed class SqliteCostKeyMigrationTests : IDisposable
{
    private readonly string _directory =
        Path.Combine(Path.GetTempPath(), "personas-costkeys-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Initializing_an_old_database_adds_the_key_column_and_its_unique_index_and_keeps_old_entries()
    {
        Directory.CreateDirectory(_directory);
        var path = Path.Combine(_directory, "old.db");
        var old = Cost("owner-1", "persona-a", 1.5m);
        using (var connection = new SqliteConnection($"Data Source={path}"))
        {
            connection.Open();
            using var create = connection.CreateCommand();
            create.CommandText = """
                CREATE TABLE costs(seq INTEGER PRIMARY KEY AUTOINCREMENT, owner TEXT NOT NULL, persona_id TEXT NOT NULL,
                    doc TEXT NOT NULL);
                INSERT INTO costs(owner, persona_id, doc) VALUES ('owner-1', 'persona-a', $doc);
                """;
            create.Parameters.AddWithValue("$doc", PersonasDataConverter.Default.Serialize(old));
            create.ExecuteNonQuery();
        }
        var catalog = new SqliteCatalog(path, PersonasDataConverter.Default);

        await catalog.InitializeAsync();
        await catalog.InitializeAsync(); // and again, as every start does

        var key = new CostKey("train-1", "train", 0);
        Assert.True(await catalog.TryRecordPaidCallAsync(old with { Key = key }));
        Assert.False(await catalog.TryRecordPaidCallAsync(old with { Key = key }));
        Assert.Equal([null, key], (await catalog.ListCostsAsync("owner-1", "persona-a")).Select(c => c.Key));
        using var check = new SqliteConnection($"Data Source={path}");
        check.Open();
        using var index = check.CreateCommand();
        index.CommandText = "SELECT sql FROM sqlite_master WHERE name = 'ux_costs_key'";
        Assert.Contains("UNIQUE", (string)index.ExecuteScalar()!, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }
}
