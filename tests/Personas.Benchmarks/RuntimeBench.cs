using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Personas.Durable;

namespace Personas.Benchmarks;

/// <summary>
/// The durable runtime through Microsoft.DurableTask on each backend, side by side: chain throughput, a fan-out of
/// 1,000 and event latency. Every figure comes from one run of the SDK worker and client over our sidecar.
/// </summary>
internal static class RuntimeBench
{
    public static async Task<int> RunAsync(string[] backends)
    {
        if (backends.Length == 0) backends = [DurableBackends.Sqlite, DurableBackends.AzureStorage];
        Console.WriteLine($"# {Environment.ProcessorCount} cores, .NET {Environment.Version}, " +
            $"{DateTime.UtcNow:yyyy-MM-dd}, " +
            "one host, Microsoft.DurableTask worker and client over the in-process sidecar");
        foreach (var backend in backends)
        {
            // Azurite's own CPU is the bottleneck there, so a smaller load gives a stable figure in reasonable time.
            var chains = backend == DurableBackends.AzureStorage ? 200 : 2000;
            Console.WriteLine($"# backend {backend}");
            await ChainThroughput(backend, instances: Math.Min(chains, 200)); // warm-up: JIT, caches, tables
            Report(backend, "chain-throughput", await SettledChainThroughput(backend, chains), "items/s");
            await FanOut(backend, 100); // warm-up
            var fanOuts = new List<double>();
            for (var i = 0; i < 3; i++) fanOuts.Add(await FanOut(backend, 1000));
            Report(backend, "fanout-1000", fanOuts.Order().ElementAt(1), "s");
            Report(backend, "event-latency-p50", await EventLatencyP50(backend, samples: 200), "ms");
        }
        return 0;
    }

    private static void Report(string backend, string name, double value, string unit) =>
        PhotoBench.Report($"{backend}-{name}", value, unit);

    /// <summary>
    /// The chain figure once the JIT has settled: full-size runs until one compiles fewer than a few hundred methods
    /// while it is measured, and that run counts. Tiered compilation re-compiles hot methods in the background
    /// (instrumented, then optimised) for tens of seconds on 2 shared cores; measured while it ran, a chain item cost
    /// 0.45-0.9 ms of CPU instead of about 0.25. A new host still compiles some code of its own each time.
    /// </summary>
    private static async Task<double> SettledChainThroughput(string backend, int instances)
    {
        const int MaxRuns = 6;
        const int SettledMethods = 300;
        var run = await ChainThroughput(backend, instances);
        for (var i = 1; i < MaxRuns && run.CompiledMethods >= SettledMethods; i++)
            run = await ChainThroughput(backend, instances);
        if (run.CompiledMethods >= SettledMethods)
            Console.WriteLine($"#   the JIT had not settled after {MaxRuns} runs: the last run counts");
        return run.ItemsPerSecond;
    }

    // Many 5-activity chains, scheduled before the worker starts; the clock runs from worker start to the last one.
    private static async Task<(double ItemsPerSecond, int CompiledMethods)> ChainThroughput(string backend,
        int instances)
    {
        await using var bench = await BenchHost.StartAsync(backend, r => r
            .AddActivityFunc<int, int>("Step", (_, x) => x + 1)
            .AddOrchestratorFunc<int, int>("Chain", async (ctx, x) =>
            {
                for (var i = 0; i < 5; i++) x = await ctx.CallActivityAsync<int>("Step", x);
                return x;
            }), startWorker: false);
        var ids = new List<string>();
        for (var i = 0; i < instances; i++)
            ids.Add(await bench.Client.ScheduleNewOrchestrationInstanceAsync("Chain", i));
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var compiled = JitInfo.GetCompiledMethodCount();
        var clock = Stopwatch.StartNew();
        await bench.StartWorkerAsync();
        foreach (var id in ids)
        {
            var done = await bench.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true);
            if (done.ReadOutputAs<int>() != done.ReadInputAs<int>() + 5)
                throw new InvalidOperationException("chain lost a step");
        }
        var seconds = clock.Elapsed.TotalSeconds;
        // CPU time per item as well: on a shared machine it moves much less with the load than wall time does.
        var cpuMs = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds;
        var compiledMethods = (int)(JitInfo.GetCompiledMethodCount() - compiled);
        var items = 0;
        foreach (var id in ids) items += await bench.WorkItemsAsync(id);
        Console.WriteLine($"#   chain: {instances} instances, {items} work items in {seconds:0.000}s, " +
            $"{cpuMs / items:0.000} ms CPU per item, {compiledMethods} methods compiled meanwhile");
        return (items / seconds, compiledMethods);
    }

    // One orchestration fanning out to n no-op activities and back in, schedule to completion.
    private static async Task<double> FanOut(string backend, int n)
    {
        await using var bench = await BenchHost.StartAsync(backend, r => r
            .AddActivityFunc<int, int>("Noop", (_, x) => x)
            .AddOrchestratorFunc<int, int>("FanOut", async (ctx, count) =>
                (await Task.WhenAll(Enumerable.Range(0, count)
                    .Select(i => ctx.CallActivityAsync<int>("Noop", i)))).Length));
        var clock = Stopwatch.StartNew();
        var id = await bench.Client.ScheduleNewOrchestrationInstanceAsync("FanOut", n);
        var done = await bench.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true);
        var seconds = clock.Elapsed.TotalSeconds;
        if (done.ReadOutputAs<int>() != n) throw new InvalidOperationException($"fan-out ended {done.RuntimeStatus}");
        Console.WriteLine($"#   fanout-{n}: {seconds:0.000}s, {await bench.WorkItemsAsync(id)} work items");
        return seconds;
    }

    // From RaiseEventAsync returning to the activity that the event unblocks starting, one event at a time.
    private static async Task<double> EventLatencyP50(string backend, int samples)
    {
        var started = new ConcurrentDictionary<int, long>();
        await using var bench = await BenchHost.StartAsync(backend, r => r
            .AddActivityFunc<int, int>("Mark", (_, i) => { started[i] = Stopwatch.GetTimestamp(); return i; })
            .AddOrchestratorFunc<int, int>("Listener", async (ctx, count) =>
            {
                for (var i = 0; i < count; i++)
                {
                    await ctx.WaitForExternalEvent<int>("ping");
                    await ctx.CallActivityAsync<int>("Mark", i);
                }
                return count;
            }));
        var id = await bench.Client.ScheduleNewOrchestrationInstanceAsync("Listener", samples);
        await bench.Client.WaitForInstanceStartAsync(id);
        var latencies = new List<double>();
        for (var i = 0; i < samples; i++)
        {
            await bench.Client.RaiseEventAsync(id, "ping", i);
            var raisedAt = Stopwatch.GetTimestamp();
            await BenchHost.WaitUntilAsync(() => started.ContainsKey(i), TimeSpan.FromSeconds(60));
            latencies.Add(Stopwatch.GetElapsedTime(raisedAt, started[i]).TotalMilliseconds);
        }
        await bench.Client.WaitForInstanceCompletionAsync(id);
        latencies.Sort();
        Console.WriteLine($"#   event latency over {samples} events: p50 {latencies[samples / 2]:0.00} ms, " +
            $"p90 {latencies[samples * 9 / 10]:0.00} ms, max {latencies[^1]:0.00} ms");
        return latencies[samples / 2];
    }
}
