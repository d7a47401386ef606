using Personas.Functions.Hosting;
using static Microsoft.Azure.Functions.Worker.AuthorizationLevel;

namespace Personas.Functions.Http;

/// <summary>
/// Posts, their review and lifecycle, and the brand kit.
/// Each function only declares its route to the Functions host; the shared route table (Personas.Api) answers.
/// </summary>
public sealed class PostsFunctions(ApiDispatcher api)
{
    [Function("ApprovePost")]
    public Task ApprovePost(
        [HttpTrigger(Anonymous, "post", Route = "posts/{postId}/approve")] HttpRequest request,
        [DurableClient] DurableTaskClient durable, FunctionContext context) =>
        api.RunAsync(request, durable, context);

    [Function("BrandKit")]
    public Task BrandKit(
        [HttpTrigger(Anonymous, "get", "put", Route = "brand-kit")] HttpRequest request,
        [DurableClient] DurableTaskClient durable, FunctionContext context) =>
        api.RunAsync(request, durable, context);

    [Function("BulkPosts")]
    public Task BulkPosts(
        [HttpTrigger(Anonymous, "post", Route = "posts/bulk/{action}")] HttpRequest request,
        [DurableClient] DurableTaskClient durable, FunctionContext context) =>
        api.RunAsync(request, durable, context);

    [Function("DownloadPost")]
    public Task DownloadPost(
        [HttpTrigger(Anonymous, "get", Route = "posts/{postId}/download")] HttpRequest request,
        [DurableClient] DurableTaskClient durable, FunctionContext context) =>
        api.RunAsync(request, durable, context);

    [Function("GenerateSmartPosts")]
    public Task GenerateSmartPosts(
        [HttpTrigger(Anonymous, "post", Route = "posts/generate-smart")] HttpRequest request,
        [DurableClient] DurableTaskClient durable, FunctionContext context) =>
        api.RunAsync(request, durable, context);

    [Function("Post")]
    public Task Post(
        [HttpTrigger(Anonymous, "get", "patch", Route = "posts/{postId}")] HttpRequest request,
        [DurableClient] DurableTaskClient durable, FunctionContext context) =>
        api.RunAsync(request, durable, context);

    [Function("Posts")]
    public Task Posts(
        [HttpTrigger(Anonymous, "get", Route = "posts")] HttpRequest request,
        [DurableClient] DurableTaskClient durable, FunctionContext context) =>
        api.RunAsync(request, durable, context);

    [Function("PublishPostNow")]
    public Task PublishPostNow(
        [HttpTrigger(Anonymous, "post", Route = "posts/{postId}/publish-now")] HttpRequest request,
        [DurableClient] DurableTaskClient durable, FunctionContext context) =>
        api.RunAsync(request, durable, context);

    [Function("RegeneratePost")]
    public Task RegeneratePost(
        [HttpTrigger(Anonymous, "post", Route = "posts/{postId}/regenerate")] HttpRequest request,
        [DurableClient] DurableTaskClient durable, FunctionContext context) =>
        api.RunAsync(request, durable, context);

    [Function("RejectPost")]
    public Task RejectPost(
        [HttpTrigger(Anonymous, "post", Route = "posts/{postId}/reject")] HttpRequest request,
        [DurableClient] DurableTaskClient durable, FunctionContext context) =>
        api.RunAsync(request, durable, context);

    [Function("SchedulePost")]
    public Task SchedulePost(
        [HttpTrigger(Anonymous, "post", Route = "posts/{postId}/schedule")] HttpRequest request,
        [DurableClient] DurableTaskClient durable, FunctionContext context) =>
        api.RunAsync(request, durable, context);

    [Function("UnschedulePost")]
    public Task UnschedulePost(
        [HttpTrigger(Anonymous, "post", Route = "posts/{postId}/unschedule")] HttpRequest request,
        [DurableClient] DurableTaskClient durable, FunctionContext context) =>
        api.RunAsync(request, durable, context);
}
