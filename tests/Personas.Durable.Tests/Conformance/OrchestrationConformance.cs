using Personas.Durable.History;
using Personas.Durable.Tests.Infrastructure;

namespace Personas.Durable.Tests.Conformance;

/// <summary>What orchestrator code can do: activities, fan-out, timers, events, retries, sub-orchestrations, ContinueAsNew.</summary>
public abstract class OrchestrationConformance : ConformanceBase
{
    [Fact]
    public async Task Chain_of_activities_passes_each_result_to_the_next()
    {
        var host = await StartAsync(r => Echo(r).AddOrchestratorFunc<int, int>("Chain", async (ctx, x) =>
        {
            for (var i = 0; i < 5; i++) x = await ctx.CallActivityAsync<int>("Double", x);
            return x;
        }));
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Chain", 1);
        var done = await Eventually.Completion(host.Client, id);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(32, done.ReadOutputAs<int>());
    }

    [Fact]
    public async Task Fan_out_and_fan_in_with_WhenAll()
    {
        var host = await StartAsync(r => Echo(r).AddOrchestratorFunc<int, int>("FanOut", async (ctx, n) =>
            (await Task.WhenAll(Enumerable.Range(1, n).Select(i => ctx.CallActivityAsync<int>("Double", i)))).Sum()));
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("FanOut", 50);
        var done = await Eventually.Completion(host.Client, id);
        Assert.Equal(50 * 51, done.ReadOutputAs<int>());
        var history = await host.Client.GetHistoryAsync(id);
        Assert.Equal(50, history.Count(e => e.Type == HistoryEventType.TaskCompleted));
    }

    [Fact]
    public async Task WhenAny_returns_the_first_of_an_event_and_a_timer()
    {
        var clock = new ManualTimeProvider();
        var host = await StartAsync(r => r.AddOrchestratorFunc<object?, string>("Race", async (ctx, _) =>
        {
            using var cts = new CancellationTokenSource();
            var approval = ctx.WaitForExternalEvent<string>("Approve", cts.Token);
            var deadline = ctx.CreateTimer(TimeSpan.FromDays(2), cts.Token);
            var winner = await Task.WhenAny(approval, deadline);
            cts.Cancel();
            return winner == approval ? $"approved by {approval.Result}" : "expired";
        }), clock);

        var approved = await host.Client.ScheduleNewOrchestrationInstanceAsync("Race");
        var expired = await host.Client.ScheduleNewOrchestrationInstanceAsync("Race");
        await Eventually.Status(host.Client, approved, OrchestrationRuntimeStatus.Running);
        await Eventually.Status(host.Client, expired, OrchestrationRuntimeStatus.Running);
        await host.Client.RaiseEventAsync(approved, "Approve", "ann");
        Assert.Equal("approved by ann", (await Eventually.Completion(host.Client, approved)).ReadOutputAs<string>());

        clock.Advance(TimeSpan.FromDays(2) + TimeSpan.FromSeconds(1));
        Assert.Equal("expired", (await Eventually.Completion(host.Client, expired)).ReadOutputAs<string>());
    }

    [Fact]
    public async Task Durable_timer_of_thirty_days_fires_when_the_clock_reaches_it_and_not_before()
    {
        var clock = new ManualTimeProvider();
        var host = await StartAsync(r => r.AddOrchestratorFunc<object?, DateTime>("Sleep", async (ctx, _) =>
        {
            await ctx.CreateTimer(TimeSpan.FromDays(30), CancellationToken.None);
            return ctx.CurrentUtcDateTime;
        }), clock);
        var start = clock.GetUtcNow();
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Sleep");
        await Eventually.Status(host.Client, id, OrchestrationRuntimeStatus.Running);

        clock.Advance(TimeSpan.FromDays(29));
        // A probe event makes the worker run an episode after the clock moved; the timer must not fire in it.
        await host.Client.RaiseEventAsync(id, "Probe");
        var history = await Eventually.Get(() => host.Client.GetHistoryAsync(id), h => h.Any(e => e.Type == HistoryEventType.EventRaised), what: "the probe");
        Assert.DoesNotContain(history, e => e.Type == HistoryEventType.TimerFired);
        Assert.Equal(OrchestrationRuntimeStatus.Running, (await host.Client.GetInstanceAsync(id))!.RuntimeStatus);

        clock.Advance(TimeSpan.FromDays(1));
        var done = await Eventually.Completion(host.Client, id);
        Assert.True(done.ReadOutputAs<DateTime>() >= start.UtcDateTime.AddDays(30));
    }

    /// <summary>An orchestrator that first waits for an activity held shut by <paramref name="gate"/>, then runs <paramref name="then"/>.
    /// Events raised before the gate opens arrive before the orchestrator waits for them.</summary>
    private static DurableTaskRegistry AfterGate<T>(DurableTaskRegistry r, string name, TaskCompletionSource gate, Func<TaskOrchestrationContext, Task<T>> then) => r
        .AddActivityFunc<object?, bool>("WaitForGate", async (_, _) => { await gate.Task; return true; })
        .AddOrchestratorFunc<object?, T>(name, async (ctx, _) =>
        {
            await ctx.CallActivityAsync<bool>("WaitForGate");
            return await then(ctx);
        });

    [Fact]
    public async Task Event_raised_before_the_orchestrator_waits_is_buffered_not_dropped()
    {
        var gate = new TaskCompletionSource();
        var host = await StartAsync(r => AfterGate(r, "Late", gate, ctx => ctx.WaitForExternalEvent<string>("Go")));
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Late");
        await Eventually.Status(host.Client, id, OrchestrationRuntimeStatus.Running);
        await host.Client.RaiseEventAsync(id, "Go", "early bird");
        gate.SetResult();
        Assert.Equal("early bird", (await Eventually.Completion(host.Client, id)).ReadOutputAs<string>());
    }

    [Fact]
    public async Task Buffered_events_of_one_name_are_handed_out_in_arrival_order()
    {
        var gate = new TaskCompletionSource();
        var host = await StartAsync(r => AfterGate(r, "Collect", gate, async ctx =>
        {
            var a = await ctx.WaitForExternalEvent<int>("n");
            var b = await ctx.WaitForExternalEvent<int>("N"); // event names are case-insensitive
            var c = await ctx.WaitForExternalEvent<int>("n");
            return $"{a}{b}{c}";
        }));
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Collect");
        await Eventually.Status(host.Client, id, OrchestrationRuntimeStatus.Running);
        foreach (var n in new[] { 1, 2, 3 }) await host.Client.RaiseEventAsync(id, "n", n);
        gate.SetResult();
        Assert.Equal("123", (await Eventually.Completion(host.Client, id)).ReadOutputAs<string>());
    }

    [Fact]
    public async Task WaitForExternalEvent_with_timeout_throws_TaskCanceledException_when_the_time_passes()
    {
        var clock = new ManualTimeProvider();
        var host = await StartAsync(r => r.AddOrchestratorFunc<object?, string>("Patient", async (ctx, _) =>
        {
            try { return await ctx.WaitForExternalEvent<string>("Reply", TimeSpan.FromHours(24)); }
            catch (TaskCanceledException) { return "timed out"; }
        }), clock);
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Patient");
        await Eventually.Status(host.Client, id, OrchestrationRuntimeStatus.Running);
        clock.Advance(TimeSpan.FromHours(25));
        Assert.Equal("timed out", (await Eventually.Completion(host.Client, id)).ReadOutputAs<string>());
    }

    [Fact]
    public async Task Retry_policy_retries_a_failing_activity_with_durable_backoff_until_it_succeeds()
    {
        var attempts = 0;
        var host = await StartAsync(r => r
            .AddActivityFunc<object?, string>("Flaky", (_, _) => ++attempts < 3 ? throw new InvalidOperationException("not yet") : Task.FromResult("ok"))
            .AddOrchestratorFunc<object?, string>("Retrying", (ctx, _) =>
                ctx.CallActivityAsync<string>("Flaky", null, TaskOptions.FromRetryPolicy(new RetryPolicy(5, TimeSpan.FromMilliseconds(10), 2)))));
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Retrying");
        var done = await Eventually.Completion(host.Client, id);
        Assert.Equal("ok", done.ReadOutputAs<string>());
        Assert.Equal(3, attempts);
        var history = await host.Client.GetHistoryAsync(id);
        Assert.Equal(3, history.Count(e => e.Type == HistoryEventType.TaskScheduled));
        Assert.Equal(2, history.Count(e => e.Type == HistoryEventType.TimerCreated));
    }

    [Fact]
    public async Task Retry_policy_does_not_retry_failures_its_Handle_rejects()
    {
        var attempts = 0;
        var host = await StartAsync(r => r
            .AddActivityFunc<object?, string>("Broken", (_, _) => { attempts++; throw new ArgumentException("bad input"); })
            .AddOrchestratorFunc<object?, string>("Picky", (ctx, _) =>
                ctx.CallActivityAsync<string>("Broken", null, TaskOptions.FromRetryPolicy(
                    new RetryPolicy(5, TimeSpan.FromMilliseconds(1)) { Handle = f => !f.IsCausedBy<ArgumentException>() }))));
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Picky");
        var done = await Eventually.Completion(host.Client, id);
        Assert.Equal(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        Assert.Equal(1, attempts);
    }

    [Fact]
    public async Task Sub_orchestration_result_and_failure_reach_the_parent()
    {
        var host = await StartAsync(r => Echo(r)
            .AddOrchestratorFunc<int, int>("Child", async (ctx, x) => x < 0 ? throw new InvalidOperationException("negative") : await ctx.CallActivityAsync<int>("Double", x))
            .AddOrchestratorFunc<object?, string>("Parent", async (ctx, _) =>
            {
                var ok = await ctx.CallSubOrchestratorAsync<int>("Child", 21, new SubOrchestrationOptions(InstanceId: ctx.InstanceId + "-child"));
                try { await ctx.CallSubOrchestratorAsync<int>("Child", -1); return "no failure"; }
                catch (TaskFailedException ex) { return $"{ok}; {ex.TaskName}: {ex.FailureDetails.ErrorMessage}"; }
            }));
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Parent", null, new StartOrchestrationOptions("p1", Tags: new Dictionary<string, string> { ["owner"] = "ann" }));
        var done = await Eventually.Completion(host.Client, id);
        Assert.Equal("42; Child: negative", done.ReadOutputAs<string>());
        var child = await host.Client.GetInstanceAsync("p1-child");
        Assert.Equal(OrchestrationRuntimeStatus.Completed, child!.RuntimeStatus);
        Assert.Equal("p1", child.Parent!.InstanceId);
        Assert.Equal("ann", child.Tags["owner"]); // children belong to the parent's owner
    }

    [Fact]
    public async Task ContinueAsNew_restarts_with_fresh_history_and_carries_unprocessed_events()
    {
        var host = await StartAsync(r => r.AddOrchestratorFunc<int, int>("Counter", async (ctx, n) =>
        {
            if (n == 0) await ctx.WaitForExternalEvent<bool>("Kick"); // the second Kick is still buffered when this restarts
            if (n < 3) { ctx.ContinueAsNew(n + 1); return -1; }
            return n + (await ctx.WaitForExternalEvent<bool>("Kick") ? 100 : 0);
        }));
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Counter", 0);
        await Eventually.Status(host.Client, id, OrchestrationRuntimeStatus.Running);
        await host.Client.SuspendInstanceAsync(id);
        await Eventually.Status(host.Client, id, OrchestrationRuntimeStatus.Suspended);
        await host.Client.RaiseEventAsync(id, "Kick", true);
        await host.Client.RaiseEventAsync(id, "Kick", true);
        await host.Client.ResumeInstanceAsync(id);
        var done = await Eventually.Completion(host.Client, id);
        Assert.Equal(103, done.ReadOutputAs<int>());
        var history = await host.Client.GetHistoryAsync(id);
        Assert.Equal(3, history.Single(e => e.Type == HistoryEventType.ExecutionStarted).Data is { } input ? int.Parse(input) : -1);
    }

    [Fact]
    public async Task Custom_status_is_visible_to_clients_while_running()
    {
        var host = await StartAsync(r => r.AddOrchestratorFunc<object?, bool>("Progress", async (ctx, _) =>
        {
            ctx.SetCustomStatus(new { step = "waiting", percent = 40 });
            return await ctx.WaitForExternalEvent<bool>("Done");
        }));
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Progress");
        var running = await Eventually.Get(() => host.Client.GetInstanceAsync(id), m => m?.SerializedCustomStatus is not null);
        Assert.Equal("""{"step":"waiting","percent":40}""", running!.SerializedCustomStatus);
        await host.Client.RaiseEventAsync(id, "Done", true);
        await Eventually.Completion(host.Client, id);
    }

    [Fact]
    public async Task NewGuid_and_CurrentUtcDateTime_are_the_same_on_every_replay()
    {
        var host = await StartAsync(r => r
            .AddActivityFunc<string, string>("Remember", (_, s) => Task.FromResult(s))
            .AddOrchestratorFunc<object?, bool>("Stable", async (ctx, _) =>
            {
                var first = $"{ctx.NewGuid()}@{ctx.CurrentUtcDateTime:O}";
                var echoed = await ctx.CallActivityAsync<string>("Remember", first);
                await ctx.CallActivityAsync<string>("Remember", "x"); // one more episode of replay
                return first == echoed && $"{ctx.NewGuid()}" != first[..36];
            }));
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Stable");
        Assert.True((await Eventually.Completion(host.Client, id)).ReadOutputAs<bool>());
    }

    [Fact]
    public async Task Unhandled_exception_fails_the_instance_with_its_details()
    {
        var host = await StartAsync(r => r.AddOrchestratorFunc<object?, int>("Throws", (_, _) => throw new InvalidOperationException("boom")));
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Throws");
        var done = await Eventually.Completion(host.Client, id);
        Assert.Equal(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        Assert.Equal("boom", done.FailureDetails!.ErrorMessage);
        Assert.Equal(typeof(InvalidOperationException).FullName, done.FailureDetails.ErrorType);
    }
}
