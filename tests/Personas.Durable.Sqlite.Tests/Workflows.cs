using System.Collections.Concurrent;
using Microsoft.DurableTask;

namespace Personas.Durable.Sqlite.Tests;

/// <summary>Small orchestrations that exercise each durable feature through the SDK.</summary>
public static class Workflows
{
    /// <summary>How often "ThrowsFirstTime" ran, by key.</summary>
    public static readonly ConcurrentDictionary<string, int> Attempts = new(StringComparer.Ordinal);

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
        // Calls a child under an explicit id; a failure to start it comes back as the task's exception.
        r.AddOrchestratorFunc<string, string>("CallsChildById", async (ctx, childId) =>
        {
            try
            {
                await ctx.CallSubOrchestratorAsync<int>("Event", 0,
                    new SubOrchestrationOptions { InstanceId = childId });
                return "started";
            }
            catch (TaskFailedException e)
            {
                return e.Message;
            }
        });
        // A child under an explicit id whose first attempt fails; the retry re-creates it under the same id.
        r.AddOrchestratorFunc<string, int>("RetriesChildById", async (ctx, key) =>
            await ctx.CallSubOrchestratorAsync<int>("FailsFirstTime", key, new SubOrchestrationOptions(
                new TaskRetryOptions(new RetryPolicy(3, TimeSpan.FromMilliseconds(100))), $"{key}-child")));
        r.AddOrchestratorFunc<string, int>("FailsFirstTime", async (ctx, key) =>
            await ctx.CallActivityAsync<int>("ThrowsFirstTime", key));
        r.AddActivityFunc<string, int>("ThrowsFirstTime", (_, key) =>
        {
            var attempt = Attempts.AddOrUpdate(key, 1, (_, n) => n + 1);
            return attempt == 1 ? throw new InvalidOperationException("first attempt fails") : attempt;
        });
        r.AddOrchestratorFunc<int, int>("Gate", async (ctx, x) =>
        {
            var a = await ctx.CallActivityAsync<int>("Inc", x);
            var b = await ctx.WaitForExternalEvent<int>("open");
            return a + b;
        });
    }
}
