using Personas.Functions.Hosting;
using static Microsoft.Azure.Functions.Worker.AuthorizationLevel;

namespace Personas.Functions.Http;

/// <summary>
/// Training, its status and its live progress stream.
/// Each function only declares its route to the Functions host; the shared route table (Personas.Api) answers.
/// </summary>
public sealed class TrainingFunctions(ApiDispatcher api)
{
    [Function("CancelTraining")]
    public Task CancelTraining(
        [HttpTrigger(Anonymous, "post", Route = "personas/{personaId}/train/cancel")] HttpRequest request,
        [DurableClient] DurableTaskClient durable, FunctionContext context) =>
        api.RunAsync(request, durable, context);

    [Function("PersonaEvents")]
    public Task PersonaEvents(
        [HttpTrigger(Anonymous, "get", Route = "personas/{personaId}/events")] HttpRequest request,
        [DurableClient] DurableTaskClient durable, FunctionContext context) =>
        api.RunAsync(request, durable, context);

    [Function("PersonaStatus")]
    public Task PersonaStatus(
        [HttpTrigger(Anonymous, "get", Route = "personas/{personaId}/status")] HttpRequest request,
        [DurableClient] DurableTaskClient durable, FunctionContext context) =>
        api.RunAsync(request, durable, context);

    [Function("StartTraining")]
    public Task StartTraining(
        [HttpTrigger(Anonymous, "post", Route = "personas/{personaId}/train")] HttpRequest request,
        [DurableClient] DurableTaskClient durable, FunctionContext context) =>
        api.RunAsync(request, durable, context);
}
