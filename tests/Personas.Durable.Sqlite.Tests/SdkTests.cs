using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Personas.Durable.Sqlite.Tests;

/// <summary>End to end: the SDK's worker and client, the in-process sidecar, and the SQLite file.</summary>
public sealed class SdkTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private SdkHost _host = null!;

    public async Task InitializeAsync() => _host = await SdkHost.StartAsync(Workflows.Register);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private DurableTaskClient Client => _host.Client;

    private async Task<OrchestrationMetadata> Finish(string id)
    {
        using var cancel = new CancellationTokenSource(Deadline);
        return await Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, cancel.Token);
    }

    private async Task WaitFor(string id, Func<OrchestrationMetadata, bool> condition)
    {
        var until = DateTime.UtcNow + Deadline;
        while (true)
        {
            var m = await Client.GetInstanceAsync(id, getInputsAndOutputs: true);
            if (m is not null && condition(m)) return;
            Assert.True(DateTime.UtcNow < until,
                $"{id} did not reach the expected state in time ({m?.RuntimeStatus.ToString() ?? "not found"}).");
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task An_activity_chain_completes_with_the_file_on_disk()
    {
        var id = await Client.ScheduleNewOrchestrationInstanceAsync("Chain", 10);
        var done = await Finish(id);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(15, done.ReadOutputAs<int>());
        Assert.True(File.Exists(Path.Combine(_host.DataDir, "durable.db")));
    }

    [Fact]
    public async Task A_fan_out_of_100_sums_every_result()
    {
        var done = await Finish(await Client.ScheduleNewOrchestrationInstanceAsync("FanOut", 100));
        Assert.Equal(Enumerable.Range(1, 100).Sum(), done.ReadOutputAs<int>());
    }

    [Fact]
    public async Task A_durable_timer_fires_after_its_time()
    {
        var done = await Finish(await Client.ScheduleNewOrchestrationInstanceAsync("Timer", 300));
        Assert.Equal("fired", done.ReadOutputAs<string>());
    }

    [Fact]
    public async Task External_events_are_delivered_including_one_raised_before_the_wait()
    {
        var waiting = await Client.ScheduleNewOrchestrationInstanceAsync("Event", 0);
        await WaitFor(waiting, m => m.RuntimeStatus == OrchestrationRuntimeStatus.Running);
        await Client.RaiseEventAsync(waiting, "go", 7);
        Assert.Equal(7, (await Finish(waiting)).ReadOutputAs<int>());

        // Raised while the instance is still pending: the SDK buffers it until the wait.
        var early = await Client.ScheduleNewOrchestrationInstanceAsync("Gate", 1);
        await Client.RaiseEventAsync(early, "open", 40);
        Assert.Equal(42, (await Finish(early)).ReadOutputAs<int>());
    }

    [Fact]
    public async Task A_sub_orchestration_round_trips_and_its_creation_event_is_stored()
    {
        var id = await Client.ScheduleNewOrchestrationInstanceAsync("Parent", 1);
        var done = await Finish(id);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(60, done.ReadOutputAs<int>());
        // The sidecar's GrpcSubOrchestrationInstanceCreatedEvent is stored as the Core type, readable again.
        var json = await _host.Backend.Client.GetOrchestrationHistoryAsync(id, null!);
        var events = Newtonsoft.Json.Linq.JArray.Parse(json).Select(e => e.Value<int>("EventType")).ToList();
        Assert.Contains((int)DurableTask.Core.History.EventType.SubOrchestrationInstanceCreated, events);
        Assert.Contains((int)DurableTask.Core.History.EventType.SubOrchestrationInstanceCompleted, events);
    }

    [Fact]
    public async Task A_child_id_that_already_exists_fails_the_parent_with_a_clear_error()
    {
        var childId = $"busy-{Guid.NewGuid():N}";
        await Client.ScheduleNewOrchestrationInstanceAsync("Event", 0,
            new StartOrchestrationOptions { InstanceId = childId });
        await WaitFor(childId, m => m.RuntimeStatus == OrchestrationRuntimeStatus.Running);
        var parent = await Finish(await Client.ScheduleNewOrchestrationInstanceAsync("CallsChildById", childId));
        Assert.Equal(OrchestrationRuntimeStatus.Completed, parent.RuntimeStatus);
        var message = parent.ReadOutputAs<string>();
        Assert.Contains(childId, message, StringComparison.Ordinal);
        Assert.Contains("already exists", message, StringComparison.Ordinal);
        // The running instance under that id is untouched.
        Assert.Equal(OrchestrationRuntimeStatus.Running, (await Client.GetInstanceAsync(childId))!.RuntimeStatus);
    }

    [Fact]
    public async Task A_child_with_an_explicit_id_is_re_created_by_the_retry_policy_after_a_failed_attempt()
    {
        var key = Guid.NewGuid().ToString("N");
        var parent = await Finish(await Client.ScheduleNewOrchestrationInstanceAsync("RetriesChildById", key));
        Assert.Equal(OrchestrationRuntimeStatus.Completed, parent.RuntimeStatus);
        Assert.Equal(2, parent.ReadOutputAs<int>());
        Assert.Equal(2, Workflows.Attempts[key]);
        var child = await Client.GetInstanceAsync($"{key}-child");
        Assert.Equal(OrchestrationRuntimeStatus.Completed, child!.RuntimeStatus);
    }

    [Fact]
    public async Task Wait_with_timeout_then_ContinueAsNew_runs_five_generations()
    {
        var done = await Finish(await Client.ScheduleNewOrchestrationInstanceAsync("Loop", 1));
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(5, done.ReadOutputAs<int>());
    }

    [Fact]
    public async Task Suspend_holds_events_until_resume()
    {
        var id = await Client.ScheduleNewOrchestrationInstanceAsync("Event", 0);
        await WaitFor(id, m => m.RuntimeStatus == OrchestrationRuntimeStatus.Running);
        await Client.SuspendInstanceAsync(id, "hold");
        await WaitFor(id, m => m.RuntimeStatus == OrchestrationRuntimeStatus.Suspended);
        await Client.RaiseEventAsync(id, "go", 3);
        await Task.Delay(300); // long enough for a wrongly delivered event to complete it
        Assert.Equal(OrchestrationRuntimeStatus.Suspended, (await Client.GetInstanceAsync(id))!.RuntimeStatus);
        await Client.ResumeInstanceAsync(id, "go on");
        Assert.Equal(3, (await Finish(id)).ReadOutputAs<int>());
    }

    [Fact]
    public async Task Terminate_ends_a_waiting_instance()
    {
        var id = await Client.ScheduleNewOrchestrationInstanceAsync("Event", 0);
        await WaitFor(id, m => m.RuntimeStatus == OrchestrationRuntimeStatus.Running);
        await Client.TerminateInstanceAsync(id, "stop");
        Assert.Equal(OrchestrationRuntimeStatus.Terminated, (await Finish(id)).RuntimeStatus);
    }

    [Fact]
    public async Task A_purge_of_a_finished_instance_removes_it()
    {
        var id = await Client.ScheduleNewOrchestrationInstanceAsync("Chain", 0);
        await Finish(id);
        Assert.Equal(1, (await Client.PurgeInstanceAsync(id)).PurgedInstanceCount);
        Assert.Null(await Client.GetInstanceAsync(id));
    }
}
