using Personas.Functions.Hosting;
using static Microsoft.Azure.Functions.Worker.AuthorizationLevel;

namespace Personas.Functions.Http;

/// <summary>
/// Personas, their consent, costs and the audit trail.
/// Each function only declares its route to the Functions host; the shared route table (Personas.Api) answers.
/// </summary>
public sealed class PersonasFunctions(ApiDispatcher api)
{
    [Function("Audit")]
    public Task Audit(
        [HttpTrigger(Anonymous, "get", Route = "audit")] HttpRequest request,
        [DurableClient] DurableTaskClient durable, FunctionContext context) =>
        api.RunAsync(request, durable, context);

    [Function("Persona")]
    public Task Persona(
        [HttpTrigger(Anonymous, "get", "delete", Route = "personas/{personaId}")] HttpRequest request,
        [DurableClient] DurableTaskClient durable, FunctionContext context) =>
        api.RunAsync(request, durable, context);

    [Function("PersonaCosts")]
    public Task PersonaCosts(
        [HttpTrigger(Anonymous, "get", Route = "personas/{personaId}/costs")] HttpRequest request,
        [DurableClient] DurableTaskClient durable, FunctionContext context) =>
        api.RunAsync(request, durable, context);

    [Function("PersonaGenerations")]
    public Task PersonaGenerations(
        [HttpTrigger(Anonymous, "get", Route = "personas/{personaId}/generations")] HttpRequest request,
        [DurableClient] DurableTaskClient durable, FunctionContext context) =>
        api.RunAsync(request, durable, context);

    [Function("Personas")]
    public Task Personas(
        [HttpTrigger(Anonymous, "get", "post", Route = "personas")] HttpRequest request,
        [DurableClient] DurableTaskClient durable, FunctionContext context) =>
        api.RunAsync(request, durable, context);

    [Function("WithdrawConsent")]
    public Task WithdrawConsent(
        [HttpTrigger(Anonymous, "post", Route = "personas/{personaId}/consent/withdraw")] HttpRequest request,
        [DurableClient] DurableTaskClient durable, FunctionContext context) =>
        api.RunAsync(request, durable, context);
}
