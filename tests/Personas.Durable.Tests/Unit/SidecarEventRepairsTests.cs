using System.Runtime.Serialization;
using DurableTask.Core;
using DurableTask.Core.History;
using Google.Protobuf.Collections;
using Microsoft.DurableTask.Testing.Sidecar.Dispatcher;
using Moq;
using Personas.Durable.Hosting;

namespace Personas.Durable.Tests.Unit;

/// <summary>The two sidecar events that cannot be persisted as handed over reach the backend in a plain form.</summary>
public sealed class SidecarEventRepairsTests
{
    private readonly Mock<IOrchestrationService> _service = new();
    private readonly Mock<IOrchestrationServiceClient> _client = new();

    private SidecarEventRepairs Repairs() => new(_service.Object, _client.Object, 10, 10);

    private static ExecutionStartedEvent StartedWithProtobufTags() => new(-1, "input")
    {
        Name = "Flow",
        OrchestrationInstance = new OrchestrationInstance { InstanceId = "i", ExecutionId = "e" },
        Tags = new MapField<string, string> { ["owner"] = "ann" },
    };

    [Fact]
    public async Task Protobuf_tags_on_a_started_event_become_a_plain_dictionary_with_the_same_entries()
    {
        TaskMessage? created = null;
        _client.Setup(c => c.CreateTaskOrchestrationAsync(It.IsAny<TaskMessage>()))
            .Callback<TaskMessage>(m => created = m).Returns(Task.CompletedTask);
        var message = new TaskMessage
        {
            Event = StartedWithProtobufTags(),
            OrchestrationInstance = new OrchestrationInstance { InstanceId = "i", ExecutionId = "e" },
        };
        await Repairs().CreateTaskOrchestrationAsync(message);

        var tags = ((ExecutionStartedEvent)created!.Event).Tags;
        Assert.IsType<Dictionary<string, string>>(tags);
        Assert.Equal("ann", tags["owner"]);
    }

    [Fact]
    public async Task Grpc_sub_orchestration_created_event_becomes_the_plain_event_with_the_same_fields()
    {
        OrchestrationRuntimeState? written = null;
        IList<TaskMessage>? sent = null;
        _service.Setup(s => s.CompleteTaskOrchestrationWorkItemAsync(It.IsAny<TaskOrchestrationWorkItem>(),
                It.IsAny<OrchestrationRuntimeState>(), It.IsAny<IList<TaskMessage>>(), It.IsAny<IList<TaskMessage>>(),
                It.IsAny<IList<TaskMessage>>(), It.IsAny<TaskMessage>(), It.IsAny<OrchestrationState>()))
            .Callback((TaskOrchestrationWorkItem _, OrchestrationRuntimeState state, IList<TaskMessage> _,
                IList<TaskMessage> orchestrator, IList<TaskMessage> _, TaskMessage _, OrchestrationState _) =>
            {
                written = state;
                sent = orchestrator;
            })
            .Returns(Task.CompletedTask);
        var state = new OrchestrationRuntimeState();
        state.AddEvent(new OrchestratorStartedEvent(-1));
        state.AddEvent(StartedWithProtobufTags());
        var timestamp = DateTime.UtcNow;
        state.AddEvent(new GrpcSubOrchestrationInstanceCreatedEvent(3)
        {
            Name = "Child", Version = "2", InstanceId = "i-child", Input = "\"x\"", Timestamp = timestamp,
        });
        var childStart = new TaskMessage
        {
            Event = StartedWithProtobufTags(),
            OrchestrationInstance = new OrchestrationInstance { InstanceId = "i-child", ExecutionId = "c" },
        };

        await Repairs().CompleteTaskOrchestrationWorkItemAsync(new TaskOrchestrationWorkItem(), state, [], [childStart],
            [], null!, new OrchestrationState());

        foreach (var list in new[] { written!.NewEvents, written.Events })
        {
            var created = Assert.Single(list.OfType<SubOrchestrationInstanceCreatedEvent>());
            Assert.Equal(typeof(SubOrchestrationInstanceCreatedEvent), created.GetType());
            Assert.Equal((3, "Child", "2", "i-child", "\"x\"", timestamp),
                (created.EventId, created.Name, created.Version, created.InstanceId, created.Input, created.Timestamp));
        }
        // What Azure Storage needs to write an EventType column: a [DataContract] on the concrete type.
        Assert.NotNull(typeof(SubOrchestrationInstanceCreatedEvent)
            .GetCustomAttributes(typeof(DataContractAttribute), false).SingleOrDefault());
        Assert.IsType<Dictionary<string, string>>(written.ExecutionStartedEvent!.Tags);
        Assert.IsType<Dictionary<string, string>>(((ExecutionStartedEvent)sent!.Single().Event).Tags);
    }
}
