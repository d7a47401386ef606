using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Personas.Durable;
using Personas.Durable.Storage;
using Personas.Functions.Auth;
using Personas.Functions.Hosting;
using Personas.Functions.Problems;

namespace Personas.Functions.Instances;

/// <summary>
/// Instance management in the shape of the Durable Functions HTTP API. Every route sees only the caller's own
/// instances: another owner's instance answers exactly as a missing one does, so ids leak nothing.
/// </summary>
public static class InstanceEndpoints
{
    public static void MapInstanceEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/orchestrators/{name}/{instanceId?}", StartOrchestration.HandleAsync)
            .WithName("StartOrchestration").WithTags("Instances")
            .WithSummary("Starts an orchestration. Idempotent on the instance id and on the Idempotency-Key header.")
            .Produces<InstanceManagementPayload>(202).ProducesProblem(400).ProducesProblem(404).ProducesProblem(409).ProducesProblem(413).ProducesProblem(422);

        var instances = app.MapGroup("/api/instances").WithTags("Instances");
        instances.MapGet("/", QueryAsync).WithName("QueryInstances").WithSummary("Lists the caller's instances, filtered and paged.")
            .ProducesProblem(400);
        instances.MapGet("/{instanceId}", GetAsync).WithName("GetInstance")
            .WithSummary("An instance's status: 202 while it runs, 200 once it has finished.")
            .Produces<InstanceStatusPayload>(200).Produces<InstanceStatusPayload>(202).ProducesProblem(404);
        instances.MapDelete("/{instanceId}", PurgeAsync).WithName("PurgeInstance").WithSummary("Deletes a finished instance and its history.")
            .ProducesProblem(404).ProducesProblem(409);
        instances.MapPost("/{instanceId}/raiseEvent/{eventName}", RaiseEventAsync).WithName("RaiseEvent")
            .WithSummary("Sends an event to a running instance. Idempotency-Key makes a retried delivery count once.")
            .ProducesProblem(400).ProducesProblem(404).ProducesProblem(410);
        instances.MapPost("/{instanceId}/terminate", (string instanceId, string? reason, HttpContext http, DurableTaskClient client) =>
            ControlAsync(instanceId, reason, http, client, client.TerminateInstanceAsync)).WithName("TerminateInstance").ProducesProblem(404).ProducesProblem(410);
        instances.MapPost("/{instanceId}/suspend", (string instanceId, string? reason, HttpContext http, DurableTaskClient client) =>
            ControlAsync(instanceId, reason, http, client, client.SuspendInstanceAsync)).WithName("SuspendInstance").ProducesProblem(404).ProducesProblem(410);
        instances.MapPost("/{instanceId}/resume", (string instanceId, string? reason, HttpContext http, DurableTaskClient client) =>
            ControlAsync(instanceId, reason, http, client, client.ResumeInstanceAsync)).WithName("ResumeInstance").ProducesProblem(404).ProducesProblem(410);
    }

    private static async Task<IResult> GetAsync(string instanceId, HttpContext http, DurableTaskClient client, IOptions<PersonasSettings> settings,
        bool showHistory = false, bool showInput = true)
    {
        if (await FindOwnedAsync(instanceId, http, client) is not { } instance) return NotFound(http, instanceId);
        var history = showHistory ? await client.GetHistoryAsync(instanceId, http.RequestAborted) : null;
        var payload = InstancePayloads.Status(instance, showInput, history);
        if (instance.IsCompleted) return TypedResults.Ok(payload);
        http.Response.Headers.RetryAfter = settings.Value.RetryAfterSeconds.ToString();
        return TypedResults.Accepted(InstancePayloads.Management(http, instance).StatusQueryGetUri, payload);
    }

    private static async Task<IResult> QueryAsync(HttpContext http, DurableTaskClient client, string? runtimeStatus = null, string? name = null,
        DateTimeOffset? createdTimeFrom = null, DateTimeOffset? createdTimeTo = null, int top = 100, bool showInput = false,
        [FromHeader(Name = "x-ms-continuation-token")] string? continuationToken = null)
    {
        var statuses = new List<OrchestrationRuntimeStatus>();
        foreach (var s in (runtimeStatus ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Enum.TryParse<OrchestrationRuntimeStatus>(s, ignoreCase: true, out var status) || int.TryParse(s, out _))
                return ProblemWriter.Invalid(http, "runtimeStatus", $"'{s}' is not a status. Use {string.Join(", ", Enum.GetNames<OrchestrationRuntimeStatus>())}.");
            statuses.Add(status);
        }
        if (top is < 1 or > 1000) return ProblemWriter.Invalid(http, "top", "Must be between 1 and 1000.");
        InstancePage page;
        try
        {
            page = await client.QueryInstancesAsync(new InstanceQuery
            {
                Statuses = statuses, Name = name, CreatedFrom = createdTimeFrom, CreatedTo = createdTimeTo, PageSize = top,
                ContinuationToken = continuationToken, FetchInputsAndOutputs = showInput,
                Tags = new Dictionary<string, string> { [StartOrchestration.OwnerTag] = http.User.Owner() },
            }, http.RequestAborted);
        }
        catch (ArgumentException)
        {
            return ProblemWriter.Invalid(http, "x-ms-continuation-token", "The continuation token is not one this API issued.");
        }
        if (page.ContinuationToken is not null) http.Response.Headers["x-ms-continuation-token"] = page.ContinuationToken;
        return TypedResults.Ok(page.Instances.Select(i => InstancePayloads.Status(i, showInput, null)).ToList());
    }

    private static async Task<IResult> RaiseEventAsync(string instanceId, string eventName, HttpContext http, DurableTaskClient client, IOptions<PersonasSettings> settings)
    {
        if (!InstanceRequests.EventName().IsMatch(eventName)) return ProblemWriter.Invalid(http, "eventName", InstanceRequests.EventNameRule);
        var deliveryId = http.Request.Headers["Idempotency-Key"].ToString();
        if (deliveryId.Length > 0 && !InstanceRequests.IdempotencyKey().IsMatch(deliveryId))
            return ProblemWriter.Invalid(http, "Idempotency-Key", InstanceRequests.IdempotencyKeyRule);
        var (payload, problem) = await JsonBody.ReadAsync(http, settings.Value.MaxJsonBodyBytes);
        if (problem is not null) return problem;
        if (await FindOwnedAsync(instanceId, http, client) is not { } instance) return NotFound(http, instanceId);
        if (instance.IsCompleted) return Gone(http, instance);
        try
        {
            await client.RaiseEventAsync(instanceId, eventName, payload, deliveryId.Length > 0 ? deliveryId : null, http.RequestAborted);
        }
        catch (OrchestrationStateException)
        {
            return Gone(http, instance);
        }
        return TypedResults.Accepted((string?)null);
    }

    private static async Task<IResult> ControlAsync(string instanceId, string? reason, HttpContext http, DurableTaskClient client,
        Func<string, string?, CancellationToken, Task> control)
    {
        if (reason?.Length > InstanceRequests.MaxReasonLength) return ProblemWriter.Invalid(http, "reason", $"At most {InstanceRequests.MaxReasonLength} characters.");
        if (await FindOwnedAsync(instanceId, http, client) is not { } instance) return NotFound(http, instanceId);
        if (instance.IsCompleted) return Gone(http, instance);
        try
        {
            await control(instanceId, reason, http.RequestAborted);
        }
        catch (OrchestrationStateException)
        {
            return Gone(http, instance);
        }
        return TypedResults.Accepted((string?)null);
    }

    private static async Task<IResult> PurgeAsync(string instanceId, HttpContext http, DurableTaskClient client)
    {
        if (await FindOwnedAsync(instanceId, http, client) is null) return NotFound(http, instanceId);
        try
        {
            return await client.PurgeInstanceAsync(instanceId, http.RequestAborted)
                ? TypedResults.Ok(new PurgePayload(1))
                : NotFound(http, instanceId);
        }
        catch (OrchestrationStateException ex)
        {
            return ProblemWriter.Result(http, 409, "Instance still running", $"Instance '{instanceId}' is {ex.Status}. Terminate it, then purge it.", "instanceId");
        }
    }

    private static async Task<OrchestrationMetadata?> FindOwnedAsync(string instanceId, HttpContext http, DurableTaskClient client)
    {
        if (!InstanceRequests.InstanceId().IsMatch(instanceId)) return null;
        var instance = await client.GetInstanceAsync(instanceId, http.RequestAborted);
        return instance?.Tags.GetValueOrDefault(StartOrchestration.OwnerTag) == http.User.Owner() ? instance : null;
    }

    private static IResult NotFound(HttpContext http, string instanceId) =>
        ProblemWriter.Result(http, 404, "Not found", $"No instance '{instanceId}' exists for this caller.", "instanceId");

    private static IResult Gone(HttpContext http, OrchestrationMetadata instance) =>
        ProblemWriter.Result(http, 410, "Instance finished", $"Instance '{instance.InstanceId}' has already finished ({instance.RuntimeStatus}).", "instanceId");
}
