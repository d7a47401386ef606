using Microsoft.DurableTask.Client;
using Personas.Durable;

namespace Personas.Api.Health;

public sealed record HealthPayload(string Status, string Store, string Version);

public static class HealthEndpoints
{
    /// <summary>
    /// Health, behind the API key like every route. It asks the durable backend for an instance through the SDK's
    /// client and sidecar, so "ok" means workflows can be served. Store names the backend.
    /// </summary>
    public static void MapHealthEndpoints(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/health", async (DurableTaskClient client, DurableSettings durable, CancellationToken ct) =>
        {
            await client.GetInstanceAsync("health-probe", ct);
            return TypedResults.Ok(new HealthPayload("ok", durable.Backend,
                typeof(HealthEndpoints).Assembly.GetName().Version?.ToString() ?? "0"));
        }).WithName("Health").WithTags("Health");
}
