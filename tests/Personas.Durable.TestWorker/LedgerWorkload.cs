namespace Personas.Durable.TestWorker;

/// <summary>
/// The crash suite's orchestration: a fan-out of three ledger writes, a sub-orchestration that writes one more, a
/// durable timer, an external event, then a last write. Its output is the sum of what the writes returned, so a lost
/// or doubled result shows in the output too.
/// </summary>
public static class LedgerWorkload
{
    public const string Orchestrator = "LedgerFlow";
    public const string Child = "LedgerChild";
    public const string Activity = "LedgerWrite";
    public const string Event = "Go";
    public static readonly int[] ValuesPerInstance = [1, 2, 3, 10, 20];
    public static int ExpectedOutput => ValuesPerInstance.Sum();

    /// <summary>What a worker prints once it has run its first step: the crash suite times its kill from this line,
    /// not from the process start, so each life does work however long the backend takes to start.</summary>
    public const string BusyLine = "worker busy";

    public static void Register(DurableTaskRegistry registry, Ledger ledger, Action? onFirstWork = null)
    {
        var reported = 0;
        void Working()
        {
            if (Interlocked.Exchange(ref reported, 1) == 0) onFirstWork?.Invoke();
        }
        registry
        .AddOrchestratorFunc<object?, int>(Orchestrator, async (ctx, _) =>
        {
            Working();
            var firsts = await Task.WhenAll(ValuesPerInstance[..3].Select(v => ctx.CallActivityAsync<int>(Activity, v)));
            var child = await ctx.CallSubOrchestratorAsync<int>(Child, ValuesPerInstance[3],
                new SubOrchestrationOptions { InstanceId = ctx.InstanceId + "-child" });
            await ctx.CreateTimer(TimeSpan.FromMilliseconds(300), CancellationToken.None);
            await ctx.WaitForExternalEvent<bool>(Event);
            var last = await ctx.CallActivityAsync<int>(Activity, ValuesPerInstance[4]);
            return firsts.Sum() + child + last;
        })
        .AddOrchestratorFunc<int, int>(Child, (ctx, value) => ctx.CallActivityAsync<int>(Activity, value))
        .AddActivityFunc<int, int>(Activity, async (ctx, value) =>
        {
            Working();
            // The key a real activity would make idempotent: one per instance and step.
            var key = $"{ctx.InstanceId.Replace("-child", "")}:{value}";
            ledger.RecordAttempt(key);
            await Task.Delay(Random.Shared.Next(5, 40));
            ledger.Write(key, ctx.InstanceId.Replace("-child", ""), value);
            return value;
        });
    }
}
