using DurableTask.Core;
using DurableTask.Core.History;

namespace Personas.Durable.Sqlite.Tests;

/// <summary>
/// A claim takes the history it committed last from memory: it must be exactly what the file holds, and never an
/// older history when another process has committed since.
/// </summary>
public sealed class HistoryCacheTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly ManualClock _clock = new();

    public void Dispose() => _dir.Dispose();

    private Task<SqliteOrchestrationService> Open() => Svc.Open(_dir.File("cache.db"), _clock);

    private static string[] Rows(OrchestrationRuntimeState state) =>
        [.. state.Events.Select(SqliteEventJson.Write)];

    private static async Task<TaskOrchestrationWorkItem> Step(SqliteOrchestrationService s, string id, int taskId)
    {
        var item = await Svc.Lock(s);
        Assert.NotNull(item);
        Assert.Equal(id, item.InstanceId);
        await Svc.Complete(s, item, Svc.Episode(item, new TaskScheduledEvent(taskId, "Act", null, "\"x\"")));
        return item;
    }

    [Fact]
    public async Task A_claim_from_memory_holds_what_a_claim_from_the_file_holds()
    {
        using var a = await Open();
        await a.CreateTaskOrchestrationAsync(Svc.Start("c1"));
        await Step(a, "c1", 0);
        await a.SendTaskOrchestrationMessageAsync(Svc.To("c1", new EventRaisedEvent(-1, "1") { Name = "go" }));
        var fromMemory = await Svc.Lock(a);
        Assert.NotNull(fromMemory);
        await a.ReleaseTaskOrchestrationWorkItemAsync(fromMemory);

        using var b = await Open(); // a new process: nothing in memory
        var fromFile = await Svc.Lock(b);
        Assert.NotNull(fromFile);
        Assert.Equal(Rows(fromFile.OrchestrationRuntimeState), Rows(fromMemory.OrchestrationRuntimeState));
        Assert.Equal(4, fromFile.OrchestrationRuntimeState.Events.Count);
    }

    [Fact]
    public async Task A_commit_by_another_process_is_read_from_the_file_not_from_memory()
    {
        using var a = await Open();
        using var b = await Open();
        await a.CreateTaskOrchestrationAsync(Svc.Start("c2"));
        await Step(a, "c2", 0); // a keeps the 4 events it committed
        await a.SendTaskOrchestrationMessageAsync(Svc.To("c2", new EventRaisedEvent(-1, "1") { Name = "go" }));
        await Step(b, "c2", 1); // b appends 4 more
        await a.SendTaskOrchestrationMessageAsync(Svc.To("c2", new EventRaisedEvent(-1, "2") { Name = "go" }));

        var item = await Svc.Lock(a);
        Assert.NotNull(item);
        var history = item.OrchestrationRuntimeState.Events;
        Assert.Equal(8, history.Count);
        Assert.Contains(history, e => e is TaskScheduledEvent { EventId: 1 });
    }

    [Fact]
    public async Task A_finished_instance_leaves_nothing_in_memory()
    {
        using var a = await Open();
        await a.CreateTaskOrchestrationAsync(Svc.Start("c3"));
        await Step(a, "c3", 0);
        Assert.Equal(1, a.CachedHistoryCount);
        await a.SendTaskOrchestrationMessageAsync(Svc.To("c3", new EventRaisedEvent(-1, "1") { Name = "go" }));
        var item = await Svc.Lock(a);
        Assert.NotNull(item);
        await Svc.Complete(a, item,
            Svc.Episode(item, new ExecutionCompletedEvent(1, "\"done\"", OrchestrationStatus.Completed)));
        Assert.Equal(0, a.CachedHistoryCount);
    }
}
