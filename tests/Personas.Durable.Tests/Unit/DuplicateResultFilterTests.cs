using DurableTask.Core;
using DurableTask.Core.History;
using Personas.Durable.Hosting;

namespace Personas.Durable.Tests.Unit;

public sealed class DuplicateResultFilterTests
{
    private static TaskMessage Start(string executionId) => Message(new ExecutionStartedEvent(-1, "\"in\"")
    {
        OrchestrationInstance = new OrchestrationInstance { InstanceId = "child", ExecutionId = executionId },
        Name = "Child",
    }, executionId);

    private static TaskMessage Message(HistoryEvent e, string executionId) => new()
    {
        Event = e,
        OrchestrationInstance = new OrchestrationInstance { InstanceId = "child", ExecutionId = executionId },
    };

    [Fact]
    public void A_start_the_execution_already_has_is_dropped_and_the_rest_of_the_batch_is_kept()
    {
        var history = new HistoryEvent[]
        {
            new OrchestratorStartedEvent(-1), Start("e1").Event, new TaskScheduledEvent(0, "Work"),
            new OrchestratorCompletedEvent(-1),
        };
        var completed = Message(new TaskCompletedEvent(-1, 0, "1"), "e1");

        var kept = DuplicateResultFilter.Filter([Start("e1"), completed], history);

        Assert.Equal([completed], kept);
    }

    [Fact]
    public void Two_copies_of_a_start_in_one_batch_become_one()
    {
        var kept = DuplicateResultFilter.Filter([Start("e1"), Start("e1")], []);

        Assert.Single(kept);
    }

    [Fact]
    public void A_start_of_a_new_execution_under_the_same_instance_id_is_kept()
    {
        var kept = DuplicateResultFilter.Filter([Start("e2")], [Start("e1").Event]);

        Assert.Single(kept);
    }
}
