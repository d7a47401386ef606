namespace Personas.Durable.TestWorker;

/// <summary>
/// The crash test's orchestration: a fan-out of three ledger writes, a durable timer, then a chain of two more.
/// Its output is the sum of what the writes returned, so a lost or doubled result shows in the output too.
/// </summary>
public static class LedgerWorkload
{
    public const string Orchestrator = "LedgerFlow";
    public const string Activity = "LedgerWrite";
    public static readonly int[] ValuesPerInstance = [1, 2, 3, 10, 20];
    public static int ExpectedOutput => ValuesPerInstance.Sum();

    public static void Register(DurableTaskRegistry registry, Ledger ledger) => registry
        .AddOrchestratorFunc<object?, int>(Orchestrator, async (ctx, _) =>
        {
            var firsts = await Task.WhenAll(ValuesPerInstance[..3].Select(v => ctx.CallActivityAsync<int>(Activity, v)));
            await ctx.CreateTimer(TimeSpan.FromMilliseconds(200), CancellationToken.None);
            var fourth = await ctx.CallActivityAsync<int>(Activity, ValuesPerInstance[3]);
            var fifth = await ctx.CallActivityAsync<int>(Activity, ValuesPerInstance[4]);
            return firsts.Sum() + fourth + fifth;
        })
        .AddActivityFunc<int, int>(Activity, async (ctx, value) =>
        {
            ledger.RecordAttempt(ctx.IdempotencyKey);
            await Task.Delay(Random.Shared.Next(5, 40), ctx.CancellationToken);
            ledger.Write(ctx.IdempotencyKey, ctx.InstanceId, value);
            return value;
        });
}
