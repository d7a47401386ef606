using Microsoft.DurableTask;

namespace Personas.Durable.Sqlite.Tests;

/// <summary>Small orchestrations that exercise each durable feature through the SDK.</summary>
public static class Workflows
{
    public static void Register(DurableTaskRegistry r)
    {
        r.AddActivityFunc<int, int>("Inc", (_, x) => x + 1);
        r.AddOrchestratorFunc<int, int>("Chain", async (ctx, x) =>
        {
            for (var i = 0; i < 5; i++) x = await ctx.CallActivityAsync<int>("Inc", x);
            return x;
        });
        r.AddOrchestratorFunc<int, int>("FanOut", async (ctx, n) =>
        {
            var all = await Task.WhenAll(Enumerable.Range(0, n).Select(i => ctx.CallActivityAsync<int>("Inc", i)));
            return all.Sum();
        });
        r.AddOrchestratorFunc<int, string>("Timer", async (ctx, ms) =>
        {
            var before = ctx.CurrentUtcDateTime;
            await ctx.CreateTimer(TimeSpan.FromMilliseconds(ms), CancellationToken.None);
            return ctx.CurrentUtcDateTime >= before.AddMilliseconds(ms) ? "fired" : "early";
        });
        r.AddOrchestratorFunc<int, int>("Event", async (ctx, _) => await ctx.WaitForExternalEvent<int>("go"));
        r.AddOrchestratorFunc<int, int>("Parent", async (ctx, x) =>
        {
            var child = await ctx.CallSubOrchestratorAsync<int>("Chain", x);
            return child * 10;
        });
        // Waits for "tick" with a timeout, then continues as new: the loop that used to hang on timer ids.
        r.AddOrchestratorFunc<int, int>("Loop", async (ctx, generation) =>
        {
            try { await ctx.WaitForExternalEvent<int>("tick", TimeSpan.FromMilliseconds(50)); }
            catch (TaskCanceledException) { }
            if (generation >= 5) return generation;
            ctx.ContinueAsNew(generation + 1);
            return -1;
        });
        r.AddOrchestratorFunc<int, int>("Gate", async (ctx, x) =>
        {
            var a = await ctx.CallActivityAsync<int>("Inc", x);
            var b = await ctx.WaitForExternalEvent<int>("open");
            return a + b;
        });
    }
}
