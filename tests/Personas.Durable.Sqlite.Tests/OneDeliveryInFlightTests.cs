using DurableTask.Core;
using DurableTask.Core.Exceptions;
using DurableTask.Core.History;
using Microsoft.Extensions.Logging.Abstractions;
using Personas.Durable.Hosting;

namespace Personas.Durable.Sqlite.Tests;

/// <summary>
/// A lease that lapses while this host still runs the work: the backend delivers it again, and the sidecar would wait
/// for the second delivery for ever. The guard holds it back and hands it back once the first has ended.
/// </summary>
public sealed class OneDeliveryInFlightTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly ManualClock _clock = new();
    private readonly ManualClock _leases = new(DateTimeOffset.UnixEpoch);

    public void Dispose() => _dir.Dispose();

    private static OneDeliveryInFlight Guard(SqliteOrchestrationService s) =>
        new(s, s, 10, 10, NullLogger.Instance);

    [Fact]
    public async Task A_second_delivery_of_a_running_activity_waits_for_the_first_and_then_runs_alone()
    {
        using var s = await Svc.Open(_dir.File("a.db"), _clock, _leases);
        var guard = Guard(s);
        var exec = await ScheduleActivityAsync(s, "d1");
        var first = await guard.LockNextTaskActivityWorkItem(Wait(300), CancellationToken.None);
        Assert.NotNull(first);

        _leases.Advance(TimeSpan.FromSeconds(31)); // the renewals starved: the lease lapsed while it still ran
        Assert.Null(await guard.LockNextTaskActivityWorkItem(Wait(300), CancellationToken.None));
        Assert.Equal(1, guard.HeldBack);

        // The first ends: its result is refused (the lease moved on), and the dispatcher abandons it.
        var result = Svc.To("d1", new TaskCompletedEvent(-1, 0, "\"one\""), exec);
        await Assert.ThrowsAsync<LockLostException>(() => guard.CompleteTaskActivityWorkItemAsync(first, result));
        await guard.AbandonTaskActivityWorkItemAsync(first);

        var again = await DeliveredAgainAsync<TaskActivityWorkItem>(async () =>
            await guard.LockNextTaskActivityWorkItem(Wait(100), default));
        Assert.Equal(first.TaskMessage.Event.EventId, again.TaskMessage.Event.EventId);
        await guard.CompleteTaskActivityWorkItemAsync(again, Svc.To("d1", new TaskCompletedEvent(-1, 0, "\"two\""),
            exec));
        var next = await Svc.Lock(s);
        Assert.Equal("\"two\"", ((TaskCompletedEvent)Assert.Single(next!.NewMessages).Event).Result);
    }

    [Fact]
    public async Task A_second_delivery_of_a_running_episode_waits_for_the_first_and_then_runs_alone()
    {
        using var s = await Svc.Open(_dir.File("e.db"), _clock, _leases);
        var guard = Guard(s);
        await s.CreateTaskOrchestrationAsync(Svc.Start("d2"));
        var first = await guard.LockNextTaskOrchestrationWorkItemAsync(Wait(300), CancellationToken.None);
        Assert.NotNull(first);

        _leases.Advance(TimeSpan.FromSeconds(31));
        Assert.Null(await guard.LockNextTaskOrchestrationWorkItemAsync(Wait(300), CancellationToken.None));
        Assert.Equal(1, guard.HeldBack);

        var stale = Svc.Episode(first, new ExecutionCompletedEvent(0, "\"one\"", OrchestrationStatus.Completed));
        await Assert.ThrowsAsync<LockLostException>(() =>
            guard.CompleteTaskOrchestrationWorkItemAsync(first, stale, [], [], [], null!, null!));
        await guard.AbandonTaskOrchestrationWorkItemAsync(first);
        await guard.ReleaseTaskOrchestrationWorkItemAsync(first);

        var again = await DeliveredAgainAsync<TaskOrchestrationWorkItem>(async () =>
            await guard.LockNextTaskOrchestrationWorkItemAsync(Wait(100), default));
        var done = Svc.Episode(again, new ExecutionCompletedEvent(0, "\"two\"", OrchestrationStatus.Completed));
        await guard.CompleteTaskOrchestrationWorkItemAsync(again, done, [], [], [], null!, null!);
        var final = await s.GetOrchestrationStateAsync("d2", null!);
        Assert.Equal(OrchestrationStatus.Completed, final.OrchestrationStatus);
        Assert.Equal("\"two\"", final.Output);
    }

    [Fact]
    public async Task Work_that_ended_is_delivered_again_without_being_held_back()
    {
        using var s = await Svc.Open(_dir.File("n.db"), _clock, _leases);
        var guard = Guard(s);
        await s.CreateTaskOrchestrationAsync(Svc.Start("d3"));
        var first = await guard.LockNextTaskOrchestrationWorkItemAsync(Wait(300), CancellationToken.None);
        await guard.AbandonTaskOrchestrationWorkItemAsync(first);
        await guard.ReleaseTaskOrchestrationWorkItemAsync(first);
        _leases.Advance(TimeSpan.FromSeconds(1)); // the abandon's backoff

        Assert.NotNull(await guard.LockNextTaskOrchestrationWorkItemAsync(Wait(300), CancellationToken.None));
        Assert.Equal(0, guard.HeldBack);
    }

    private static TimeSpan Wait(int ms) => TimeSpan.FromMilliseconds(ms);

    /// <summary>The hand-back is abandoned with the backend's backoff; the lease clock is moved past it.</summary>
    private async Task<T> DeliveredAgainAsync<T>(Func<Task<T?>> lockNext) where T : class
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            _leases.Advance(TimeSpan.FromSeconds(1));
            if (await lockNext() is { } item) return item;
        }
        throw new TimeoutException("The held-back delivery was never delivered again.");
    }

    private static async Task<string> ScheduleActivityAsync(SqliteOrchestrationService s, string id)
    {
        await s.CreateTaskOrchestrationAsync(Svc.Start(id));
        var item = await Svc.Lock(s);
        var scheduled = new TaskScheduledEvent(0, "Act", null, null);
        var state = Svc.Episode(item!, scheduled);
        var exec = state.OrchestrationInstance!.ExecutionId;
        await Svc.Complete(s, item!, state, activities: [Svc.To(id, scheduled, exec)]);
        await s.ReleaseTaskOrchestrationWorkItemAsync(item!);
        return exec;
    }
}
