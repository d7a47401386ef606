using System.Collections.Concurrent;
using DurableTask.Core.History;
using Personas.Durable.Hosting;
using Personas.Durable.Tests.Infrastructure;

namespace Personas.Durable.Tests.Conformance;

/// <summary>Scenarios that hung or ran work twice on the engine this SDK replaced (issue 12), one test each.</summary>
public abstract partial class ConformanceBase
{
    /// <summary>The memory backend loses everything when its host stops, so restart scenarios skip it.</summary>
    protected bool Persistent => Backend != DurableBackends.Memory;

    [Fact]
    public async Task Wait_with_timeout_then_ContinueAsNew_keeps_going_for_five_generations()
    {
        var host = await StartAsync(r => r.AddOrchestratorFunc<int, string>("Loop", async (ctx, generation) =>
        {
            string got;
            try { got = await ctx.WaitForExternalEvent<string>("Tick", TimeSpan.FromMilliseconds(300)); }
            catch (TaskCanceledException) { got = "-"; }
            if (generation < 5)
            {
                ctx.ContinueAsNew(generation + 1);
                return "";
            }
            return $"{generation}{got}";
        }));
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Loop", 1);
        Assert.Equal("5-", (await Eventually.Completion(host.Client, id)).ReadOutputAs<string>());
    }

    [Fact]
    public async Task Sub_orchestration_with_an_explicit_id_and_a_retry_policy_is_created_again_on_each_attempt()
    {
        var attempts = 0;
        var host = await StartAsync(r => r
            .AddOrchestratorFunc<object?, int>("Shaky", (_, _) => Interlocked.Increment(ref attempts) < 3
                ? throw new InvalidOperationException("not yet") : Task.FromResult(attempts))
            .AddOrchestratorFunc<object?, int>("Parent", (ctx, _) => ctx.CallSubOrchestratorAsync<int>("Shaky", null,
                new SubOrchestrationOptions(
                    TaskOptions.FromRetryPolicy(new RetryPolicy(4, TimeSpan.FromMilliseconds(100))),
                    ctx.InstanceId + "-child"))));
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Parent");
        var done = await Eventually.Completion(host.Client, id);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(3, done.ReadOutputAs<int>());
        Assert.Equal(OrchestrationRuntimeStatus.Completed,
            (await host.Client.GetInstanceAsync(id + "-child"))!.RuntimeStatus);
    }

    [Fact]
    public async Task Sub_orchestration_whose_id_is_taken_by_a_running_instance_fails_the_parent_clearly()
    {
        var host = await StartAsync(r => r
            .AddOrchestratorFunc<object?, string>("Busy",
                async (ctx, _) => await ctx.WaitForExternalEvent<string>("Go"))
            .AddOrchestratorFunc<object?, string>("Parent", async (ctx, _) =>
            {
                try
                {
                    return await ctx.CallSubOrchestratorAsync<string>("Busy", null,
                        new SubOrchestrationOptions { InstanceId = "taken" });
                }
                catch (TaskFailedException ex) { return $"failed: {ex.FailureDetails.ErrorMessage}"; }
            }));
        await host.Client.ScheduleNewOrchestrationInstanceAsync("Busy", null, new StartOrchestrationOptions("taken"));
        await Eventually.Status(host.Client, "taken", OrchestrationRuntimeStatus.Running);
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Parent");
        var done = await Eventually.Completion(host.Client, id, TimeSpan.FromSeconds(30));
        Assert.StartsWith("failed: ", done.ReadOutputAs<string>());
        Assert.Contains("taken", done.ReadOutputAs<string>());
    }

    [Fact]
    public async Task Activity_that_outlives_its_lock_is_renewed_and_never_runs_twice_at_once()
    {
        if (!Persistent) return; // the memory backend never redelivers
        var running = 0;
        var overlaps = 0;
        var runs = 0;
        var host = await StartAsync(r => r
            .AddActivityFunc<object?, int>("Long", async (_, _) =>
            {
                Interlocked.Increment(ref runs);
                if (Interlocked.Increment(ref running) > 1) Interlocked.Increment(ref overlaps);
                await Task.Delay(TimeSpan.FromSeconds(LockSeconds * 2.5));
                Interlocked.Decrement(ref running);
                return 1;
            })
            .AddOrchestratorFunc<object?, int>("UsesLong", (ctx, _) => ctx.CallActivityAsync<int>("Long")));
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("UsesLong");
        var done = await Eventually.Completion(host.Client, id, TimeSpan.FromSeconds(LockSeconds * 6));
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal((0, 1), (overlaps, runs));
    }

    [Fact]
    public async Task Stopping_the_host_drains_finished_activity_results()
    {
        if (!Persistent) return;
        // The guarantee is about results the sidecar has received: the SDK's worker sends a result with its stopping
        // token, so one whose activity returned just as the stop began is never sent and runs again (docs/runtime.md).
        var runs = new ConcurrentDictionary<int, int>();
        void Register(DurableTaskRegistry r) => r
            .AddActivityFunc<int, int>("Once", (_, x) =>
            {
                runs.AddOrUpdate(x, 1, (_, n) => n + 1);
                return Task.FromResult(x);
            })
            .AddOrchestratorFunc<object?, int>("TwoSteps", async (ctx, _) =>
                await ctx.CallActivityAsync<int>("Once", 1) + await ctx.CallActivityAsync<int>("Once", 2));
        var first = await StartAsync(Register);
        var gate = Assert.IsType<SidecarGate>(first.Backend.Service);
        var received = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var id = $"drain-{Guid.NewGuid():N}";
        gate.ResultReceived += key =>
        {
            if (key == SidecarGate.ActivityKey(id, 0)) received.TrySetResult(); // the first activity's result
        };
        await first.Client.ScheduleNewOrchestrationInstanceAsync("TwoSteps", null, new StartOrchestrationOptions(id));
        await received.Task.WaitAsync(TimeSpan.FromSeconds(30));
        // The stop begins right after the sidecar took the result, while its dispatcher may not have committed it.
        await StopAsync(first);

        var second = await StartAsync(Register);
        Assert.Equal(3, (await Eventually.Completion(second.Client, id)).ReadOutputAs<int>());
        Assert.Equal(1, runs[1]);
    }

    [Fact]
    public async Task After_a_backlog_an_event_raised_before_its_deadline_wins_and_overdue_timers_fire_in_due_order()
    {
        if (!Persistent) return;
        void Register(DurableTaskRegistry r) => r
            .AddOrchestratorFunc<object?, string>("Deadline", async (ctx, _) =>
            {
                using var cts = new CancellationTokenSource();
                var reply = ctx.WaitForExternalEvent<string>("Reply", cts.Token);
                var deadline = ctx.CreateTimer(TimeSpan.FromSeconds(4), cts.Token);
                var winner = await Task.WhenAny(reply, deadline);
                cts.Cancel();
                return winner == reply ? "reply" : "deadline";
            })
            .AddOrchestratorFunc<object?, string>("Timers", async (ctx, _) =>
            {
                var order = new List<string>();
                var pending = new Dictionary<Task, string>
                {
                    [ctx.CreateTimer(TimeSpan.FromSeconds(3), CancellationToken.None)] = "c",
                    [ctx.CreateTimer(TimeSpan.FromSeconds(1), CancellationToken.None)] = "a",
                    [ctx.CreateTimer(TimeSpan.FromSeconds(2), CancellationToken.None)] = "b",
                };
                while (pending.Count > 0)
                {
                    var next = await Task.WhenAny(pending.Keys);
                    order.Add(pending[next]);
                    pending.Remove(next);
                }
                return string.Concat(order);
            });
        var first = await StartAsync(Register);
        var deadlineId = await first.Client.ScheduleNewOrchestrationInstanceAsync("Deadline");
        var timersId = await first.Client.ScheduleNewOrchestrationInstanceAsync("Timers");
        await Eventually.Status(first.Client, deadlineId, OrchestrationRuntimeStatus.Running);
        await Eventually.Status(first.Client, timersId, OrchestrationRuntimeStatus.Running);
        await StopAsync(first);

        var clientOnly = await StartAsync(Register, runWorker: false);
        // before the deadline, while no worker runs
        await clientOnly.Client.RaiseEventAsync(deadlineId, "Reply", "yes");
        await Task.Delay(TimeSpan.FromSeconds(5)); // the backlog: both the reply and the deadline are now overdue
        await StopAsync(clientOnly);

        var second = await StartAsync(Register);
        Assert.Equal("reply", (await Eventually.Completion(second.Client, deadlineId)).ReadOutputAs<string>());
        Assert.Equal("abc", (await Eventually.Completion(second.Client, timersId)).ReadOutputAs<string>());
    }

    [Fact]
    public async Task ContinueAsNew_starts_the_new_execution_on_the_version_the_SDK_gives_it()
    {
        // docs/runtime.md: the SDK keeps the instance's version across ContinueAsNew unless NewVersion is set.
        var host = await StartAsync(r => r.AddOrchestratorFunc<int, string>("Versioned", (ctx, n) =>
        {
            if (n == 0) ctx.ContinueAsNew(new ContinueAsNewOptions { NewInput = 1 });
            else if (n == 1) ctx.ContinueAsNew(new ContinueAsNewOptions { NewInput = 2, NewVersion = "2" });
            return Task.FromResult(n == 2 ? ctx.Version : "");
        }));
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Versioned", 0,
            new StartOrchestrationOptions { Version = "1" });
        Assert.Equal("2", (await Eventually.Completion(host.Client, id)).ReadOutputAs<string>());
    }

    [Fact]
    public async Task Suspend_then_resume_before_a_scheduled_start_runs_the_instance_normally()
    {
        var host = await StartAsync(r => r.AddOrchestratorFunc<object?, string>("Later",
            (_, _) => Task.FromResult("ran")));
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Later", null,
            new StartOrchestrationOptions(StartAt: DateTimeOffset.UtcNow.AddSeconds(2)));
        await host.Client.SuspendInstanceAsync(id, "hold");
        await host.Client.ResumeInstanceAsync(id, "go");
        var done = await Eventually.Completion(host.Client, id);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal("ran", done.ReadOutputAs<string>());
        if (await History.ReadAsync(host, id) is { } history)
            Assert.Single(history, e => e.Type == EventType.ExecutionStarted);
    }
}
