using Personas.Durable.Sqlite;
using Personas.Durable.Storage;

namespace Personas.Durable.Tests.Conformance;

public sealed class SqliteTempFiles : IDisposable
{
    public SqliteTempFiles() => System.IO.Directory.CreateDirectory(Directory);

    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "personas-tests", Guid.NewGuid().ToString("N"));

    public string NewDatabase() => Path.Combine(Directory, $"{Guid.NewGuid():N}.db");

    public void Dispose()
    {
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

/// <summary>Each test gets its own SQLite file; a shared store is a second connection to the same file.</summary>
internal static class SqliteStores
{
    public static IOrchestrationStore Create(SqliteTempFiles files, TimeProvider clock, IOrchestrationStore? shareWith) =>
        new SqliteOrchestrationStore(shareWith is SqliteOrchestrationStore other ? other.DatabasePath : files.NewDatabase(), clock);
}

public sealed class SqliteOrchestrationTests(SqliteTempFiles files) : OrchestrationConformance, IClassFixture<SqliteTempFiles>
{
    protected override IOrchestrationStore CreateStore(TimeProvider clock, IOrchestrationStore? shareWith = null) => SqliteStores.Create(files, clock, shareWith);
}

public sealed class SqliteClientTests(SqliteTempFiles files) : ClientConformance, IClassFixture<SqliteTempFiles>
{
    protected override IOrchestrationStore CreateStore(TimeProvider clock, IOrchestrationStore? shareWith = null) => SqliteStores.Create(files, clock, shareWith);
}

public sealed class SqliteReliabilityTests(SqliteTempFiles files) : ReliabilityConformance, IClassFixture<SqliteTempFiles>
{
    protected override IOrchestrationStore CreateStore(TimeProvider clock, IOrchestrationStore? shareWith = null) => SqliteStores.Create(files, clock, shareWith);
}
