using DurableTask.Core.History;
using Personas.Durable.Tests.Infrastructure;

namespace Personas.Durable.Tests.Conformance;

/// <summary>What a client can do: inspect, query, terminate, suspend, resume, purge, schedule for later.</summary>
public abstract partial class ConformanceBase
{
    private static void Waiter(DurableTaskRegistry r) => r.AddOrchestratorFunc<string, string>("Waiter",
        async (ctx, input) => $"{input}:{await ctx.WaitForExternalEvent<string>("Go")}");

    [Fact]
    public async Task Terminate_ends_a_running_instance_and_purge_removes_it()
    {
        var host = await StartAsync(Waiter);
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Waiter", "a");
        await Eventually.Status(host.Client, id, OrchestrationRuntimeStatus.Running);
        await host.Client.TerminateInstanceAsync(id, "user cancelled");
        var done = await Eventually.Completion(host.Client, id);
        Assert.Equal(OrchestrationRuntimeStatus.Terminated, done.RuntimeStatus);
        Assert.Equal("user cancelled", done.ReadOutputAs<string>());

        var purged = await host.Client.PurgeInstanceAsync(id);
        Assert.Equal(1, purged.PurgedInstanceCount);
        Assert.Null(await host.Client.GetInstanceAsync(id));
        Assert.Equal(0, (await host.Client.PurgeInstanceAsync(id)).PurgedInstanceCount);
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
        // An instance started after the event, finished, shows the worker has been through the queue since. (Azure
        // Storage also writes a second suspend into history there; SQLite holds every message of a suspended
        // instance, a second suspend included, so history cannot be the barrier on every backend.)
        await host.Client.SuspendInstanceAsync(id, "again");
        var later = await host.Client.ScheduleNewOrchestrationInstanceAsync("Waiter", "b");
        await Eventually.Status(host.Client, later, OrchestrationRuntimeStatus.Running);
        await host.Client.RaiseEventAsync(later, "Go", "now");
        Assert.Equal("b:now", (await Eventually.Completion(host.Client, later)).ReadOutputAs<string>());
        if (Backend == DurableBackends.AzureStorage)
        {
            await Eventually.Get(async () => (await History.ReadAsync(host, id))!,
                h => h.Count(e => e.Type == EventType.ExecutionSuspended) == 2, what: "the second suspend");
        }
        Assert.Equal(OrchestrationRuntimeStatus.Suspended, (await host.Client.GetInstanceAsync(id))!.RuntimeStatus);

        await host.Client.ResumeInstanceAsync(id);
        Assert.Equal("a:held", (await Eventually.Completion(host.Client, id)).ReadOutputAs<string>());
    }

    [Fact]
    public async Task Status_reports_input_output_and_timestamps_and_history_is_in_order()
    {
        var host = await StartAsync(r => Echo(r).AddOrchestratorFunc<int, int>("One",
            (ctx, x) => ctx.CallActivityAsync<int>("Double", x)));
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("One", 4);
        var done = await Eventually.Completion(host.Client, id);
        Assert.Equal(4, done.ReadInputAs<int>());
        Assert.Equal(8, done.ReadOutputAs<int>());
        Assert.True(done.LastUpdatedAt >= done.CreatedAt);
        Assert.Equal("One", done.Name);
        if (await History.ReadAsync(host, id) is not { } history) return;
        var types = history.Select(e => e.Type)
            .Where(t => t is not (EventType.OrchestratorStarted or EventType.OrchestratorCompleted)).ToList();
        Assert.Equal([EventType.ExecutionStarted, EventType.TaskScheduled, EventType.TaskCompleted,
            EventType.ExecutionCompleted], types);
    }

    [Fact]
    public async Task Query_filters_by_status_and_prefix_and_pages_with_a_continuation_token()
    {
        var host = await StartAsync(Waiter, runWorker: false);
        for (var i = 0; i < 7; i++)
            await host.Client.ScheduleNewOrchestrationInstanceAsync("Waiter", "x",
                new StartOrchestrationOptions($"q{i}"));
        await host.Client.ScheduleNewOrchestrationInstanceAsync("Waiter", "x", new StartOrchestrationOptions("other"));

        var seen = new List<string>();
        var pages = 0;
        var query = new OrchestrationQuery { InstanceIdPrefix = "q", PageSize = 3 };
        await foreach (var page in host.Client.GetAllInstancesAsync(query).AsPages(pageSizeHint: 3))
        {
            Assert.True(page.Values.Count <= 3);
            seen.AddRange(page.Values.Select(m => m.InstanceId));
            pages++;
        }
        Assert.Equal(Enumerable.Range(0, 7).Select(i => $"q{i}"), seen.Order());
        Assert.True(pages >= 3, $"7 instances in pages of 3 came in {pages} pages");

        var pending = new List<string>();
        await foreach (var m in host.Client.GetAllInstancesAsync(new OrchestrationQuery
        {
            Statuses = [OrchestrationRuntimeStatus.Pending],
        })) pending.Add(m.InstanceId);
        Assert.Equal(8, pending.Count);
        await foreach (var m in host.Client.GetAllInstancesAsync(new OrchestrationQuery
        {
            Statuses = [OrchestrationRuntimeStatus.Completed],
        })) Assert.Fail($"{m.InstanceId} is not completed");
    }

    [Fact]
    public async Task Scheduled_start_stays_pending_until_its_time()
    {
        var host = await StartAsync(r => r.AddOrchestratorFunc<object?, string>("Later",
            (_, _) => Task.FromResult("ran")));
        var startAt = DateTimeOffset.UtcNow.AddSeconds(3);
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Later", null,
            new StartOrchestrationOptions(StartAt: startAt));
        // Another instance completing shows the worker has been through its queue since the later one was scheduled.
        await Eventually.Completion(host.Client, await host.Client.ScheduleNewOrchestrationInstanceAsync("Later"));
        // The memory backend (InProcessTestHost's) starts scheduled instances at once: see docs/runtime.md.
        if (Persistent && DateTimeOffset.UtcNow < startAt - TimeSpan.FromSeconds(1))
            Assert.Equal(OrchestrationRuntimeStatus.Pending, (await host.Client.GetInstanceAsync(id))!.RuntimeStatus);
        var done = await Eventually.Completion(host.Client, id);
        Assert.Equal("ran", done.ReadOutputAs<string>());
        if (Persistent) Assert.True(done.LastUpdatedAt >= startAt - TimeSpan.FromMilliseconds(50));
    }
}
