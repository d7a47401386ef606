using Personas.Functions.Hosting;
using static Microsoft.Azure.Functions.Worker.AuthorizationLevel;

namespace Personas.Functions.Http;

/// <summary>
/// Engagement time series of a post and of a persona.
/// Each function only declares its route to the Functions host; the shared route table (Personas.Api) answers.
/// </summary>
public sealed class AnalyticsFunctions(ApiDispatcher api)
{
    [Function("PostAnalytics")]
    public Task PostAnalytics(
        [HttpTrigger(Anonymous, "get", Route = "analytics/posts/{postId}")] HttpRequest request,
        [DurableClient] DurableTaskClient durable, FunctionContext context) =>
        api.RunAsync(request, durable, context);

    [Function("PersonaAnalytics")]
    public Task PersonaAnalytics(
        [HttpTrigger(Anonymous, "get", Route = "analytics/personas/{personaId}")] HttpRequest request,
        [DurableClient] DurableTaskClient durable, FunctionContext context) =>
        api.RunAsync(request, durable, context);
}
