using DurableTask.Core.History;
using Personas.Durable.Tests.Infrastructure;

namespace Personas.Durable.Tests.Conformance;

/// <summary>What orchestrator code can do: activities, fan-out, timers, events, retries, sub-orchestrations.</summary>
public abstract partial class ConformanceBase
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
    public async Task Fan_out_and_fan_in_with_WhenAll_completes_each_activity_once()
    {
        var host = await StartAsync(r => Echo(r).AddOrchestratorFunc<int, int>("FanOut", async (ctx, n) =>
            (await Task.WhenAll(Enumerable.Range(1, n).Select(i => ctx.CallActivityAsync<int>("Double", i)))).Sum()));
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("FanOut", 30);
        var done = await Eventually.Completion(host.Client, id);
        Assert.Equal(30 * 31, done.ReadOutputAs<int>());
        if (await History.ReadAsync(host, id) is { } history)
            Assert.Equal(30, history.Count(e => e.Type == EventType.TaskCompleted));
    }

    [Fact]
    public async Task WhenAny_returns_the_first_of_an_event_and_a_timer()
    {
        var host = await StartAsync(r => r.AddOrchestratorFunc<object?, string>("Race", async (ctx, _) =>
        {
            using var cts = new CancellationTokenSource();
            var approval = ctx.WaitForExternalEvent<string>("Approve", cts.Token);
            var deadline = ctx.CreateTimer(TimeSpan.FromSeconds(2), cts.Token);
            var winner = await Task.WhenAny(approval, deadline);
            cts.Cancel();
            return winner == approval ? $"approved by {await approval}" : "expired";
        }));
        var approved = await host.Client.ScheduleNewOrchestrationInstanceAsync("Race");
        var expired = await host.Client.ScheduleNewOrchestrationInstanceAsync("Race");
        await Eventually.Status(host.Client, approved, OrchestrationRuntimeStatus.Running);
        await host.Client.RaiseEventAsync(approved, "Approve", "ann");
        Assert.Equal("approved by ann", (await Eventually.Completion(host.Client, approved)).ReadOutputAs<string>());
        Assert.Equal("expired", (await Eventually.Completion(host.Client, expired)).ReadOutputAs<string>());
    }

    [Fact]
    public async Task Durable_timer_fires_at_its_time_and_not_before()
    {
        var host = await StartAsync(r => r.AddOrchestratorFunc<object?, double>("Sleep", async (ctx, _) =>
        {
            var start = ctx.CurrentUtcDateTime;
            await ctx.CreateTimer(TimeSpan.FromSeconds(2), CancellationToken.None);
            return (ctx.CurrentUtcDateTime - start).TotalSeconds;
        }));
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Sleep");
        Assert.True((await Eventually.Completion(host.Client, id)).ReadOutputAs<double>() >= 2);
    }

    /// <summary>An orchestrator that first waits for an activity held shut by <paramref name="gate"/>, then runs
    /// <paramref name="then"/>: events raised before the gate opens arrive before the orchestrator waits.</summary>
    protected static DurableTaskRegistry AfterGate<T>(DurableTaskRegistry r, string name, TaskCompletionSource gate,
        Func<TaskOrchestrationContext, Task<T>> then) => r
        .AddActivityFunc<object?, bool>("WaitForGate", async (_, _) => { await gate.Task; return true; })
        .AddOrchestratorFunc<object?, T>(name, async (ctx, _) =>
        {
            await ctx.CallActivityAsync<bool>("WaitForGate");
            return await then(ctx);
        });

    [Fact]
    public async Task Events_raised_before_the_orchestrator_waits_are_buffered_and_handed_out_in_order()
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
        var host = await StartAsync(r => r.AddOrchestratorFunc<object?, string>("Patient", async (ctx, _) =>
        {
            try { return await ctx.WaitForExternalEvent<string>("Reply", TimeSpan.FromSeconds(1)); }
            catch (TaskCanceledException) { return "timed out"; }
        }));
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Patient");
        Assert.Equal("timed out", (await Eventually.Completion(host.Client, id)).ReadOutputAs<string>());
    }

    [Fact]
    public async Task Retry_policy_retries_a_failing_activity_until_it_succeeds()
    {
        var attempts = 0;
        var host = await StartAsync(r => r
            .AddActivityFunc<object?, string>("Flaky", (_, _) =>
                Interlocked.Increment(ref attempts) < 3
                    ? throw new InvalidOperationException("not yet")
                    : Task.FromResult("ok"))
            .AddOrchestratorFunc<object?, string>("Retrying", (ctx, _) => ctx.CallActivityAsync<string>("Flaky", null,
                TaskOptions.FromRetryPolicy(new RetryPolicy(5, TimeSpan.FromMilliseconds(100), 2)))));
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Retrying");
        var done = await Eventually.Completion(host.Client, id);
        Assert.Equal("ok", done.ReadOutputAs<string>());
        Assert.Equal(3, attempts);
        if (await History.ReadAsync(host, id) is { } history)
            Assert.Equal(3, history.Count(e => e.Type == EventType.TaskScheduled));
    }

    [Fact]
    public async Task Retry_policy_does_not_retry_failures_its_HandleFailure_rejects()
    {
        var attempts = 0;
        var host = await StartAsync(r => r
            .AddActivityFunc("Broken", (Func<TaskActivityContext, object?, Task<string>>)((_, _) =>
            {
                Interlocked.Increment(ref attempts);
                throw new ArgumentException("bad input");
            }))
            .AddOrchestratorFunc<object?, string>("Picky", (ctx, _) => ctx.CallActivityAsync<string>("Broken", null,
                TaskOptions.FromRetryPolicy(new RetryPolicy(5, TimeSpan.FromMilliseconds(50))
                {
                    HandleFailure = f => !f.IsCausedBy<ArgumentException>(),
                }))));
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Picky");
        var done = await Eventually.Completion(host.Client, id);
        Assert.Equal(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        Assert.Equal(1, attempts);
        Assert.Contains("bad input", done.FailureDetails!.ErrorMessage);
    }

    [Fact]
    public async Task Sub_orchestration_result_and_failure_reach_the_parent()
    {
        var host = await StartAsync(r => Echo(r)
            .AddOrchestratorFunc<int, int>("Child", async (ctx, x) =>
                x < 0 ? throw new InvalidOperationException("negative") : await ctx.CallActivityAsync<int>("Double", x))
            .AddOrchestratorFunc<object?, string>("Parent", async (ctx, _) =>
            {
                var ok = await ctx.CallSubOrchestratorAsync<int>("Child", 21,
                    new SubOrchestrationOptions { InstanceId = ctx.InstanceId + "-child" });
                try
                {
                    await ctx.CallSubOrchestratorAsync<int>("Child", -1);
                    return "no failure";
                }
                catch (TaskFailedException ex) { return $"{ok}; {ex.TaskName}: {ex.FailureDetails.ErrorMessage}"; }
            }));
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Parent", null, new StartOrchestrationOptions(
            "p1") { Tags = new Dictionary<string, string> { ["owner"] = "ann" } });
        var done = await Eventually.Completion(host.Client, id);
        Assert.Equal("42; Child: negative", done.ReadOutputAs<string>());
        var child = await host.Client.GetInstanceAsync("p1-child");
        Assert.Equal(OrchestrationRuntimeStatus.Completed, child!.RuntimeStatus);
    }

    [Fact]
    public async Task ContinueAsNew_restarts_with_fresh_history_and_carries_unprocessed_events()
    {
        var host = await StartAsync(r => r.AddOrchestratorFunc<int, int>("Counter", async (ctx, n) =>
        {
            if (n == 0) await ctx.WaitForExternalEvent<bool>("Kick"); // the second Kick is still buffered then
            if (n < 3)
            {
                ctx.ContinueAsNew(n + 1, preserveUnprocessedEvents: true);
                return -1;
            }
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
        if (await History.ReadAsync(host, id) is { } history)
            Assert.Single(history, e => e.Type == EventType.ExecutionStarted);
    }

    [Fact]
    public async Task Custom_status_is_visible_to_clients_while_running()
    {
        var host = await StartAsync(r => r.AddOrchestratorFunc<object?, bool>("Progress", async (ctx, _) =>
        {
            ctx.SetCustomStatus(new { Step = "waiting", Percent = 40 });
            return await ctx.WaitForExternalEvent<bool>("Done");
        }));
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Progress");
        var running = await Eventually.Get(() => host.Client.GetInstanceAsync(id, getInputsAndOutputs: true),
            m => m?.SerializedCustomStatus is not null, what: "a custom status");
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
        var host = await StartAsync(r => r.AddOrchestratorFunc("Throws",
            (Func<TaskOrchestrationContext, object?, Task<int>>)((_, _) =>
                throw new InvalidOperationException("boom"))));
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Throws");
        var done = await Eventually.Completion(host.Client, id);
        Assert.Equal(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        Assert.Equal("boom", done.FailureDetails!.ErrorMessage);
        Assert.Equal(typeof(InvalidOperationException).FullName, done.FailureDetails.ErrorType);
    }

    [Fact]
    public async Task Activity_that_always_throws_fails_its_orchestration_with_the_error_after_its_retries()
    {
        var attempts = 0;
        var host = await StartAsync(r => r
            .AddActivityFunc("ChargeCard", (Func<TaskActivityContext, object?, Task<int>>)((_, _) =>
            {
                Interlocked.Increment(ref attempts);
                throw new InvalidOperationException("card declined");
            }))
            .AddOrchestratorFunc<object?, int>("Checkout", (ctx, _) => ctx.CallActivityAsync<int>("ChargeCard", null,
                TaskOptions.FromRetryPolicy(new RetryPolicy(3, TimeSpan.FromMilliseconds(50))))));
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Checkout");
        var done = await Eventually.Completion(host.Client, id);
        Assert.Equal(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        Assert.Contains("ChargeCard", done.FailureDetails!.ErrorMessage);
        Assert.Equal(typeof(InvalidOperationException).FullName, done.FailureDetails.InnerFailure!.ErrorType);
        Assert.Equal(3, attempts);
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
