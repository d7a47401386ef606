using Personas.Functions.Hosting;
using static Microsoft.Azure.Functions.Worker.AuthorizationLevel;

namespace Personas.Functions.Http;

/// <summary>
/// Pictures generated with a persona.
/// Each function only declares its route to the Functions host; the shared route table (Personas.Api) answers.
/// </summary>
public sealed class GenerationsFunctions(ApiDispatcher api)
{
    [Function("StartGeneration")]
    public Task StartGeneration(
        [HttpTrigger(Anonymous, "post", Route = "generate-with-persona")] HttpRequest request,
        [DurableClient] DurableTaskClient durable, FunctionContext context) =>
        api.RunAsync(request, durable, context);

    [Function("Generation")]
    public Task Generation(
        [HttpTrigger(Anonymous, "get", Route = "generations/{generationId}")] HttpRequest request,
        [DurableClient] DurableTaskClient durable, FunctionContext context) =>
        api.RunAsync(request, durable, context);
}
