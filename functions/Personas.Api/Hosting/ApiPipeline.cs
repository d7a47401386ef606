using Personas.Api.Analytics;
using Personas.Api.Batches;
using Personas.Api.Blobs;
using Personas.Api.Chat;
using Personas.Api.Datasets;
using Personas.Api.Generations;
using Personas.Api.Health;
using Personas.Api.Instances;
using Personas.Api.Personas;
using Personas.Api.Photos;
using Personas.Api.Posts;
using Personas.Api.Profiles;
using Personas.Api.Training;
using Personas.Api.Versions;
using Personas.Api.Webhooks;

namespace Personas.Api.Hosting;

/// <summary>
/// The API's middleware and its route table, defined once. The local host runs them as its own pipeline; the Function
/// App runs the same pipeline inside each HTTP-triggered function (Functions/ApiDispatcher), so a route answers alike
/// in both hosts.
/// </summary>
public static class ApiPipeline
{
    /// <summary>
    /// Security headers on every answer, problem+json for exceptions and bare error statuses, then the API key, then
    /// the rate limits (which tell a valid key from a guessed one), then the route's policy. Routing must already
    /// have run: the limits read the endpoint's name.
    /// </summary>
    public static IApplicationBuilder UsePersonasApiMiddleware(this IApplicationBuilder app) => app
        .UseSecurityHeaders()
        .UseExceptionHandler()
        .UseStatusCodePages()
        .UseAuthentication()
        .UseRateLimiter()
        .UseAuthorization();

    /// <summary>
    /// Every route of the API. The Function App declares each to the Functions host again (RouteTableTests holds the
    /// two to each other).
    /// </summary>
    public static IEndpointRouteBuilder MapPersonasApi(this IEndpointRouteBuilder app)
    {
        // Anonymous, so a client can be generated before it has a key.
        app.MapOpenApi(OpenApi.DocumentTransformer.Path).WithName("OpenApi").AllowAnonymous();
        app.MapHealthEndpoints();
        app.MapInstanceEndpoints();
        app.MapPersonaEndpoints();
        app.MapPhotoEndpoints();
        app.MapDatasetEndpoints();
        app.MapTrainingEndpoints();
        app.MapVersionEndpoints();
        app.MapGenerationEndpoints();
        app.MapBatchEndpoints();
        app.MapPostEndpoints();
        app.MapAnalyticsEndpoints();
        app.MapChatEndpoints();
        app.MapProfileEndpoints();
        app.MapWebhookEndpoints();
        app.MapBlobEndpoints();
        return app;
    }
}
