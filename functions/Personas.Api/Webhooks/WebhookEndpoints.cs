using System.Text.Json;
using System.Text.Json.Nodes;
using Personas.Domain.Stores;
using Microsoft.DurableTask.Client;
using Personas.Domain.Workflows;
using Personas.Api.Instances;
using Personas.Api.Problems;
using Personas.Orchestrations.Training;
using Personas.Api.Hosting;
using Personas.Providers.Fal;
using Personas.Providers.Jobs;
using Personas.Providers.Replicate;
using Personas.Providers.Training;
using Personas.Providers.Webhooks;
using Personas.Api.OpenApi;

namespace Personas.Api.Webhooks;

/// <summary>
/// Provider callbacks. No API key (providers have none of ours); instead every delivery must carry a valid, fresh
/// signature, or it gets 401 and changes nothing. A delivery is turned into an event on the waiting orchestration,
/// keyed by request id and outcome, so a repeated delivery is applied once. Nothing slow happens here: the
/// orchestration copies weights and validates.
/// </summary>
public static class WebhookEndpoints
{
    public const int MaxBodyBytes = 1024 * 1024;

    public static void MapWebhookEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/webhooks").WithTags("Webhooks").AllowAnonymous();
        group.MapPost("/fal", FalAsync).WithName("FalWebhook")
            .WithSummary("fal.ai queue completion, signed with Ed25519 (keys from fal's JWKS).")
            .Documents<JsonObject>("application/json").Produces<WebhookReceived>()
            .ProducesProblem(400).ProducesProblem(401).ProducesProblem(404).ProducesProblem(503);
        group.MapPost("/replicate", ReplicateAsync).WithName("ReplicateWebhook")
            .WithSummary("Replicate training events, signed Standard-Webhooks style (HMAC-SHA256 with the whsec_ "
                + "secret).")
            .Documents<JsonObject>("application/json").Produces<WebhookReceived>()
            .ProducesProblem(400).ProducesProblem(401).ProducesProblem(404);
        group.MapPost("/jobs", JobsAsync).WithName("JobsWebhook")
            .WithSummary("Progress and completion from our own training containers, signed with the run's HMAC "
                + "secret (docs/training.md).")
            .Documents<JsonObject>("application/json").Produces<WebhookReceived>()
            .ProducesProblem(400).ProducesProblem(401).ProducesProblem(404);
    }

    private static async Task<IResult> JobsAsync(HttpContext http, JobCallbackSigner signer, ICatalog catalog,
        DurableTaskClient client, IInstanceLedger ledger, ILoggerFactory logs)
    {
        if (await JsonBody.ReadBytesAsync(http, MaxBodyBytes) is not { } body) return JsonBody.TooLarge(http, MaxBodyBytes);
        var headers = http.Request.Headers;
        var runId = headers["X-Personas-Run"].ToString();
        var verdict = signer.Verify(runId, headers["X-Personas-Timestamp"], headers["X-Personas-Event"], headers["X-Personas-Signature"], body);
        if (!verdict.Valid) return Unauthorized(http, logs, "jobs", verdict.Problem!);

        var (callback, malformed) = JsonBody.ReadDelivery(http, body);
        if (callback is null) return malformed!;
        if (await catalog.FindProviderJobAsync(ContainerAppsJobTrainingProvider.ProviderName, runId, http.RequestAborted) is not { } link)
            return ProblemWriter.Result(http, 404, "Unknown run", $"No training waits on job run '{runId}'.", "X-Personas-Run");
        await RaiseAsync(client, ledger, link.InstanceId, $"jobs:{verdict.DeliveryId}",
            ContainerAppsJobTrainingProvider.StatusOf(callback), http.RequestAborted);
        return TypedResults.Ok(new WebhookReceived(runId));
    }

    private static async Task<IResult> FalAsync(HttpContext http, FalWebhookVerifier verifier, ICatalog catalog,
        DurableTaskClient client, IInstanceLedger ledger, ILoggerFactory logs)
    {
        if (await JsonBody.ReadBytesAsync(http, MaxBodyBytes) is not { } body) return JsonBody.TooLarge(http, MaxBodyBytes);
        var headers = http.Request.Headers;
        var verdict = await verifier.VerifyAsync(headers["X-Fal-Webhook-Request-Id"], headers["X-Fal-Webhook-User-Id"], headers["X-Fal-Webhook-Timestamp"],
            headers["X-Fal-Webhook-Signature"], body, http.RequestAborted);
        if (verdict.RetryAfter is { } wait) return KeysUnavailable(http, logs, "fal", verdict.Problem!, wait);
        if (!verdict.Valid) return Unauthorized(http, logs, "fal", verdict.Problem!);

        var (delivery, malformed) = JsonBody.ReadDelivery(http, body);
        if (delivery is null) return malformed!;
        var requestId = delivery["request_id"]?.ToString();
        if (requestId != verdict.DeliveryId) return ProblemWriter.Invalid(http, "request_id", "The body's request_id does not match the signed X-Fal-Webhook-Request-Id.");
        if (await catalog.FindProviderJobAsync(FalTrainingProvider.ProviderName, requestId!, http.RequestAborted) is not { } link)
            return ProblemWriter.Result(http, 404, "Unknown request", $"No training waits on fal.ai request '{requestId}'.", "request_id");

        var ok = delivery["status"]?.ToString() == "OK";
        var status = ok && delivery["payload"] is JsonObject payload
            ? FalTrainingProvider.Completed(payload, "fal.ai webhook: completed")
            : new TrainingStatus(TrainingState.Failed, Error: $"fal.ai reported an error: {delivery["error"] ?? delivery["payload_error"] ?? "no detail"}");
        await RaiseAsync(client, ledger, link.InstanceId, $"fal:{requestId}:{(ok ? "ok" : "error")}", status,
            http.RequestAborted);
        return TypedResults.Ok(new WebhookReceived(requestId!));
    }

    private static async Task<IResult> ReplicateAsync(HttpContext http, ReplicateSettings settings, TimeProvider clock,
        ICatalog catalog, DurableTaskClient client, IInstanceLedger ledger, ILoggerFactory logs)
    {
        if (await JsonBody.ReadBytesAsync(http, MaxBodyBytes) is not { } body) return JsonBody.TooLarge(http, MaxBodyBytes);
        if (string.IsNullOrWhiteSpace(settings.WebhookSecret)) return Unauthorized(http, logs, "replicate", "No Replicate webhook secret is configured (Personas:Replicate:WebhookSecret).");
        var headers = http.Request.Headers;
        var verdict = new ReplicateWebhookVerifier(settings.WebhookSecret, clock).Verify(headers["webhook-id"], headers["webhook-timestamp"], headers["webhook-signature"], body);
        if (!verdict.Valid) return Unauthorized(http, logs, "replicate", verdict.Problem!);

        var (delivery, malformed) = JsonBody.ReadDelivery(http, body);
        if (delivery is null) return malformed!;
        var training = ReplicateTraining.From(delivery);
        if (await catalog.FindProviderJobAsync(ReplicateTrainingProvider.ProviderName, training.Id, http.RequestAborted) is not { } link)
            return ProblemWriter.Result(http, 404, "Unknown training", $"No training waits on Replicate training '{training.Id}'.", "id");
        await RaiseAsync(client, ledger, link.InstanceId, $"replicate:{verdict.DeliveryId}",
            ReplicateTrainingProvider.StatusOf(training), http.RequestAborted);
        return TypedResults.Ok(new WebhookReceived(training.Id));
    }

    /// <summary>Raises the update; an instance that has already finished has nothing to apply it to, which is fine for a late or repeated delivery.</summary>
    private static async Task RaiseAsync(DurableTaskClient client, IInstanceLedger ledger, string instanceId,
        string deliveryKey, TrainingStatus status, CancellationToken ct)
    {
        if (await client.GetStatusAsync(instanceId, ct) is not { IsActive: true }) return;
        await client.RaiseEventOnceAsync(ledger, instanceId, TrainPersonaOrchestrator.UpdateEvent, status,
            deliveryKey, ct);
    }

    /// <summary>
    /// 503 with Retry-After: the signature could not be checked because the provider's keys are unavailable. The
    /// provider retries deliveries, so nothing is lost; the reason stays in our log.
    /// </summary>
    private static IResult KeysUnavailable(HttpContext http, ILoggerFactory logs, string provider, string problem,
        TimeSpan retryAfter)
    {
        logs.CreateLogger("Personas.Webhooks").LogWarning(
            "Could not check a {Provider} webhook's signature: {Problem}", provider, problem);
        http.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(
            System.Globalization.CultureInfo.InvariantCulture);
        return ProblemWriter.Result(http, StatusCodes.Status503ServiceUnavailable, "Signing keys unavailable",
            "The provider's signing keys could not be fetched, so the delivery was not checked or applied. " +
            "Retry later.");
    }

    private static IResult Unauthorized(HttpContext http, ILoggerFactory logs, string provider, string problem)
    {
        // The reason is ours (never the signature or body), so it is safe to log.
        logs.CreateLogger("Personas.Webhooks").LogWarning("Refused a {Provider} webhook from {Address}: {Problem}", provider, http.Connection.RemoteIpAddress, problem);
        return ProblemWriter.Result(http, 401, "Signature not accepted", problem, "signature");
    }
}

/// <summary>A delivery taken: the provider's id for it.</summary>
public sealed record WebhookReceived(string Received);
