using Personas.Durable.History;
using Personas.Durable.Storage;
using Personas.Durable.Tests.Infrastructure;

namespace Personas.Durable.Tests.Conformance;

/// <summary>What a client can do: schedule idempotently, raise events, inspect, query, terminate, suspend, resume and purge.</summary>
public abstract class ClientConformance : ConformanceBase
{
    private static void Waiter(DurableTaskRegistry r) =>
        r.AddOrchestratorFunc<string, string>("Waiter", async (ctx, input) => $"{input}:{await ctx.WaitForExternalEvent<string>("Go")}");

    [Fact]
    public async Task Scheduling_an_existing_instance_id_returns_that_instance_and_changes_nothing()
    {
        var host = await StartAsync(Waiter);
        var first = await host.Client.ScheduleNewOrchestrationInstanceAsync("Waiter", "first", new StartOrchestrationOptions("same-id"));
        var second = await host.Client.ScheduleNewOrchestrationInstanceAsync("Waiter", "second", new StartOrchestrationOptions("same-id"));
        Assert.Equal(first, second);
        await Eventually.Status(host.Client, first, OrchestrationRuntimeStatus.Running);
        await host.Client.RaiseEventAsync(first, "Go", "x");
        var done = await Eventually.Completion(host.Client, first);
        Assert.Equal("first:x", done.ReadOutputAs<string>());
        var page = await host.Client.QueryInstancesAsync(new InstanceQuery { InstanceIdPrefix = "same-id" });
        Assert.Single(page.Instances);
        Assert.Single(await host.Client.GetHistoryAsync(first), e => e.Type == HistoryEventType.ExecutionStarted);
    }

    [Fact]
    public async Task Raising_an_event_on_an_unknown_or_finished_instance_is_an_error_the_caller_sees()
    {
        var host = await StartAsync(Waiter);
        await Assert.ThrowsAsync<OrchestrationNotFoundException>(() => host.Client.RaiseEventAsync("no-such-instance", "Go", "x"));
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Waiter", "a");
        await Eventually.Status(host.Client, id, OrchestrationRuntimeStatus.Running);
        await host.Client.RaiseEventAsync(id, "Go", "b");
        await Eventually.Completion(host.Client, id);
        var ex = await Assert.ThrowsAsync<OrchestrationStateException>(() => host.Client.RaiseEventAsync(id, "Go", "c"));
        Assert.Equal(OrchestrationRuntimeStatus.Completed, ex.Status);
    }

    [Fact]
    public async Task An_event_delivered_twice_with_the_same_event_id_is_applied_once()
    {
        var clock = new ManualTimeProvider();
        var host = await StartAsync(r => r.AddOrchestratorFunc<object?, int>("CountTwo", async (ctx, _) =>
        {
            await ctx.WaitForExternalEvent<string>("Ping");
            try { await ctx.WaitForExternalEvent<string>("Ping", TimeSpan.FromMinutes(5)); return 2; }
            catch (TaskCanceledException) { return 1; }
        }), clock);
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("CountTwo");
        await Eventually.Status(host.Client, id, OrchestrationRuntimeStatus.Running);
        await host.Client.RaiseEventAsync(id, "Ping", "a", eventId: "delivery-1");
        await host.Client.RaiseEventAsync(id, "Ping", "a", eventId: "delivery-1"); // while the first is still in the inbox
        await Eventually.Get(() => host.Client.GetHistoryAsync(id), h => h.Any(e => e.Type == HistoryEventType.TimerCreated), what: "the second wait");
        await host.Client.RaiseEventAsync(id, "Ping", "a", eventId: "delivery-1"); // after the first has been applied
        // A probe raised after the duplicate: once it is in history, the duplicate has been through an episode too.
        await host.Client.RaiseEventAsync(id, "Probe");
        await Eventually.Get(() => host.Client.GetHistoryAsync(id), h => h.Any(e => e.Name == "Probe"), what: "the probe");
        clock.Advance(TimeSpan.FromMinutes(6));
        Assert.Equal(1, (await Eventually.Completion(host.Client, id)).ReadOutputAs<int>());
    }

    [Fact]
    public async Task Terminate_ends_a_running_instance_and_purge_refuses_until_it_has_ended()
    {
        var host = await StartAsync(Waiter);
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Waiter", "a");
        await Eventually.Status(host.Client, id, OrchestrationRuntimeStatus.Running);

        var refused = await Assert.ThrowsAsync<OrchestrationStateException>(() => host.Client.PurgeInstanceAsync(id));
        Assert.Equal(OrchestrationRuntimeStatus.Running, refused.Status);
        Assert.NotNull(await host.Client.GetInstanceAsync(id));

        await host.Client.TerminateInstanceAsync(id, "user cancelled");
        var done = await Eventually.Completion(host.Client, id);
        Assert.Equal(OrchestrationRuntimeStatus.Terminated, done.RuntimeStatus);
        Assert.Equal("user cancelled", done.ReadOutputAs<string>());

        Assert.True(await host.Client.PurgeInstanceAsync(id));
        Assert.Null(await host.Client.GetInstanceAsync(id));
        Assert.Empty(await host.Client.GetHistoryAsync(id));
        Assert.False(await host.Client.PurgeInstanceAsync(id));
    }

    [Fact]
    public async Task Suspended_instance_holds_its_events_until_resumed()
    {
        var host = await StartAsync(Waiter);
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Waiter", "a");
        await Eventually.Status(host.Client, id, OrchestrationRuntimeStatus.Running);
        await host.Client.SuspendInstanceAsync(id, "maintenance");
        await Eventually.Status(host.Client, id, OrchestrationRuntimeStatus.Suspended);
        await host.Client.RaiseEventAsync(id, "Go", "held");
        // A second suspend is a control message the worker does process; once it has, it has seen the event and held it.
        await host.Client.SuspendInstanceAsync(id, "again");
        await Eventually.Get(() => host.Client.GetHistoryAsync(id), h => h.Count(e => e.Type == HistoryEventType.ExecutionSuspended) == 2, what: "the second suspend");
        Assert.DoesNotContain(await host.Client.GetHistoryAsync(id), e => e.Type == HistoryEventType.EventRaised);
        Assert.Equal(OrchestrationRuntimeStatus.Suspended, (await host.Client.GetInstanceAsync(id))!.RuntimeStatus);

        await host.Client.ResumeInstanceAsync(id);
        Assert.Equal("a:held", (await Eventually.Completion(host.Client, id)).ReadOutputAs<string>());
        var types = (await host.Client.GetHistoryAsync(id)).Select(e => e.Type).ToList();
        Assert.True(types.IndexOf(HistoryEventType.ExecutionSuspended) < types.IndexOf(HistoryEventType.ExecutionResumed));
    }

    [Fact]
    public async Task Status_reports_input_output_and_timestamps_and_history_is_readable_in_order()
    {
        var host = await StartAsync(r => Echo(r).AddOrchestratorFunc<int, int>("One", (ctx, x) => ctx.CallActivityAsync<int>("Double", x)));
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("One", 4);
        var done = await Eventually.Completion(host.Client, id);
        Assert.Equal(4, done.ReadInputAs<int>());
        Assert.Equal(8, done.ReadOutputAs<int>());
        Assert.True(done.CompletedAt >= done.CreatedAt);
        Assert.Equal("One", done.Name);
        var types = (await host.Client.GetHistoryAsync(id)).Select(e => e.Type).Where(t => t != HistoryEventType.OrchestratorStarted).ToList();
        Assert.Equal([HistoryEventType.ExecutionStarted, HistoryEventType.TaskScheduled, HistoryEventType.TaskCompleted, HistoryEventType.ExecutionCompleted], types);
    }

    [Fact]
    public async Task Query_filters_by_status_name_time_and_tag_and_pages_with_a_continuation_token()
    {
        var clock = new ManualTimeProvider();
        var host = await StartAsync(Waiter, clock, runWorker: false);
        var t0 = clock.GetUtcNow();
        for (var i = 0; i < 7; i++)
        {
            var owner = i % 2 == 0 ? "ann" : "bob";
            await host.Client.ScheduleNewOrchestrationInstanceAsync(i < 5 ? "Waiter" : "Other", null,
                new StartOrchestrationOptions($"q{i}", Tags: new Dictionary<string, string> { ["owner"] = owner }));
            clock.Advance(TimeSpan.FromMinutes(1));
        }

        var ann = await host.Client.QueryInstancesAsync(new InstanceQuery { Tags = new Dictionary<string, string> { ["owner"] = "ann" } });
        Assert.Equal(["q0", "q2", "q4", "q6"], ann.Instances.Select(i => i.InstanceId));

        var named = await host.Client.QueryInstancesAsync(new InstanceQuery { Name = "Other" });
        Assert.Equal(["q5", "q6"], named.Instances.Select(i => i.InstanceId));

        var window = await host.Client.QueryInstancesAsync(new InstanceQuery { CreatedFrom = t0 + TimeSpan.FromMinutes(2), CreatedTo = t0 + TimeSpan.FromMinutes(4) });
        Assert.Equal(["q2", "q3"], window.Instances.Select(i => i.InstanceId));

        var pending = await host.Client.QueryInstancesAsync(new InstanceQuery { Statuses = [OrchestrationRuntimeStatus.Pending] });
        Assert.Equal(7, pending.Instances.Count);
        Assert.Empty((await host.Client.QueryInstancesAsync(new InstanceQuery { Statuses = [OrchestrationRuntimeStatus.Completed] })).Instances);

        var seen = new List<string>();
        string? token = null;
        do
        {
            var page = await host.Client.QueryInstancesAsync(new InstanceQuery { PageSize = 3, ContinuationToken = token });
            Assert.True(page.Instances.Count <= 3);
            seen.AddRange(page.Instances.Select(i => i.InstanceId));
            token = page.ContinuationToken;
        } while (token is not null);
        Assert.Equal(Enumerable.Range(0, 7).Select(i => $"q{i}"), seen);
    }

    [Fact]
    public async Task Scheduled_start_stays_pending_until_its_time()
    {
        var clock = new ManualTimeProvider();
        var host = await StartAsync(r => r.AddOrchestratorFunc<object?, string>("Later", (_, _) => Task.FromResult("ran")), clock);
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Later", null, new StartOrchestrationOptions(StartAt: clock.GetUtcNow().AddHours(1)));
        // Another instance completing shows the worker has been through its queue since the later one was scheduled.
        await Eventually.Completion(host.Client, await host.Client.ScheduleNewOrchestrationInstanceAsync("Later"));
        Assert.Equal(OrchestrationRuntimeStatus.Pending, (await host.Client.GetInstanceAsync(id))!.RuntimeStatus);
        clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal("ran", (await Eventually.Completion(host.Client, id)).ReadOutputAs<string>());
    }
}
