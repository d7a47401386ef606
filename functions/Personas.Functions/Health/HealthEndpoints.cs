using Personas.Durable.Storage;

namespace Personas.Functions.Health;

public sealed record HealthPayload(string Status, string Store, string Version);

public static class HealthEndpoints
{
    /// <summary>Health, behind the API key like every route. It touches the store, so "ok" means it can serve.</summary>
    public static void MapHealthEndpoints(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/health", async (IOrchestrationStore store, CancellationToken ct) =>
        {
            await store.GetInstanceAsync("health-probe", ct);
            return TypedResults.Ok(new HealthPayload("ok", store.GetType().Name, typeof(HealthEndpoints).Assembly.GetName().Version?.ToString() ?? "0"));
        }).WithName("Health").WithTags("Health");
}
