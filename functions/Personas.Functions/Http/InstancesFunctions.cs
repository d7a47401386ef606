using Personas.Functions.Hosting;
using static Microsoft.Azure.Functions.Worker.AuthorizationLevel;

namespace Personas.Functions.Http;

/// <summary>
/// The Durable-Functions-style instance API: start, query, raise events, control and purge.
/// Each function only declares its route to the Functions host; the shared route table (Personas.Api) answers.
/// </summary>
public sealed class InstancesFunctions(ApiDispatcher api)
{
    [Function("Instance")]
    public Task Instance(
        [HttpTrigger(Anonymous, "get", "delete", Route = "instances/{instanceId}")] HttpRequest request,
        [DurableClient] DurableTaskClient durable, FunctionContext context) =>
        api.RunAsync(request, durable, context);

    [Function("QueryInstances")]
    public Task QueryInstances(
        [HttpTrigger(Anonymous, "get", Route = "instances")] HttpRequest request,
        [DurableClient] DurableTaskClient durable, FunctionContext context) =>
        api.RunAsync(request, durable, context);

    [Function("RaiseEvent")]
    public Task RaiseEvent(
        [HttpTrigger(Anonymous, "post", Route = "instances/{instanceId}/raiseEvent/{eventName}")] HttpRequest request,
        [DurableClient] DurableTaskClient durable, FunctionContext context) =>
        api.RunAsync(request, durable, context);

    [Function("ResumeInstance")]
    public Task ResumeInstance(
        [HttpTrigger(Anonymous, "post", Route = "instances/{instanceId}/resume")] HttpRequest request,
        [DurableClient] DurableTaskClient durable, FunctionContext context) =>
        api.RunAsync(request, durable, context);

    [Function("StartOrchestration")]
    public Task StartOrchestration(
        [HttpTrigger(Anonymous, "post", Route = "orchestrators/{name}/{instanceId?}")] HttpRequest request,
        [DurableClient] DurableTaskClient durable, FunctionContext context) =>
        api.RunAsync(request, durable, context);

    [Function("SuspendInstance")]
    public Task SuspendInstance(
        [HttpTrigger(Anonymous, "post", Route = "instances/{instanceId}/suspend")] HttpRequest request,
        [DurableClient] DurableTaskClient durable, FunctionContext context) =>
        api.RunAsync(request, durable, context);

    [Function("TerminateInstance")]
    public Task TerminateInstance(
        [HttpTrigger(Anonymous, "post", Route = "instances/{instanceId}/terminate")] HttpRequest request,
        [DurableClient] DurableTaskClient durable, FunctionContext context) =>
        api.RunAsync(request, durable, context);
}
