using System.Diagnostics;
using System.Text.Json;
using DurableTask.Core.History;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Personas.Durable;
using Personas.Durable.Hosting;

namespace Personas.Benchmarks;

/// <summary>
/// One host on a fresh backend (a new SQLite file, or a new task hub on Azurite), as a user's machine runs it.
/// </summary>
internal sealed class BenchHost : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly string _directory;

    private BenchHost(IHost host, string directory)
    {
        _host = host;
        _directory = directory;
        Client = host.Services.GetRequiredService<DurableTaskClient>();
    }

    public DurableTaskClient Client { get; }

    public static async Task<BenchHost> StartAsync(string backend, Action<DurableTaskRegistry> register,
        bool startWorker = true)
    {
        var directory = Path.Combine(Path.GetTempPath(), "personas-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var settings = new DurableSettings
        {
            Backend = backend,
            TaskHub = $"bench{Guid.NewGuid():N}"[..20],
            StorageConnectionString = Environment.GetEnvironmentVariable("Personas__Durable__StorageConnectionString"),
        };
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddPersonasDurable(settings, directory, register, runWorker: true);
        var host = builder.Build();
        var bench = new BenchHost(host, directory);
        if (startWorker) await host.StartAsync();
        else await host.Services.GetRequiredService<SidecarServer>().StartAsync(CancellationToken.None);
        return bench;
    }

    /// <summary>
    /// Starts the rest of the host (the worker); the sidecar already runs so instances could be scheduled.
    /// </summary>
    public Task StartWorkerAsync() => _host.StartAsync();

    /// <summary>
    /// Work items an instance took: one per episode (each starts with OrchestratorStarted) and one per activity.
    /// </summary>
    public async Task<int> WorkItemsAsync(string instanceId)
    {
        var backend = _host.Services.GetRequiredService<SidecarServer>().Backend;
        var history = await backend.Client.GetOrchestrationHistoryAsync(instanceId, null);
        using var events = JsonDocument.Parse(history);
        return events.RootElement.EnumerateArray().Select(TypeOf)
            .Count(t => t is EventType.OrchestratorStarted or EventType.TaskCompleted or EventType.TaskFailed);
    }

    // Backends write the event type as a number or as its name.
    private static EventType TypeOf(JsonElement e)
    {
        var type = e.GetProperty("EventType");
        return type.ValueKind == JsonValueKind.Number
            ? (EventType)type.GetInt32()
            : Enum.Parse<EventType>(type.GetString()!);
    }

    public static async Task WaitUntilAsync(Func<bool> done, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (!done())
        {
            if (clock.Elapsed > limit) throw new TimeoutException("The benchmark workload did not finish in time.");
            await Task.Delay(1);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }
}
