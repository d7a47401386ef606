using Personas.Functions.Hosting;
using static Microsoft.Azure.Functions.Worker.AuthorizationLevel;

namespace Personas.Functions.Http;

/// <summary>
/// A persona's photos: upload, import, list and delete.
/// Each function only declares its route to the Functions host; the shared route table (Personas.Api) answers.
/// </summary>
public sealed class PhotosFunctions(ApiDispatcher api)
{
    [Function("ImportPhotos")]
    public Task ImportPhotos(
        [HttpTrigger(Anonymous, "post", Route = "personas/{personaId}/photos/import")] HttpRequest request,
        [DurableClient] DurableTaskClient durable, FunctionContext context) =>
        api.RunAsync(request, durable, context);

    [Function("Photo")]
    public Task Photo(
        [HttpTrigger(Anonymous, "delete", Route = "personas/{personaId}/photos/{photoId}")] HttpRequest request,
        [DurableClient] DurableTaskClient durable, FunctionContext context) =>
        api.RunAsync(request, durable, context);

    [Function("Photos")]
    public Task Photos(
        [HttpTrigger(Anonymous, "get", "post", Route = "personas/{personaId}/photos")] HttpRequest request,
        [DurableClient] DurableTaskClient durable, FunctionContext context) =>
        api.RunAsync(request, durable, context);
}
