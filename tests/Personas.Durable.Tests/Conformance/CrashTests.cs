using System.Diagnostics;
using Personas.Durable.Sqlite;
using Personas.Durable.TestWorker;
using Personas.Durable.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Personas.Durable.Tests.Conformance;

/// <summary>
/// A real worker process is killed (Process.Kill) at random points while 50 orchestrations run, and restarted.
/// Every orchestration must complete with the right output, and every activity's side effect must land exactly once
/// in a ledger outside the durable store.
/// </summary>
public sealed class CrashTests(SqliteTempFiles files, ITestOutputHelper output) : IClassFixture<SqliteTempFiles>
{
    private const int Instances = 50;
    private const int Kills = 6;

    [Fact]
    public async Task Killed_worker_process_loses_no_work_and_repeats_no_effect()
    {
        var database = files.NewDatabase();
        var ledgerPath = files.NewDatabase();
        var ledger = new Ledger(ledgerPath);
        ledger.Create();
        using var store = new SqliteOrchestrationStore(database);
        await using var client = await WorkerHost.StartAsync(store, TimeProvider.System, r => LedgerWorkload.Register(r, ledger), runWorker: false);
        var ids = new List<string>();
        for (var i = 0; i < Instances; i++)
            ids.Add(await client.Client.ScheduleNewOrchestrationInstanceAsync(LedgerWorkload.Orchestrator, null, new StartOrchestrationOptions($"crash-{i:D2}")));

        var seed = Environment.TickCount;
        var random = new Random(seed);
        output.WriteLine($"random seed {seed}");
        var killedWhileBusy = 0;
        for (var kill = 0; kill < Kills; kill++)
        {
            using var worker = StartWorker(database, ledgerPath);
            await WaitForReadyAsync(worker);
            await Task.Delay(random.Next(100, 1500)); // the random point to kill at; leases are 2 s, so some restarts wait for them
            worker.Kill(entireProcessTree: true);
            await worker.WaitForExitAsync();
            var completed = await CountCompletedAsync(client.Client, ids);
            if (completed < Instances) killedWhileBusy++;
            output.WriteLine($"kill {kill + 1}: {completed}/{Instances} complete, {ledger.AttemptCount()} activity attempts so far");
        }

        using (var final = StartWorker(database, ledgerPath))
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
            Assert.Equal(LedgerWorkload.ValuesPerInstance, effects.Where(e => e.InstanceId == id).Select(e => e.Value).Order());
    }

    private static Process StartWorker(string database, string ledger)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Personas.Durable.TestWorker.dll");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { dll, database, ledger }) info.ArgumentList.Add(arg);
        return Process.Start(info)!;
    }

    private static async Task WaitForReadyAsync(Process worker)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (await worker.StandardOutput.ReadLineAsync(cts.Token) is { } line)
            if (line == "worker ready") return;
        throw new InvalidOperationException($"The worker exited before it was ready: {await worker.StandardError.ReadToEndAsync()}");
    }

    private static async Task<int> CountCompletedAsync(DurableTaskClient client, IEnumerable<string> ids)
    {
        var count = 0;
        foreach (var id in ids)
            if ((await client.GetInstanceAsync(id))!.RuntimeStatus == OrchestrationRuntimeStatus.Completed) count++;
        return count;
    }
}
