using System.Diagnostics;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Personas.Durable;
using Personas.Durable.Hosting;

// Usage: SqliteBench [backend] — chain (200 x 5 activities), fan-out of 1,000, event latency (50 round trips).
var backend = args.Length > 0 ? args[0] : "sqlite";
var dir = Directory.CreateTempSubdirectory("personas-bench-").FullName;
var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
builder.Services.AddLogging();
builder.Services.AddPersonasDurable(new DurableSettings { Backend = backend }, dir, r =>
{
    r.AddActivityFunc<int, int>("Inc", (_, x) => x + 1);
    r.AddOrchestratorFunc<int, int>("Chain", async (ctx, x) =>
    {
        for (var i = 0; i < 5; i++) x = await ctx.CallActivityAsync<int>("Inc", x);
        return x;
    });
    r.AddOrchestratorFunc<int, int>("FanOut", async (ctx, n) =>
        (await Task.WhenAll(Enumerable.Range(0, n).Select(i => ctx.CallActivityAsync<int>("Inc", i)))).Sum());
    r.AddOrchestratorFunc<int, int>("Event", async (ctx, _) => await ctx.WaitForExternalEvent<int>("go"));
});
using var host = builder.Build();
await host.StartAsync();
var client = host.Services.GetRequiredService<DurableTaskClient>();

await Run("warm-up", 20);
for (var round = 0; round < 2; round++)
{
    var sw = Stopwatch.StartNew();
    await Run("chain", 200);
    // Work items: per instance 1 start + 5 activities + 5 orchestration episodes after results.
    Console.WriteLine($"chain 200x5: {sw.Elapsed.TotalSeconds:F2} s, {200 * 11 / sw.Elapsed.TotalSeconds:F0} work items/s");

    sw.Restart();
    var fan = await client.ScheduleNewOrchestrationInstanceAsync("FanOut", 1000);
    var done = await client.WaitForInstanceCompletionAsync(fan, true);
    Console.WriteLine($"fan-out 1000: {sw.Elapsed.TotalMilliseconds:F0} ms ({done.RuntimeStatus})");

    var latencies = new List<double>();
    for (var i = 0; i < 30; i++)
    {
        var id = await client.ScheduleNewOrchestrationInstanceAsync("Event", 0);
        await client.WaitForInstanceStartAsync(id);
        await Task.Delay(20);
        sw.Restart();
        await client.RaiseEventAsync(id, "go", 1);
        await client.WaitForInstanceCompletionAsync(id);
        latencies.Add(sw.Elapsed.TotalMilliseconds);
    }
    latencies.Sort();
    Console.WriteLine($"event raise->completed: p50 {latencies[latencies.Count / 2]:F1} ms, " +
        $"p90 {latencies[latencies.Count * 9 / 10]:F1} ms");
}
await host.StopAsync();
Directory.Delete(dir, true);

async Task Run(string what, int n)
{
    var ids = await Task.WhenAll(Enumerable.Range(0, n)
        .Select(i => client.ScheduleNewOrchestrationInstanceAsync("Chain", i)));
    await Task.WhenAll(ids.Select(id => client.WaitForInstanceCompletionAsync(id)));
}
