using DurableTask.Core;
using DurableTask.Core.History;
using DurableTask.Core.Tracing;
using Google.Protobuf.Collections;
using Microsoft.DurableTask.Testing.Sidecar.Dispatcher;

namespace Personas.Durable.Sqlite.Tests;

/// <summary>
/// What the sidecar hands the store (protobuf maps, its own event subclasses) comes back as Core types.
/// </summary>
public sealed class EventJsonTests : IDisposable
{
    private const string TraceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    private readonly TempDir _dir = new();
    private readonly ManualClock _clock = new();

    public void Dispose() => _dir.Dispose();

    private static MapField<string, string> Tags() => new() { ["owner"] = "u1", ["kind"] = "post" };

    private static GrpcSubOrchestrationInstanceCreatedEvent Created() => new(3)
    {
        Name = "Child", Version = "2", InstanceId = "child-1", Input = "\"x\"",
        ParentTraceContext = new DistributedTraceContext(TraceParent),
    };

    [Fact]
    public void Protobuf_map_tags_round_trip_as_a_plain_dictionary()
    {
        var started = new ExecutionStartedEvent(-1, "\"in\"") { Name = "Orch", Tags = Tags() };
        var back = Assert.IsType<ExecutionStartedEvent>(SqliteEventJson.Read(SqliteEventJson.Write(started)));
        Assert.IsType<Dictionary<string, string>>(back.Tags);
        Assert.Equal(new Dictionary<string, string> { ["owner"] = "u1", ["kind"] = "post" }, back.Tags);
        Assert.Equal("Orch", back.Name);
        Assert.Equal("\"in\"", back.Input);
    }

    [Fact]
    public void The_sidecars_sub_orchestration_event_round_trips_as_the_core_type()
    {
        var back = SqliteEventJson.Read(SqliteEventJson.Write(Created()));
        var created = Assert.IsType<SubOrchestrationInstanceCreatedEvent>(back); // exactly, not the subclass
        Assert.Equal(3, created.EventId);
        Assert.Equal(("Child", "2", "child-1", "\"x\""),
            (created.Name, created.Version, created.InstanceId, created.Input));
        Assert.IsType<SubOrchestrationInstanceCreatedEvent>(SqliteEventJson.Normalize(Created()));
    }

    [Fact]
    public async Task Both_come_back_from_the_file_as_core_types()
    {
        using var s = await Svc.Open(_dir.File("json.db"), _clock);
        var start = Svc.Start("j1");
        ((ExecutionStartedEvent)start.Event).Tags = Tags();
        await s.CreateTaskOrchestrationAsync(start);
        Assert.Equal("u1", (await s.GetOrchestrationStateAsync("j1", null!)).Tags["owner"]);
        var item = await Svc.Lock(s);
        var tags = ((ExecutionStartedEvent)Assert.Single(item!.NewMessages).Event).Tags;
        Assert.IsType<Dictionary<string, string>>(tags);
        await Svc.Complete(s, item, Svc.Episode(item, Created()));

        await s.SendTaskOrchestrationMessageAsync(Svc.To("j1", new EventRaisedEvent(-1, "1") { Name = "go" }));
        var next = await Svc.Lock(s);
        var history = next!.OrchestrationRuntimeState.Events;
        Assert.IsType<Dictionary<string, string>>(next.OrchestrationRuntimeState.ExecutionStartedEvent!.Tags);
        var created = Assert.Single(history, e => e.EventType == EventType.SubOrchestrationInstanceCreated);
        Assert.Equal(typeof(SubOrchestrationInstanceCreatedEvent), created.GetType());
        Assert.Equal("child-1", ((SubOrchestrationInstanceCreatedEvent)created).InstanceId);
    }
}
