using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Personas.Durable;
using Personas.Durable.History;

namespace Personas.Benchmarks;

/// <summary>One worker on a fresh embedded SQLite file, as a user's machine would run it.</summary>
internal sealed class BenchHost : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly string _directory;

    private BenchHost(IHost host, string directory, string database)
    {
        _host = host;
        _directory = directory;
        Database = database;
        Client = host.Services.GetRequiredService<DurableTaskClient>();
    }

    public DurableTaskClient Client { get; }
    public string Database { get; }

    public static async Task<BenchHost> StartAsync(Action<DurableTaskRegistry> register, bool startWorker = true)
    {
        var directory = Path.Combine(Path.GetTempPath(), "personas-bench", Guid.NewGuid().ToString("N"));
        var database = Path.Combine(directory, "bench.db");
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.UseSqlite(database).AddDurableTask(register);
        var host = builder.Build();
        var bench = new BenchHost(host, directory, database);
        await host.Services.GetRequiredService<Personas.Durable.Storage.IOrchestrationStore>().InitializeAsync();
        if (startWorker) await host.StartAsync();
        return bench;
    }

    public Task StartWorkerAsync() => _host.StartAsync();

    /// <summary>Counts instances in a status straight from the file, without going through the runtime being measured.</summary>
    public long Count(OrchestrationRuntimeStatus status)
    {
        using var connection = new SqliteConnection($"Data Source={Database}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM instances WHERE status = $s";
        command.Parameters.AddWithValue("$s", (int)status);
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>Work items an instance took: one per episode (each starts with OrchestratorStarted) and one per activity result.</summary>
    public async Task<int> WorkItemsAsync(string instanceId) =>
        (await Client.GetHistoryAsync(instanceId)).Count(e => e.Type is HistoryEventType.OrchestratorStarted or HistoryEventType.TaskCompleted or HistoryEventType.TaskFailed);

    public static async Task WaitUntilAsync(Func<bool> done, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (!done())
        {
            if (clock.Elapsed > limit) throw new TimeoutException("The benchmark workload did not finish in time.");
            await Task.Delay(5);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }
}
