using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Personas.Benchmarks;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

// Usage: Personas.Benchmarks [runtime|photos|intake]
// Prints one line per figure: bench <name> <value> <unit>
var suite = args.FirstOrDefault() ?? "runtime";
if (suite == "photos") return await PhotoBench.RunAsync();
if (suite == "intake") return await IntakeBench.RunAsync();
if (suite != "runtime")
{
    Console.Error.WriteLine($"Unknown suite '{suite}'. Available: runtime, photos, intake");
    return 2;
}
Console.WriteLine($"# {Environment.ProcessorCount} cores, .NET {Environment.Version}, {DateTime.UtcNow:yyyy-MM-dd}, one worker, {BenchHost.Backend} through the SDK");
await ChainThroughput(instances: 300); // warm-up: JIT, SQLite page cache
Report("chain-throughput", await ChainThroughput(instances: 2000), "items/s");
await FanOut(100); // warm-up
var fanOuts = new List<double>();
for (var i = 0; i < 3; i++) fanOuts.Add(await FanOut(1000));
Report("fanout-1000", Median(fanOuts), "s");
Report("event-latency-p50", await EventLatencyP50(samples: 300), "ms");
return 0;

static void Report(string name, double value, string unit) => PhotoBench.Report(name, value, unit);

static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

// Many 5-activity chains; the clock runs from the first schedule to the last completion.
static async Task<double> ChainThroughput(int instances)
{
    await using var bench = await BenchHost.StartAsync(r => r
        .AddActivityFunc<int, int>("Step", (_, x) => Task.FromResult(x + 1))
        .AddOrchestratorFunc<int, int>("Chain", async (ctx, x) =>
        {
            for (var i = 0; i < 5; i++) x = await ctx.CallActivityAsync<int>("Step", x);
            return x;
        }));
    var ids = new List<string>();
    var clock = Stopwatch.StartNew();
    for (var i = 0; i < instances; i++) ids.Add(await bench.Client.ScheduleNewOrchestrationInstanceAsync("Chain", i));
    await BenchHost.WaitUntilAsync(async () => await bench.CountAsync(OrchestrationRuntimeStatus.Completed) == instances,
        TimeSpan.FromMinutes(5));
    var seconds = clock.Elapsed.TotalSeconds;
    // Without a readable history (memory), count what a 5-step chain takes: 6 episodes and 5 results.
    var items = 0;
    foreach (var id in ids) items += await bench.WorkItemsAsync(id) ?? 11;
    Console.WriteLine($"#   chain: {instances} instances, {items} work items in {seconds:0.000}s");
    return items / seconds;
}

// One orchestration fanning out to n no-op activities and back in, schedule to completion.
static async Task<double> FanOut(int n)
{
    await using var bench = await BenchHost.StartAsync(r => r
        .AddActivityFunc<int, int>("Noop", (_, x) => Task.FromResult(x))
        .AddOrchestratorFunc<int, int>("FanOut", async (ctx, count) =>
            (await Task.WhenAll(Enumerable.Range(0, count).Select(i => ctx.CallActivityAsync<int>("Noop", i)))).Length));
    var clock = Stopwatch.StartNew();
    var id = await bench.Client.ScheduleNewOrchestrationInstanceAsync("FanOut", n);
    var done = await bench.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true);
    var seconds = clock.Elapsed.TotalSeconds;
    if (done.ReadOutputAs<int>() != n) throw new InvalidOperationException("fan-out lost results");
    Console.WriteLine($"#   fanout-{n}: {seconds:0.000}s, {(await bench.WorkItemsAsync(id))?.ToString() ?? "n/a"} work items");
    return seconds;
}

// From RaiseEventAsync returning to the activity that the event unblocks starting, one event at a time.
static async Task<double> EventLatencyP50(int samples)
{
    var started = new ConcurrentDictionary<int, long>();
    await using var bench = await BenchHost.StartAsync(r => r
        .AddActivityFunc<int, int>("Mark", (_, i) => { started[i] = Stopwatch.GetTimestamp(); return Task.FromResult(i); })
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
        await BenchHost.WaitUntilAsync(() => started.ContainsKey(i), TimeSpan.FromSeconds(30));
        latencies.Add(Stopwatch.GetElapsedTime(raisedAt, started[i]).TotalMilliseconds);
    }
    await bench.Client.WaitForInstanceCompletionAsync(id);
    latencies.Sort();
    Console.WriteLine($"#   event latency over {samples} events: p50 {latencies[samples / 2]:0.00} ms, p90 {latencies[samples * 9 / 10]:0.00} ms, max {latencies[^1]:0.00} ms");
    return latencies[samples / 2];
}
