using Personas.Functions.Hosting;
using static Microsoft.Azure.Functions.Worker.AuthorizationLevel;

namespace Personas.Functions.Http;

/// <summary>
/// Provider callbacks; each is verified by its own signature scheme, not an API key.
/// Each function only declares its route to the Functions host; the shared route table (Personas.Api) answers.
/// </summary>
public sealed class WebhooksFunctions(ApiDispatcher api)
{
    [Function("FalWebhook")]
    public Task FalWebhook(
        [HttpTrigger(Anonymous, "post", Route = "webhooks/fal")] HttpRequest request,
        [DurableClient] DurableTaskClient durable, FunctionContext context) =>
        api.RunAsync(request, durable, context);

    [Function("JobsWebhook")]
    public Task JobsWebhook(
        [HttpTrigger(Anonymous, "post", Route = "webhooks/jobs")] HttpRequest request,
        [DurableClient] DurableTaskClient durable, FunctionContext context) =>
        api.RunAsync(request, durable, context);

    [Function("ReplicateWebhook")]
    public Task ReplicateWebhook(
        [HttpTrigger(Anonymous, "post", Route = "webhooks/replicate")] HttpRequest request,
        [DurableClient] DurableTaskClient durable, FunctionContext context) =>
        api.RunAsync(request, durable, context);
}
