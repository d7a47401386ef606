using Personas.Functions.Hosting;
using static Microsoft.Azure.Functions.Worker.AuthorizationLevel;

namespace Personas.Functions.Http;

/// <summary>
/// Signed download links.
/// Each function only declares its route to the Functions host; the shared route table (Personas.Api) answers.
/// </summary>
public sealed class BlobsFunctions(ApiDispatcher api)
{
    [Function("DownloadBlob")]
    public Task DownloadBlob(
        [HttpTrigger(Anonymous, "get", Route = "blobs/{*path}")] HttpRequest request,
        [DurableClient] DurableTaskClient durable, FunctionContext context) =>
        api.RunAsync(request, durable, context);
}
