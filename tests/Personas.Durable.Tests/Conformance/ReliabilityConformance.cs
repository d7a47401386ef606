using System.Collections.Concurrent;
using Personas.Durable.History;
using Personas.Durable.Storage;
using Personas.Durable.Tests.Infrastructure;
using Personas.Durable.Worker;

namespace Personas.Durable.Tests.Conformance;

/// <summary>What keeps working when things go wrong: leases, duplicates, poison work, code changes, several workers.</summary>
public abstract class ReliabilityConformance : ConformanceBase
{
    [Fact]
    public async Task Activity_that_always_throws_fails_its_orchestration_with_the_error_and_activity_name_after_its_retries()
    {
        var attempts = 0;
        var host = await StartAsync(r => r
            .AddActivityFunc<object?, int>("ChargeCard", (_, _) => { Interlocked.Increment(ref attempts); throw new InvalidOperationException("card declined"); })
            .AddOrchestratorFunc<object?, int>("Checkout", (ctx, _) =>
                ctx.CallActivityAsync<int>("ChargeCard", null, TaskOptions.FromRetryPolicy(new RetryPolicy(3, TimeSpan.FromMilliseconds(5))))));
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Checkout");
        var done = await Eventually.Completion(host.Client, id);
        Assert.Equal(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        Assert.Contains("ChargeCard", done.FailureDetails!.ErrorMessage);
        Assert.Contains("card declined", done.FailureDetails.ErrorMessage);
        Assert.Equal(typeof(InvalidOperationException).FullName, done.FailureDetails.InnerFailure!.ErrorType);
        Assert.Equal(3, attempts);
    }

    private const string WorkFlow = "UsesWork";

    private static Action<DurableTaskRegistry> WithWork(Func<TaskActivityContext, int, Task<int>> work) => r => r
        .AddActivityFunc("Work", work)
        .AddOrchestratorFunc<int, int>(WorkFlow, (ctx, x) => ctx.CallActivityAsync<int>("Work", x));

    /// <summary>Starts the flow on a worker that stops while "Work" runs, reporting no result, as a crash would.</summary>
    private async Task<string> StartAndCrashMidActivityAsync(IOrchestrationStore store, TimeProvider clock, int input)
    {
        var started = new TaskCompletionSource();
        var dying = await StartAsync(WithWork(async (ctx, x) =>
        {
            started.TrySetResult();
            await Task.Delay(Timeout.Infinite, ctx.CancellationToken);
            return x;
        }), clock, store);
        var id = await dying.Client.ScheduleNewOrchestrationInstanceAsync(WorkFlow, input);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(20));
        await StopAsync(dying);
        return id;
    }

    [Fact]
    public async Task Activity_whose_worker_keeps_dying_fails_after_the_delivery_limit_instead_of_looping()
    {
        var clock = new ManualTimeProvider();
        var store = CreateStore(clock);
        var id = await StartAndCrashMidActivityAsync(store, clock, 1);

        clock.Advance(TimeSpan.FromHours(1));
        var next = await StartAsync(WithWork((_, x) => Task.FromResult(x)), clock, store, o => o.MaxActivityDeliveries = 1);
        var done = await Eventually.Completion(next.Client, id);
        Assert.Equal(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        Assert.Equal("ActivityAbandoned", done.FailureDetails!.InnerFailure!.ErrorType);
        Assert.Contains("'Work'", done.FailureDetails.ErrorMessage);
    }

    [Fact]
    public async Task Activity_of_a_crashed_worker_runs_again_on_another_once_its_lease_expires()
    {
        var clock = new ManualTimeProvider();
        var store = CreateStore(clock);
        var id = await StartAndCrashMidActivityAsync(store, clock, 7);

        var next = await StartAsync(WithWork((ctx, x) => Task.FromResult(x * 10 + ctx.Attempt)), clock, store);
        Assert.Equal(OrchestrationRuntimeStatus.Running, (await next.Client.GetInstanceAsync(id))!.RuntimeStatus); // the dead worker's lease still holds
        clock.Advance(TimeSpan.FromMinutes(3));
        Assert.Equal(72, (await Eventually.Completion(next.Client, id)).ReadOutputAs<int>()); // second delivery
    }

    [Fact]
    public async Task Leases_keep_an_instance_and_an_activity_with_one_worker_and_stale_completions_are_rejected()
    {
        var clock = new ManualTimeProvider();
        var a = CreateStore(clock);
        var b = CreateStore(clock, shareWith: a);
        var client = (await StartAsync(r => Echo(r).AddOrchestratorFunc<int, int>("X", (ctx, x) => ctx.CallActivityAsync<int>("Double", x)), clock, a, runWorker: false)).Client;
        var id = await client.ScheduleNewOrchestrationInstanceAsync("X", 3);
        var lease = TimeSpan.FromMinutes(1);

        var heldByA = Assert.Single(await a.LockOrchestrationsAsync("A", 10, lease));
        Assert.Empty(await b.LockOrchestrationsAsync("B", 10, lease));
        clock.Advance(lease + TimeSpan.FromSeconds(1));
        var heldByB = Assert.Single(await b.LockOrchestrationsAsync("B", 10, lease));
        var now = clock.GetUtcNow();
        var commit = new EpisodeCommit
        {
            ConsumedMessages = heldByB.Messages, Status = OrchestrationRuntimeStatus.Running,
            NewHistory = [new(HistoryEventType.OrchestratorStarted, now), heldByB.Messages[0].Event, new(HistoryEventType.TaskScheduled, now) { TaskId = 0, Name = "Double", Data = "3" }],
            Activities = [new ActivityRequest(0, "Double", "3")],
        };
        await Assert.ThrowsAsync<LeaseLostException>(() => a.CompleteOrchestrationAsync(heldByA, commit));
        await b.CompleteOrchestrationAsync(heldByB, commit);

        var activityA = Assert.Single(await a.LockActivitiesAsync("A", 10, lease));
        Assert.Empty(await b.LockActivitiesAsync("B", 10, lease));
        clock.Advance(lease + TimeSpan.FromSeconds(1));
        var activityB = Assert.Single(await b.LockActivitiesAsync("B", 10, lease));
        Assert.Equal(2, activityB.DeliveryCount);
        var result = new HistoryEvent(HistoryEventType.TaskCompleted, now) { TaskId = 0, Data = "6" };
        Assert.Equal(0, await a.CompleteActivitiesAsync([new ActivityResult(activityA, result with { Data = "666" })])); // stale lease
        Assert.Equal(1, await b.CompleteActivitiesAsync([new ActivityResult(activityB, result)]));
        // A duplicate delivery of the same completion under another message id: history must still apply it once.
        await a.SendMessageAsync(new OrchestrationMessage("duplicate", id, heldByB.Instance.ExecutionId, result with { Data = "666" }, now));

        var worker = await StartAsync(r => Echo(r).AddOrchestratorFunc<int, int>("X", (ctx, x) => ctx.CallActivityAsync<int>("Double", x)), clock, a);
        Assert.Equal(6, (await Eventually.Completion(worker.Client, id)).ReadOutputAs<int>());
        Assert.Single(await worker.Client.GetHistoryAsync(id), e => e.Type == HistoryEventType.TaskCompleted);
    }

    [Fact]
    public async Task Changed_orchestrator_code_fails_the_in_flight_instance_with_a_clear_nondeterminism_error()
    {
        var store = CreateStore(TimeProvider.System);
        var v1 = await StartAsync(r => Echo(r).AddActivityFunc<int, int>("Triple", (_, x) => Task.FromResult(x * 3))
            .AddOrchestratorFunc<int, int>("Flow", async (ctx, x) => await ctx.CallActivityAsync<int>("Double", x) + await ctx.WaitForExternalEvent<int>("Go")), store: store);
        var id = await v1.Client.ScheduleNewOrchestrationInstanceAsync("Flow", 1);
        await Eventually.Get(() => v1.Client.GetHistoryAsync(id), h => h.Any(e => e.Type == HistoryEventType.TaskCompleted), what: "the first activity");
        await StopAsync(v1);

        var changed = await StartAsync(r => Echo(r).AddActivityFunc<int, int>("Triple", (_, x) => Task.FromResult(x * 3))
            .AddOrchestratorFunc<int, int>("Flow", async (ctx, x) => await ctx.CallActivityAsync<int>("Triple", x) + await ctx.WaitForExternalEvent<int>("Go")), store: store);
        await changed.Client.RaiseEventAsync(id, "Go", 1);
        var done = await Eventually.Completion(changed.Client, id);
        Assert.Equal(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        Assert.Equal(typeof(NonDeterministicOrchestrationException).FullName, done.FailureDetails!.ErrorType);
        Assert.Contains("'Double'", done.FailureDetails.ErrorMessage);
        Assert.Contains("'Triple'", done.FailureDetails.ErrorMessage);
    }

    [Fact]
    public async Task In_flight_instances_keep_the_orchestrator_version_they_started_on()
    {
        var store = CreateStore(TimeProvider.System);
        static Func<TaskOrchestrationContext, object?, Task<string>> Flow(string tag) => async (ctx, _) => $"{tag}:{await ctx.WaitForExternalEvent<string>("Go")}";
        var old = await StartAsync(r => r.AddOrchestratorFunc("Flow", Flow("v1"), "1"), store: store);
        var first = await old.Client.ScheduleNewOrchestrationInstanceAsync("Flow");
        await Eventually.Status(old.Client, first, OrchestrationRuntimeStatus.Running);
        await StopAsync(old);

        var upgraded = await StartAsync(r => r.AddOrchestratorFunc("Flow", Flow("v1"), "1").AddOrchestratorFunc("Flow", Flow("v2"), "2"), store: store);
        var second = await upgraded.Client.ScheduleNewOrchestrationInstanceAsync("Flow");
        await Eventually.Status(upgraded.Client, second, OrchestrationRuntimeStatus.Running);
        await upgraded.Client.RaiseEventAsync(first, "Go", "a");
        await upgraded.Client.RaiseEventAsync(second, "Go", "b");
        var firstDone = await Eventually.Completion(upgraded.Client, first);
        var secondDone = await Eventually.Completion(upgraded.Client, second);
        Assert.Equal(("v1:a", "1"), (firstDone.ReadOutputAs<string>(), firstDone.Version));
        Assert.Equal(("v2:b", "2"), (secondDone.ReadOutputAs<string>(), secondDone.Version));
    }

    [Fact]
    public async Task Two_workers_on_one_store_never_run_the_same_instance_at_once_and_finish_all_work()
    {
        var holders = new ConcurrentDictionary<string, string>();
        var first = CreateStore(TimeProvider.System);
        var a = new LockTrackingStore(first, "A", holders);
        var b = new LockTrackingStore(CreateStore(TimeProvider.System, shareWith: first), "B", holders);
        // Activities take a few milliseconds, as real ones do. Back-to-back commits from one process can starve
        // another process's SQLite writer (docs/decisions.md); that would make the no-overlap check vacuous.
        static void Register(DurableTaskRegistry r) => r
            .AddActivityFunc<int, int>("SlowDouble", async (_, x) => { await Task.Delay(5); return x * 2; })
            .AddOrchestratorFunc<int, int>("Mixed", async (ctx, x) =>
            {
                var fan = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => ctx.CallActivityAsync<int>("SlowDouble", x + i)));
                var chain = fan.Sum();
                for (var i = 0; i < 3; i++) chain = await ctx.CallActivityAsync<int>("SlowDouble", chain);
                return chain;
            });
        // Deterministic contention: B starts only once A is holding its first instance mid-commit. That instance still has
        // the earliest due messages, so B's first claim races for exactly what A holds; A commits once B has claimed.
        // One slot each also keeps either worker from starving the other's SQLite writer (docs/decisions.md).
        var aHolding = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var held = 0;
        a.BeforeCommit = async () =>
        {
            if (Interlocked.Exchange(ref held, 1) != 0) return;
            aHolding.SetResult();
            await b.FirstClaim.Task.WaitAsync(TimeSpan.FromSeconds(30));
        };
        static void OneAtATime(DurableWorkerOptions o, string id) { o.WorkerId = id; o.MaxConcurrentOrchestrations = 1; o.MaxConcurrentActivities = 1; }
        var workerA = await StartAsync(Register, store: a, configure: o => OneAtATime(o, "A"));
        var ids = new List<string>();
        for (var i = 0; i < 30; i++) ids.Add(await workerA.Client.ScheduleNewOrchestrationInstanceAsync("Mixed", i));
        await aHolding.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await StartAsync(Register, store: b, configure: o => OneAtATime(o, "B"));

        foreach (var (id, i) in ids.Select((id, i) => (id, i)))
        {
            var done = await Eventually.Completion(workerA.Client, id, TimeSpan.FromSeconds(60));
            Assert.Equal(((4 * i + 6) * 2) * 8, done.ReadOutputAs<int>());
        }
        Assert.Equal(0, a.Overlaps + b.Overlaps);
        Assert.True(a.Episodes > 0 && b.Episodes > 0, $"both workers should have run episodes (A {a.Episodes}, B {b.Episodes})");
    }

    [Fact]
    public async Task Unregistered_orchestrator_fails_with_a_clear_error()
    {
        var host = await StartAsync(r => Echo(r));
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("NoSuchFlow");
        var done = await Eventually.Completion(host.Client, id);
        Assert.Equal(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        Assert.Contains("NoSuchFlow", done.FailureDetails!.ErrorMessage);
    }
}
