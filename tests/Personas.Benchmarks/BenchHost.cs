using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
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
/// One host running the workflows on Microsoft.DurableTask over a fresh backend, as a user's machine would run it:
/// PERSONAS_BENCH_BACKEND picks it (sqlite, the default, azurestorage or memory).
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

    public static string Backend { get; } =
        Environment.GetEnvironmentVariable("PERSONAS_BENCH_BACKEND") is { Length: > 0 } chosen ? chosen : DurableBackends.Sqlite;

    public static async Task<BenchHost> StartAsync(Action<DurableTaskRegistry> register)
    {
        var directory = Path.Combine(Path.GetTempPath(), "personas-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddPersonasDurable(new DurableSettings { Backend = Backend, TaskHub = $"bench{Guid.NewGuid():N}"[..20] },
            directory, register);
        var host = builder.Build();
        await host.StartAsync();
        return new BenchHost(host, directory);
    }

    /// <summary>How many instances are in <paramref name="status"/>, by the SDK's query.</summary>
    public async Task<int> CountAsync(OrchestrationRuntimeStatus status)
    {
        var count = 0;
        await foreach (var _ in Client.GetAllInstancesAsync(new OrchestrationQuery { Statuses = [status], PageSize = 1000 }))
            count++;
        return count;
    }

    /// <summary>
    /// Work items an instance took: one per episode (each starts with OrchestratorStarted) and one per activity
    /// result, read from the backend's history; null when the backend keeps none (memory).
    /// </summary>
    public async Task<int?> WorkItemsAsync(string instanceId)
    {
        string json;
        try
        {
            json = await _host.Services.GetRequiredService<SidecarServer>().Backend.Client.GetOrchestrationHistoryAsync(instanceId, null);
        }
        catch (NotImplementedException)
        {
            return null;
        }
        var counted = new[] { EventType.OrchestratorStarted, EventType.TaskCompleted, EventType.TaskFailed };
        return (JsonNode.Parse(json) as JsonArray ?? []).Count(e => e?["EventType"] is { } type
            && (type.GetValueKind() == JsonValueKind.Number
                ? counted.Contains((EventType)type.GetValue<int>())
                : Enum.TryParse<EventType>(type.ToString(), out var named) && counted.Contains(named)));
    }

    public static async Task WaitUntilAsync(Func<Task<bool>> done, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (!await done())
        {
            if (clock.Elapsed > limit) throw new TimeoutException("The benchmark workload did not finish in time.");
            await Task.Delay(5);
        }
    }

    public static Task WaitUntilAsync(Func<bool> done, TimeSpan limit) => WaitUntilAsync(() => Task.FromResult(done()), limit);

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }
}
