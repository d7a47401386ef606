using DurableTask.Core;
using DurableTask.Core.Exceptions;
using DurableTask.Core.History;
using DurableTask.Core.Query;
using Microsoft.Extensions.Logging;

namespace Personas.Durable.Sqlite.Tests;

/// <summary>
/// The service at the DurableTask.Core level, on a real SQLite file, with hand-moved clocks: one for due times, one
/// for leases (real time outside tests).
/// </summary>
public sealed class ServiceTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly ManualClock _clock = new();
    private readonly ManualClock _leases = new(DateTimeOffset.UnixEpoch);

    public void Dispose() => _dir.Dispose();

    private Task<SqliteOrchestrationService> Open(string file = "core.db") =>
        Svc.Open(_dir.File(file), _clock, _leases);

    [Fact]
    public async Task An_activity_round_trips_and_its_result_wakes_the_instance()
    {
        using var s = await Open();
        await s.CreateTaskOrchestrationAsync(Svc.Start("a1"));
        var item = await Svc.Lock(s);
        Assert.NotNull(item);
        Assert.IsType<ExecutionStartedEvent>(Assert.Single(item.NewMessages).Event);
        var scheduled = new TaskScheduledEvent(0, "Act", null, "\"x\"");
        var state = Svc.Episode(item, scheduled);
        await Svc.Complete(s, item, state,
            activities: [Svc.To("a1", scheduled, state.OrchestrationInstance!.ExecutionId)]);
        await s.ReleaseTaskOrchestrationWorkItemAsync(item);

        var activity = await Svc.LockActivity(s);
        Assert.NotNull(activity);
        Assert.Equal("Act", ((TaskScheduledEvent)activity.TaskMessage.Event).Name);
        await s.CompleteTaskActivityWorkItemAsync(activity, Svc.To("a1", new TaskCompletedEvent(-1, 0, "\"y\""),
            activity.TaskMessage.OrchestrationInstance.ExecutionId));

        var next = await Svc.Lock(s);
        Assert.NotNull(next);
        Assert.Equal("\"y\"", ((TaskCompletedEvent)Assert.Single(next.NewMessages).Event).Result);
        Assert.Equal(4, next.OrchestrationRuntimeState.Events.Count); // started, scheduled and the two markers
        Assert.Equal(OrchestrationStatus.Running,
            (await s.GetOrchestrationStateAsync("a1", null!)).OrchestrationStatus);
    }

    [Fact]
    public async Task An_expired_lease_is_claimed_elsewhere_and_the_stale_completion_is_rejected()
    {
        using var a = await Open();
        using var b = await Open();
        await a.CreateTaskOrchestrationAsync(Svc.Start("s1"));
        var mine = await Svc.Lock(a);
        Assert.NotNull(mine);
        Assert.Null(await Svc.Lock(b, 100)); // held by a

        _leases.Advance(TimeSpan.FromSeconds(31)); // a "crashed": no renewal ran
        var theirs = await Svc.Lock(b);
        Assert.NotNull(theirs);

        var stale = Svc.Episode(mine, new ExecutionCompletedEvent(0, "\"a\"", OrchestrationStatus.Completed));
        await Assert.ThrowsAsync<LockLostException>(() => Svc.Complete(a, mine, stale));
        var fresh = Svc.Episode(theirs, new ExecutionCompletedEvent(0, "\"b\"", OrchestrationStatus.Completed));
        await Svc.Complete(b, theirs, fresh);
        var final = await b.GetOrchestrationStateAsync("s1", null!);
        Assert.Equal(OrchestrationStatus.Completed, final.OrchestrationStatus);
        Assert.Equal("\"b\"", final.Output);
    }

    [Fact]
    public async Task A_renewal_that_fails_once_keeps_renewing_and_the_lease_is_never_lost()
    {
        using var a = await Open();
        using var b = await Open();
        await a.CreateTaskOrchestrationAsync(Svc.Start("r1"));
        var item = await Svc.Lock(a);
        var scheduled = new TaskScheduledEvent(0, "Act", null, null);
        await Svc.Complete(a, item!, Svc.Episode(item!, scheduled), activities: [Svc.To("r1", scheduled, "x")]);
        var activity = await Svc.LockActivity(a);
        Assert.NotNull(activity);

        var failures = 1;
        a.RenewalFault = () => Interlocked.Decrement(ref failures) >= 0;
        _leases.Advance(TimeSpan.FromSeconds(20));
        var held = a.HeldTokenCount;
        Assert.False(await a.RenewHeldLeasesAsync()); // the transient error
        Assert.Equal(held, a.HeldTokenCount);        // nothing forgotten: still renewed next round
        Assert.True(await a.RenewHeldLeasesAsync());
        _leases.Advance(TimeSpan.FromSeconds(20));   // 40 s after the claim: only the renewal keeps it ours
        Assert.Null(await Svc.LockActivity(b, 150));
        await a.CompleteTaskActivityWorkItemAsync(activity, Svc.To("r1", new TaskCompletedEvent(-1, 0, null), "x"));
        Assert.True(await a.RenewHeldLeasesAsync());
        Assert.Equal(0, a.HeldTokenCount);           // done: forgotten
    }

    [Fact]
    public async Task Moving_the_due_time_clock_a_day_ahead_expires_no_lease()
    {
        // Leases on real time, as outside tests; only the injected clock jumps, as the API tests' clock does.
        using var a = await Svc.Open(_dir.File("real.db"), _clock);
        using var b = await Svc.Open(_dir.File("real.db"), _clock);
        await a.CreateTaskOrchestrationAsync(Svc.Start("l1"));
        var item = await Svc.Lock(a);
        var scheduled = new TaskScheduledEvent(0, "Act", null, null);
        var state = Svc.Episode(item!, scheduled);
        var exec = state.OrchestrationInstance!.ExecutionId;
        await Svc.Complete(a, item!, state, activities: [Svc.To("l1", scheduled, exec)]);
        var activity = await Svc.LockActivity(a);
        Assert.NotNull(activity);
        await a.SendTaskOrchestrationMessageAsync(Svc.To("l1", new EventRaisedEvent(-1, "1") { Name = "go" }));
        var episode = await Svc.Lock(a);
        Assert.NotNull(episode);

        _clock.Advance(TimeSpan.FromDays(1)); // before any renewal could run
        Assert.Null(await Svc.LockActivity(b, 200)); // still running here: not claimable elsewhere
        Assert.Null(await Svc.Lock(b, 200));
        Assert.True(await a.RenewHeldLeasesAsync());
        await a.CompleteTaskActivityWorkItemAsync(activity, Svc.To("l1", new TaskCompletedEvent(-1, 0, null), exec));
        await Svc.Complete(a, episode, Svc.Episode(episode));
    }

    [Fact]
    public async Task A_timer_is_due_by_the_injected_clock_and_an_earlier_event_wins_over_it()
    {
        using var s = await Open();
        await s.CreateTaskOrchestrationAsync(Svc.Start("t1"));
        var item = await Svc.Lock(s);
        var fireAt = _clock.GetUtcNow().UtcDateTime.AddSeconds(10);
        var state = Svc.Episode(item!, new TimerCreatedEvent(0, fireAt));
        var exec = state.OrchestrationInstance!.ExecutionId;
        await Svc.Complete(s, item!, state,
            timers: [Svc.To("t1", new TimerFiredEvent(-1, fireAt) { TimerId = 0 }, exec)]);

        Assert.Null(await Svc.Lock(s, 150)); // not due on the wall clock's say
        _clock.Advance(TimeSpan.FromSeconds(5));
        await s.SendTaskOrchestrationMessageAsync(Svc.To("t1", new EventRaisedEvent(-1, "1") { Name = "go" }));
        var woke = await Svc.Lock(s);
        Assert.NotNull(woke); // the event is due now; abandon it to build a backlog
        await s.AbandonTaskOrchestrationWorkItemAsync(woke);
        _leases.Advance(TimeSpan.FromSeconds(1)); // the abandon's backoff
        _clock.Advance(TimeSpan.FromSeconds(60));
        var backlog = await Svc.Lock(s);
        Assert.Equal([EventType.EventRaised, EventType.TimerFired],
            backlog!.NewMessages.Select(m => m.Event.EventType));
    }

    [Fact]
    public async Task An_abandoned_episode_waits_a_doubling_real_time_backoff_that_a_completion_resets()
    {
        using var s = await Open();
        await s.CreateTaskOrchestrationAsync(Svc.Start("b1"));
        // The due-time clock stays frozen throughout: only lease (real) time ends a backoff.
        foreach (var seconds in new[] { 1, 2, 4, 8, 16, 30, 30 })
        {
            var item = await Svc.Lock(s);
            Assert.NotNull(item);
            await s.AbandonTaskOrchestrationWorkItemAsync(item);
            _leases.Advance(TimeSpan.FromSeconds(seconds) - TimeSpan.FromMilliseconds(1));
            Assert.Null(await Svc.Lock(s, 100));
            _leases.Advance(TimeSpan.FromMilliseconds(1));
        }
        var episode = await Svc.Lock(s);
        Assert.NotNull(episode);
        await Svc.Complete(s, episode, Svc.Episode(episode));

        await s.SendTaskOrchestrationMessageAsync(Svc.To("b1", new EventRaisedEvent(-1, "1") { Name = "go" }));
        var again = await Svc.Lock(s);
        Assert.NotNull(again);
        await s.AbandonTaskOrchestrationWorkItemAsync(again);
        _leases.Advance(TimeSpan.FromSeconds(1)); // back to the first step
        Assert.NotNull(await Svc.Lock(s));
    }

    [Fact]
    public async Task An_abandoned_activity_waits_a_doubling_real_time_backoff()
    {
        using var s = await Open();
        await s.CreateTaskOrchestrationAsync(Svc.Start("b2"));
        var item = await Svc.Lock(s);
        var scheduled = new TaskScheduledEvent(0, "Act", null, null);
        var state = Svc.Episode(item!, scheduled);
        var exec = state.OrchestrationInstance!.ExecutionId;
        await Svc.Complete(s, item!, state, activities: [Svc.To("b2", scheduled, exec)]);
        foreach (var seconds in new[] { 1, 2, 4 })
        {
            var activity = await Svc.LockActivity(s);
            Assert.NotNull(activity);
            await s.AbandonTaskActivityWorkItemAsync(activity);
            _leases.Advance(TimeSpan.FromSeconds(seconds) - TimeSpan.FromMilliseconds(1));
            Assert.Null(await Svc.LockActivity(s, 100));
            _leases.Advance(TimeSpan.FromMilliseconds(1));
        }
        var last = await Svc.LockActivity(s);
        Assert.NotNull(last);
        await s.CompleteTaskActivityWorkItemAsync(last, Svc.To("b2", new TaskCompletedEvent(-1, 0, null), exec));
    }

    [Fact]
    public async Task A_file_from_before_the_abandon_backoff_gains_its_columns_on_open()
    {
        var path = _dir.File("v2.db");
        using (var old = await Svc.Open(path, _clock, _leases)) { }
        await using (var c = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=false"))
        {
            await c.OpenAsync();
            using var drop = c.CreateCommand();
            drop.CommandText =
                "ALTER TABLE instances DROP COLUMN abandons; ALTER TABLE activities DROP COLUMN abandons";
            await drop.ExecuteNonQueryAsync();
        }
        using var s = await Svc.Open(path, _clock, _leases);
        await s.CreateTaskOrchestrationAsync(Svc.Start("m1"));
        await s.AbandonTaskOrchestrationWorkItemAsync((await Svc.Lock(s))!);
        _leases.Advance(TimeSpan.FromSeconds(1));
        Assert.NotNull(await Svc.Lock(s));
    }

    [Fact]
    public async Task Duplicate_results_and_messages_for_an_older_execution_are_dropped()
    {
        using var s = await Open();
        await s.CreateTaskOrchestrationAsync(Svc.Start("d1"));
        var item = await Svc.Lock(s);
        var scheduled = new TaskScheduledEvent(0, "Act", null, null);
        var state = Svc.Episode(item!, scheduled);
        var exec = state.OrchestrationInstance!.ExecutionId;
        await Svc.Complete(s, item!, state);
        await s.SendTaskOrchestrationMessageBatchAsync(
            Svc.To("d1", new TaskCompletedEvent(-1, 0, "1"), exec),
            Svc.To("d1", new TaskCompletedEvent(-1, 0, "2"), exec),
            Svc.To("d1", new TaskCompletedEvent(-1, 7, "old"), "an-older-execution"));
        var next = await Svc.Lock(s);
        Assert.Equal("1", ((TaskCompletedEvent)Assert.Single(next!.NewMessages).Event).Result);
        await Svc.Complete(s, next, Svc.Episode(next));
        await s.SendTaskOrchestrationMessageAsync(Svc.To("d1", new TaskCompletedEvent(-1, 0, "3"), exec));
        Assert.Null(await Svc.Lock(s, 150)); // already settled in history
    }

    [Fact]
    public async Task A_message_to_a_missing_or_finished_instance_is_dropped_with_one_line_and_no_payload()
    {
        var logs = new ListLogs();
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs));
        using var s = await Svc.Open(_dir.File("logs.db"), _clock, _leases, logs: factory);
        await s.SendTaskOrchestrationMessageAsync(
            Svc.To("ghost", new EventRaisedEvent(-1, "\"secret-payload\"") { Name = "go" }));
        await s.CreateTaskOrchestrationAsync(Svc.Start("f1"));
        var item = await Svc.Lock(s);
        await Svc.Complete(s, item!,
            Svc.Episode(item!, new ExecutionCompletedEvent(0, null, OrchestrationStatus.Completed)));
        await s.SendTaskOrchestrationMessageAsync(Svc.To("f1", new ExecutionSuspendedEvent(-1, "secret-reason")));

        var dropped = logs.Lines.Where(l => l.Text.StartsWith("Dropped", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, dropped.Count);
        Assert.All(dropped, l => Assert.Equal(LogLevel.Information, l.Level));
        Assert.Contains("EventRaised", dropped[0].Text, StringComparison.Ordinal);
        Assert.Contains("ghost", dropped[0].Text, StringComparison.Ordinal);
        Assert.Contains("ExecutionSuspended", dropped[1].Text, StringComparison.Ordinal);
        Assert.Contains("f1", dropped[1].Text, StringComparison.Ordinal);
        Assert.DoesNotContain(logs.Lines, l => l.Text.Contains("secret", StringComparison.Ordinal));
        Assert.Null(await s.GetOrchestrationStateAsync("ghost", null!));
    }

    [Fact]
    public async Task Create_refuses_an_unfinished_instance_and_honours_dedupe_statuses()
    {
        using var s = await Open();
        await s.CreateTaskOrchestrationAsync(Svc.Start("c1"));
        await Assert.ThrowsAsync<OrchestrationAlreadyExistsException>(
            () => s.CreateTaskOrchestrationAsync(Svc.Start("c1")));
        var item = await Svc.Lock(s);
        await Svc.Complete(s, item!,
            Svc.Episode(item!, new ExecutionCompletedEvent(0, null, OrchestrationStatus.Completed)));
        await Assert.ThrowsAsync<OrchestrationAlreadyExistsException>(() =>
            s.CreateTaskOrchestrationAsync(Svc.Start("c1"), [OrchestrationStatus.Completed]));
        await s.CreateTaskOrchestrationAsync(Svc.Start("c1", input: "\"again\"")); // a finished one is replaced
        var state = await s.GetOrchestrationStateAsync("c1", null!);
        Assert.Equal(OrchestrationStatus.Pending, state.OrchestrationStatus);
        Assert.Equal("\"again\"", state.Input);
    }

    [Fact]
    public async Task A_scheduled_start_waits_for_its_time_even_with_suspend_and_resume_queued()
    {
        using var s = await Open();
        var at = _clock.GetUtcNow().UtcDateTime.AddMinutes(5);
        await s.CreateTaskOrchestrationAsync(Svc.Start("p1", scheduledStart: at));
        await s.SendTaskOrchestrationMessageAsync(Svc.To("p1", new ExecutionSuspendedEvent(-1, "hold")));
        await s.SendTaskOrchestrationMessageAsync(Svc.To("p1", new ExecutionResumedEvent(-1, "go")));
        Assert.Null(await Svc.Lock(s, 150));
        _clock.Advance(TimeSpan.FromMinutes(5));
        var item = await Svc.Lock(s);
        Assert.Equal([EventType.ExecutionSuspended, EventType.ExecutionResumed, EventType.ExecutionStarted],
            item!.NewMessages.Select(m => m.Event.EventType));
    }

    [Fact]
    public async Task A_terminate_before_the_scheduled_start_is_delivered_at_once_with_the_start()
    {
        using var s = await Open();
        var later = _clock.GetUtcNow().UtcDateTime.AddHours(1);
        await s.CreateTaskOrchestrationAsync(Svc.Start("p2", scheduledStart: later));
        await s.ForceTerminateTaskOrchestrationAsync("p2", "not wanted");
        var item = await Svc.Lock(s);
        Assert.NotNull(item);
        Assert.Equal([EventType.ExecutionStarted, EventType.ExecutionTerminated],
            item.NewMessages.Select(m => m.Event.EventType).Order());
        var state = Svc.Episode(item, new ExecutionCompletedEvent(0, "\"not wanted\"", OrchestrationStatus.Terminated));
        await Svc.Complete(s, item, state);
        Assert.Equal(OrchestrationStatus.Terminated,
            (await s.GetOrchestrationStateAsync("p2", null!)).OrchestrationStatus);
        _clock.Advance(TimeSpan.FromHours(2));
        Assert.Null(await Svc.Lock(s, 150)); // the start went with it
    }

    [Fact]
    public async Task Query_pages_with_continuation_tokens_and_filters()
    {
        using var s = await Open();
        for (var i = 0; i < 7; i++)
        {
            await s.CreateTaskOrchestrationAsync(Svc.Start($"q-{i}"));
            _clock.Advance(TimeSpan.FromSeconds(1));
        }
        await s.CreateTaskOrchestrationAsync(Svc.Start("other"));
        var seen = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await s.GetOrchestrationWithQueryAsync(new OrchestrationQuery
            {
                InstanceIdPrefix = "q-", PageSize = 3, ContinuationToken = token, FetchInputsAndOutputs = false,
            }, CancellationToken.None);
            seen.AddRange(page.OrchestrationState.Select(o => o.OrchestrationInstance.InstanceId));
            Assert.All(page.OrchestrationState, o => Assert.Null(o.Input));
            token = page.ContinuationToken;
            pages++;
        } while (token is not null);
        Assert.Equal(Enumerable.Range(0, 7).Select(i => $"q-{i}"), seen);
        Assert.Equal(3, pages);
        var running = await s.GetOrchestrationWithQueryAsync(new OrchestrationQuery
        {
            RuntimeStatus = [OrchestrationStatus.Running], FetchInputsAndOutputs = true,
        }, CancellationToken.None);
        Assert.Empty(running.OrchestrationState);
    }

    [Fact]
    public async Task Purge_refuses_a_running_instance_and_removes_a_finished_one()
    {
        using var s = await Open();
        await s.CreateTaskOrchestrationAsync(Svc.Start("g1"));
        Assert.Equal(0, (await s.PurgeInstanceStateAsync("g1")).DeletedInstanceCount);
        var item = await Svc.Lock(s);
        await Svc.Complete(s, item!,
            Svc.Episode(item!, new ExecutionCompletedEvent(0, null, OrchestrationStatus.Completed)));
        Assert.NotEqual("[]", await s.GetOrchestrationHistoryAsync("g1", null!));
        var filter = new PurgeInstanceFilter(DateTime.MinValue, null, [OrchestrationStatus.Completed]);
        Assert.Equal(1, (await s.PurgeInstanceStateAsync(filter)).DeletedInstanceCount);
        Assert.Null(await s.GetOrchestrationStateAsync("g1", null!));
        Assert.Equal("[]", await s.GetOrchestrationHistoryAsync("g1", null!));
    }

    [Fact]
    public async Task A_purged_instance_leaves_no_byte_of_it_in_the_file_or_its_wal()
    {
        // A deleted persona's workflows are purged; the store must not keep them in the WAL, in free pages, or in
        // the unused space of pages rebuilt by b-tree balancing (which secure_delete does not clear).
        const string secret = "per_zq7purgedsecret";
        using var s = await Open("erase.db");
        var ids = Enumerable.Range(0, 8).SelectMany(k => new[] { $"m{k}-a", $"m{k}-{secret}", $"m{k}-z" }).ToList();
        foreach (var id in ids) // neighbours share its pages
        {
            await s.CreateTaskOrchestrationAsync(Svc.Start(id, input: $"\"{(id.Contains(secret) ? secret : id)}\""));
            var item = await Svc.Lock(s);
            Assert.Equal(id, item?.InstanceId);
            var steps = Enumerable.Range(0, 40) // enough history to span several pages, freed in one purge
                .Select(i => (HistoryEvent)new TaskScheduledEvent(i, "Act", null,
                    $"\"{item!.InstanceId} {i} {new string('x', 300)}\""))
                .Append(new ExecutionCompletedEvent(40, $"\"{item!.InstanceId} {new string('y', 5000)}\"",
                    OrchestrationStatus.Completed)) // a long output spills onto overflow pages
                .ToArray();
            await Svc.Complete(s, item, Svc.Episode(item, steps));
            await s.ReleaseTaskOrchestrationWorkItemAsync(item);
        }
        foreach (var id in ids.Where(i => i.Contains(secret, StringComparison.Ordinal)))
            Assert.Equal(1, (await s.PurgeInstanceStateAsync(id)).DeletedInstanceCount);

        foreach (var file in Directory.GetFiles(_dir.Path, "erase.db*")) // the service is open: its WAL is there
        {
            using var open = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var bytes = new MemoryStream();
            await open.CopyToAsync(bytes);
            var text = System.Text.Encoding.UTF8.GetString(bytes.ToArray());
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        }
        Assert.NotNull(await s.GetOrchestrationStateAsync("m0-a", null!));
        Assert.NotEqual("[]", await s.GetOrchestrationHistoryAsync("m7-z", null!));
    }

    [Fact]
    public async Task A_long_poll_wakes_on_work_written_in_this_process_and_returns_null_when_cancelled()
    {
        using var s = await Open();
        using var cancel = new CancellationTokenSource();
        var poll = s.LockNextTaskOrchestrationWorkItemAsync(Timeout.InfiniteTimeSpan, cancel.Token);
        await Task.Delay(100);
        Assert.False(poll.IsCompleted);
        await s.CreateTaskOrchestrationAsync(Svc.Start("w1"));
        var item = await poll.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal("w1", item.InstanceId);
        var idle = s.LockNextTaskOrchestrationWorkItemAsync(Timeout.InfiniteTimeSpan, cancel.Token);
        await cancel.CancelAsync();
        Assert.Null(await idle.WaitAsync(TimeSpan.FromSeconds(5)));
    }
}
