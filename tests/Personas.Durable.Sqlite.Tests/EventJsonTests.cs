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

/// <summary>
/// Rows are written straight to text with the event type first; they must hold what the document form held, and
/// rows written before (event type anywhere) must still load.
/// </summary>
public sealed class EventJsonFormatTests
{
    private static readonly DateTime At = new(2026, 3, 4, 5, 6, 7, 890, DateTimeKind.Utc);

    public static TheoryData<HistoryEvent> Events() =>
    [
        new ExecutionStartedEvent(-1, "\"in\"") { Name = "Orch", Version = "1", ScheduledStartTime = At },
        new ExecutionStartedEvent(-1, "\"in\"")
        {
            Name = "Orch", Tags = new Dictionary<string, string> { ["owner"] = "u1" },
            ParentInstance = new ParentInstance { Name = "P", TaskScheduleId = 2 },
        },
        new OrchestratorStartedEvent(-1) { Timestamp = At },
        new TaskScheduledEvent(3, "Act", "2", "[1,\"two\"]"),
        new TaskCompletedEvent(-1, 3, "{\"a\":\"b\\\"c\"}"),
        new TaskFailedEvent(-1, 3, "why", "stack", new FailureDetails("E", "msg", "st", null, true)),
        new TimerCreatedEvent(4, At),
        new TimerFiredEvent(-1, At) { TimerId = 4 },
        new EventRaisedEvent(-1, "1") { Name = "go" },
        new SubOrchestrationInstanceCreatedEvent(5) { Name = "Child", InstanceId = "c-1", Input = "null" },
        new ExecutionCompletedEvent(6, "\"out\"", OrchestrationStatus.Failed,
            new FailureDetails("E", "msg", null, null, false)),
        new OrchestratorCompletedEvent(-1),
    ];

    [Theory]
    [MemberData(nameof(Events))]
    public void A_row_holds_what_the_document_form_held_and_starts_with_its_type(HistoryEvent e)
    {
        var row = SqliteEventJson.Write(e);
        Assert.StartsWith($"{{\"EventType\":{(int)e.EventType},", row, StringComparison.Ordinal);
        var parse = new Newtonsoft.Json.Linq.JsonLoadSettings();
        Assert.True(Newtonsoft.Json.Linq.JToken.DeepEquals(Newtonsoft.Json.Linq.JObject.Parse(row, parse),
            Newtonsoft.Json.Linq.JObject.Parse(SqliteEventJson.WriteDocument(e), parse)), row);
        var back = SqliteEventJson.Read(row);
        Assert.Equal(e.GetType(), back.GetType());
        Assert.Equal(row, SqliteEventJson.Write(back));
    }

    [Fact]
    public void A_row_from_before_with_the_type_last_still_loads()
    {
        const string old = "{\"TaskScheduledId\":3,\"Result\":\"\\\"y\\\"\",\"EventId\":-1,\"IsPlayed\":false," +
            "\"Timestamp\":\"2026-03-04T05:06:07.89Z\",\"EventType\":5}";
        var back = Assert.IsType<TaskCompletedEvent>(SqliteEventJson.Read(old));
        Assert.Equal((3, "\"y\""), (back.TaskScheduledId, back.Result));
        Assert.Equal(At, back.Timestamp);
        Assert.Equal(DateTimeKind.Utc, back.Timestamp.Kind);
    }
}
