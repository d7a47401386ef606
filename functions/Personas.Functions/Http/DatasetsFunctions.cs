using Personas.Functions.Hosting;
using static Microsoft.Azure.Functions.Worker.AuthorizationLevel;

namespace Personas.Functions.Http;

/// <summary>
/// Dataset preparation.
/// Each function only declares its route to the Functions host; the shared route table (Personas.Api) answers.
/// </summary>
public sealed class DatasetsFunctions(ApiDispatcher api)
{
    [Function("StartDataset")]
    public Task StartDataset(
        [HttpTrigger(Anonymous, "post", Route = "personas/{personaId}/dataset")] HttpRequest request,
        [DurableClient] DurableTaskClient durable, FunctionContext context) =>
        api.RunAsync(request, durable, context);
}
