using Personas.Functions.Hosting;
using static Microsoft.Azure.Functions.Worker.AuthorizationLevel;

namespace Personas.Functions.Http;

/// <summary>
/// Health (readiness), liveness and the OpenAPI document.
/// Each function only declares its route to the Functions host; the shared route table (Personas.Api) answers.
/// </summary>
public sealed class HealthFunctions(ApiDispatcher api)
{
    [Function("Health")]
    public Task Health(
        [HttpTrigger(Anonymous, "get", Route = "health")] HttpRequest request,
        [DurableClient] DurableTaskClient durable, FunctionContext context) =>
        api.RunAsync(request, durable, context);

    [Function("HealthLive")]
    public Task HealthLive(
        [HttpTrigger(Anonymous, "get", Route = "health/live")] HttpRequest request,
        [DurableClient] DurableTaskClient durable, FunctionContext context) =>
        api.RunAsync(request, durable, context);

    [Function("OpenApi")]
    public Task OpenApi(
        [HttpTrigger(Anonymous, "get", Route = "openapi.json")] HttpRequest request,
        [DurableClient] DurableTaskClient durable, FunctionContext context) =>
        api.RunAsync(request, durable, context);
}
