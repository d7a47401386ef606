using Personas.Functions.Hosting;

namespace Personas.Functions.Workflows;

/// <summary>
/// What Microsoft.DurableTask's source generator would emit for class-based tasks under Durable Functions (the
/// generator is not served here): a trigger runs the class with the bound input and returns its output.
/// </summary>
internal static class WorkflowTriggers
{
    public static async Task<TOut> RunAsync<TOrchestrator, TIn, TOut>(TaskOrchestrationContext context)
        where TOrchestrator : ITaskOrchestrator, new()
    {
        var output = await new TOrchestrator().RunAsync(context, context.GetInput<TIn>());
        return (TOut)output!;
    }

    /// <param name="durable">For the activities that start workflows: the invocation's client, as DI serves it.</param>
    public static async Task<TOut> RunAsync<TActivity, TIn, TOut>(TIn input, string instanceId, FunctionContext context,
        DurableTaskClient? durable = null) where TActivity : ITaskActivity
    {
        if (durable is not null)
            context.InstanceServices.GetRequiredService<InvocationDurableClient>().Client = durable;
        var activity = ActivatorUtilities.GetServiceOrCreateInstance<TActivity>(context.InstanceServices);
        var activityContext = new TriggeredActivityContext(context.FunctionDefinition.Name, instanceId);
        var output = await activity.RunAsync(activityContext, input);
        return (TOut)output!;
    }

    private sealed class TriggeredActivityContext(string name, string instanceId) : TaskActivityContext
    {
        public override TaskName Name { get; } = name;
        public override string InstanceId { get; } = instanceId;
    }
}
