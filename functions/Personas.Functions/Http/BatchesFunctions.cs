using Personas.Functions.Hosting;
using static Microsoft.Azure.Functions.Worker.AuthorizationLevel;

namespace Personas.Functions.Http;

/// <summary>
/// Batches of pictures of a persona: start, list, read, follow, download, pause, resume and cancel.
/// Each function only declares its route to the Functions host; the shared route table (Personas.Api) answers.
/// </summary>
public sealed class BatchesFunctions(ApiDispatcher api)
{
    [Function("PersonaBatches")]
    public Task PersonaBatches(
        [HttpTrigger(Anonymous, "get", "post", Route = "personas/{personaId}/batches")] HttpRequest request,
        [DurableClient] DurableTaskClient durable, FunctionContext context) =>
        api.RunAsync(request, durable, context);

    [Function("Batch")]
    public Task Batch(
        [HttpTrigger(Anonymous, "get", Route = "personas/{personaId}/batches/{batchId}")] HttpRequest request,
        [DurableClient] DurableTaskClient durable, FunctionContext context) =>
        api.RunAsync(request, durable, context);

    [Function("BatchEvents")]
    public Task BatchEvents(
        [HttpTrigger(Anonymous, "get", Route = "personas/{personaId}/batches/{batchId}/events")] HttpRequest request,
        [DurableClient] DurableTaskClient durable, FunctionContext context) =>
        api.RunAsync(request, durable, context);

    [Function("BatchZip")]
    public Task BatchZip(
        [HttpTrigger(Anonymous, "get", Route = "personas/{personaId}/batches/{batchId}/zip")] HttpRequest request,
        [DurableClient] DurableTaskClient durable, FunctionContext context) =>
        api.RunAsync(request, durable, context);

    [Function("PauseBatch")]
    public Task PauseBatch(
        [HttpTrigger(Anonymous, "post", Route = "personas/{personaId}/batches/{batchId}/pause")] HttpRequest request,
        [DurableClient] DurableTaskClient durable, FunctionContext context) =>
        api.RunAsync(request, durable, context);

    [Function("ResumeBatch")]
    public Task ResumeBatch(
        [HttpTrigger(Anonymous, "post", Route = "personas/{personaId}/batches/{batchId}/resume")] HttpRequest request,
        [DurableClient] DurableTaskClient durable, FunctionContext context) =>
        api.RunAsync(request, durable, context);

    [Function("CancelBatch")]
    public Task CancelBatch(
        [HttpTrigger(Anonymous, "post", Route = "personas/{personaId}/batches/{batchId}/cancel")] HttpRequest request,
        [DurableClient] DurableTaskClient durable, FunctionContext context) =>
        api.RunAsync(request, durable, context);
}
