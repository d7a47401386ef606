using Personas.Functions.Hosting;
using static Microsoft.Azure.Functions.Worker.AuthorizationLevel;

namespace Personas.Functions.Http;

/// <summary>
/// A persona's trained versions: list, compare, activate, roll back.
/// Each function only declares its route to the Functions host; the shared route table (Personas.Api) answers.
/// </summary>
public sealed class VersionsFunctions(ApiDispatcher api)
{
    [Function("PersonaVersions")]
    public Task PersonaVersions(
        [HttpTrigger(Anonymous, "get", Route = "personas/{personaId}/versions")] HttpRequest request,
        [DurableClient] DurableTaskClient durable, FunctionContext context) =>
        api.RunAsync(request, durable, context);

    [Function("CompareVersions")]
    public Task CompareVersions(
        [HttpTrigger(Anonymous, "get", Route = "personas/{personaId}/versions/compare")] HttpRequest request,
        [DurableClient] DurableTaskClient durable, FunctionContext context) =>
        api.RunAsync(request, durable, context);

    [Function("ActivateVersion")]
    public Task ActivateVersion(
        [HttpTrigger(Anonymous, "post", Route = "personas/{personaId}/versions/{version}/activate")]
        HttpRequest request,
        [DurableClient] DurableTaskClient durable, FunctionContext context) =>
        api.RunAsync(request, durable, context);

    [Function("RollbackVersion")]
    public Task RollbackVersion(
        [HttpTrigger(Anonymous, "post", Route = "personas/{personaId}/versions/rollback")] HttpRequest request,
        [DurableClient] DurableTaskClient durable, FunctionContext context) =>
        api.RunAsync(request, durable, context);
}
