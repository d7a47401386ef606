using Personas.Domain.Posts;
using Personas.Orchestrations;
using Personas.Orchestrations.Posts;

namespace Personas.Functions.Workflows;

/// <summary>
/// The Posts workflow for Durable Functions: one trigger per orchestrator and activity, each running the class
/// the local host registers (<see cref="PersonasWorkflows"/>), under the same name.
/// </summary>
public static class PostsTriggers
{
    [Function(GeneratePostsOrchestrator.Name)]
    public static Task<GeneratePostsResult> GeneratePosts([OrchestrationTrigger] TaskOrchestrationContext context) =>
        WorkflowTriggers.RunAsync<GeneratePostsOrchestrator, GeneratePostsInput, GeneratePostsResult>(context);

    [Function(PostLifecycleOrchestrator.Name)]
    public static Task<PostStatus> PostLifecycle([OrchestrationTrigger] TaskOrchestrationContext context) =>
        WorkflowTriggers.RunAsync<PostLifecycleOrchestrator, PostLifecycleInput, PostStatus>(context);

    [Function(nameof(PublishPostActivity))]
    public static Task<Publication> PublishPost([ActivityTrigger] PostRef input, string instanceId,
        FunctionContext context) =>
        WorkflowTriggers.RunAsync<PublishPostActivity, PostRef, Publication>(input, instanceId, context);

    [Function(nameof(RecordPostActivity))]
    public static Task<bool> RecordPost([ActivityTrigger] PostChange input, string instanceId,
        FunctionContext context) =>
        WorkflowTriggers.RunAsync<RecordPostActivity, PostChange, bool>(input, instanceId, context);

    [Function(nameof(RemindOwnerActivity))]
    public static Task<bool> RemindOwner([ActivityTrigger] PostRef input, string instanceId,
        FunctionContext context) =>
        WorkflowTriggers.RunAsync<RemindOwnerActivity, PostRef, bool>(input, instanceId, context);

    [Function(nameof(StagePostActivity))]
    public static Task<bool> StagePost([ActivityTrigger] PostRef input, string instanceId,
        FunctionContext context) =>
        WorkflowTriggers.RunAsync<StagePostActivity, PostRef, bool>(input, instanceId, context);

    [Function(nameof(StartPostLifecycleActivity))]
    public static Task<string> StartPostLifecycle([ActivityTrigger] PostRef input, string instanceId,
        [DurableClient] DurableTaskClient durable, FunctionContext context) =>
        WorkflowTriggers.RunAsync<StartPostLifecycleActivity, PostRef, string>(input, instanceId, context, durable);

    [Function(nameof(WritePostActivity))]
    public static Task<string> WritePost([ActivityTrigger] WritePostInput input, string instanceId,
        FunctionContext context) =>
        WorkflowTriggers.RunAsync<WritePostActivity, WritePostInput, string>(input, instanceId, context);
}
