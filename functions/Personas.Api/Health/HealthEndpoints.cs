using Microsoft.DurableTask.Client;
using Personas.Durable;

namespace Personas.Api.Health;

public sealed record HealthPayload(string Status, string Store, string Version);

public sealed record LivePayload(string Status);

public static class HealthEndpoints
{
    /// <summary>
    /// Readiness, behind the API key: it asks the durable backend for an instance through the SDK's client and
    /// sidecar, so "ok" means workflows can be served. Store names the backend. Liveness is anonymous and touches
    /// nothing, so a container probe or a first curl works without a key and cannot be used to load the backend.
    /// </summary>
    public static void MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/health", async (DurableTaskClient client, DurableSettings durable, CancellationToken ct) =>
        {
            await client.GetInstanceAsync("health-probe", ct);
            return TypedResults.Ok(new HealthPayload("ok", durable.Backend,
                typeof(HealthEndpoints).Assembly.GetName().Version?.ToString() ?? "0"));
        }).WithName("Health").WithTags("Health")
            .WithSummary("Readiness: the durable backend answers. Needs a key.").Produces<HealthPayload>();
        app.MapGet("/api/health/live", () => TypedResults.Ok(Live)).AllowAnonymous()
            .WithName("HealthLive").WithTags("Health")
            .WithSummary("Liveness: the process answers. Anonymous; touches no backend.").Produces<LivePayload>();
    }

    private static readonly LivePayload Live = new("live");
}
