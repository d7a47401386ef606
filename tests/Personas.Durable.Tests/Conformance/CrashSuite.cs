using System.Diagnostics;
using DurableTask.Core.History;
using Personas.Durable.TestWorker;
using Personas.Durable.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Personas.Durable.Tests.Conformance;

/// <summary>
/// A worker process (Personas.Durable.TestWorker) is killed (SIGKILL) every 2 to 3 s while 200 orchestrations run,
/// and restarted. Every orchestration must complete with the right output, appear in its history exactly once per
/// step, and every activity's side effect must land exactly once in a ledger outside the durable store.
/// </summary>
public abstract class CrashSuite(ITestOutputHelper output) : IDisposable
{
    private const int Instances = 200;
    private const int Kills = 6;
    private readonly TempDir _dir = new();

    protected abstract string Backend { get; }

    protected virtual void Configure(DurableSettings settings) { }

    private DurableSettings Settings()
    {
        // A fixed worker id lets each restarted process take its partitions back at once (Azure Storage).
        var settings = new DurableSettings
        {
            Backend = Backend, TaskHub = "crash", WorkerId = "crash-worker", LeaseSeconds = 5,
            VisibilityTimeoutSeconds = 5, MaxQueuePollingSeconds = 1, MaxConcurrentActivities = 20,
        };
        Configure(settings);
        return settings;
    }

    [Fact]
    public async Task Killed_worker_process_loses_no_work_and_repeats_no_step()
    {
        var ledgerPath = Path.Combine(_dir.Path, "ledger.db");
        var ledger = new Ledger(ledgerPath);
        ledger.Create();
        var dataDir = Path.Combine(_dir.Path, "data");
        Directory.CreateDirectory(dataDir);
        await using var client = await DurableHost.StartAsync(Settings(), dataDir, _ => { }, runWorker: false);
        var ids = Enumerable.Range(0, Instances).Select(i => $"crash-{i:D3}").ToList();
        foreach (var id in ids)
        {
            await client.Client.ScheduleNewOrchestrationInstanceAsync(LedgerWorkload.Orchestrator, null,
                new StartOrchestrationOptions(id));
            await client.Client.RaiseEventAsync(id, LedgerWorkload.Event, true); // buffered until it is awaited
        }

        var seed = Environment.TickCount;
        var random = new Random(seed);
        output.WriteLine($"random seed {seed}");
        var killedWhileBusy = 0;
        for (var kill = 0; kill < Kills; kill++)
        {
            using var worker = StartWorker(dataDir, ledgerPath);
            await WaitForReadyAsync(worker);
            await Task.Delay(random.Next(2000, 3000));
            worker.Kill(entireProcessTree: true);
            await worker.WaitForExitAsync();
            var completed = await CountCompletedAsync(client.Client, ids);
            if (completed < Instances) killedWhileBusy++;
            output.WriteLine($"kill {kill + 1}: {completed}/{Instances} complete, {ledger.AttemptCount()} attempts");
        }

        using (var final = StartWorker(dataDir, ledgerPath))
        {
            foreach (var id in ids)
            {
                var done = await Eventually.Completion(client.Client, id, TimeSpan.FromSeconds(120));
                Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
                Assert.Equal(LedgerWorkload.ExpectedOutput, done.ReadOutputAs<int>());
            }
            final.Kill(entireProcessTree: true);
            await final.WaitForExitAsync();
        }

        Assert.True(killedWhileBusy > 0, "no kill landed while work was in flight; the test proved nothing");
        var effects = ledger.Effects();
        output.WriteLine($"{effects.Count} effects from {ledger.AttemptCount()} attempts");
        Assert.Equal(Instances * LedgerWorkload.ValuesPerInstance.Length, effects.Count);
        foreach (var id in ids)
        {
            Assert.Equal(LedgerWorkload.ValuesPerInstance, effects.Where(e => e.InstanceId == id).Select(e => e.Value).Order());
            var history = (await History.ReadAsync(client, id))!;
            Assert.Single(history, e => e.Type == EventType.ExecutionStarted);
            Assert.Equal(4, history.Count(e => e.Type == EventType.TaskCompleted));
            Assert.Equal(4, history.Where(e => e.Type == EventType.TaskCompleted).Select(e => e.TaskScheduledId).Distinct().Count());
            Assert.Single(history, e => e.Type == EventType.SubOrchestrationInstanceCompleted);
            Assert.Single(history, e => e.Type == EventType.TimerFired);
            Assert.Single(history, e => e.Type == EventType.EventRaised);
        }
    }

    private Process StartWorker(string dataDir, string ledger)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Personas.Durable.TestWorker.dll");
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var arg in new[] { dll, dataDir, ledger }) info.ArgumentList.Add(arg);
        var settings = Settings();
        foreach (var property in typeof(DurableSettings).GetProperties())
            if (property.GetValue(settings) is { } value)
                info.Environment[$"Personas__Durable__{property.Name}"] = Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture);
        return Process.Start(info)!;
    }

    private static async Task WaitForReadyAsync(Process worker)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (await worker.StandardOutput.ReadLineAsync(cts.Token) is { } line)
            if (line == "worker ready") return;
        throw new InvalidOperationException($"The worker exited before it was ready: {await worker.StandardError.ReadToEndAsync()}");
    }

    private static async Task<int> CountCompletedAsync(DurableTaskClient client, IEnumerable<string> ids)
    {
        var count = 0;
        foreach (var id in ids)
            if ((await client.GetInstanceAsync(id))?.RuntimeStatus == OrchestrationRuntimeStatus.Completed) count++;
        return count;
    }

    public void Dispose() => _dir.Dispose();
}

/// <summary>Runs once DurableBackendFactory knows <c>sqlite</c> (being written on another branch).</summary>
public sealed class SqliteCrashSuite(ITestOutputHelper output) : CrashSuite(output)
{
    protected override string Backend => DurableBackends.Sqlite;
}

public sealed class AzureStorageCrashSuite(Azurite azurite, ITestOutputHelper output)
    : CrashSuite(output), IClassFixture<Azurite>
{
    protected override string Backend => DurableBackends.AzureStorage;

    protected override void Configure(DurableSettings settings) =>
        settings.StorageConnectionString = azurite.ConnectionString;
}
