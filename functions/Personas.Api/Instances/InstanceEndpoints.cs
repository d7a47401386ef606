using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Microsoft.DurableTask.Client;
using Personas.Domain.Stores;
using Personas.Domain.Workflows;
using Personas.Api.Auth;
using Personas.Api.Hosting;
using Personas.Api.Problems;
using System.Text.Json.Nodes;
using Personas.Api.OpenApi;

namespace Personas.Api.Instances;

/// <summary>
/// Instance management in the shape of the Durable Functions HTTP API. Every route sees only the caller's own
/// instances: another owner's instance answers exactly as a missing one does, so ids leak nothing.
/// </summary>
public static class InstanceEndpoints
{
    public static void MapInstanceEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost(StartOrchestration.Route, StartOrchestration.HandleAsync)
            .WithName("StartOrchestration").WithTags("Instances")
            .WithSummary("Starts an orchestration. Idempotent on the instance id and on the Idempotency-Key header.")
            .Documents<JsonObject>("application/json")
            .Produces<InstanceManagementPayload>(202).ProducesProblem(400).ProducesProblem(404).ProducesProblem(409).ProducesProblem(413).ProducesProblem(422);

        var instances = app.MapGroup("/api/instances").WithTags("Instances");
        instances.MapGet("/", QueryAsync).WithName("QueryInstances")
            .WithSummary("Lists the caller's instances, filtered and paged as in Durable Functions: top (100) per "
                + "page, and the x-ms-continuation-token response header to send back for the next page.")
            .Produces<List<InstanceStatusPayload>>().ProducesProblem(400);
        instances.MapGet("/{instanceId}", GetAsync).WithName("GetInstance")
            .WithSummary("An instance's status: 202 while it runs, 200 once it has finished.")
            .Produces<InstanceStatusPayload>(200).Produces<InstanceStatusPayload>(202).ProducesProblem(404)
            .ProducesProblem(501);
        instances.MapDelete("/{instanceId}", PurgeAsync).WithName("PurgeInstance")
            .WithSummary("Deletes a finished instance and its history.")
            .Produces<PurgePayload>().ProducesProblem(404).ProducesProblem(409);
        instances.MapPost("/{instanceId}/raiseEvent/{eventName}", RaiseEventAsync).WithName("RaiseEvent")
            .WithSummary("Sends an event to a running instance. Idempotency-Key makes a retried delivery count once.")
            .Documents<JsonNode>("application/json").Produces(202)
            .ProducesProblem(400).ProducesProblem(404).ProducesProblem(410);
        // A termination's reason becomes the instance's output, as in Durable Functions.
        instances.MapPost("/{instanceId}/terminate", (string instanceId, string? reason, HttpContext http,
                DurableTaskClient client, IInstanceLedger ledger) => ControlAsync(instanceId, reason, http, client,
                ledger, (id, why, ct) => client.TerminateInstanceAsync(id, (object?)why, ct)))
            .WithName("TerminateInstance").WithSummary("Terminates a running instance; reason becomes its output.")
            .Produces(202).ProducesProblem(400).ProducesProblem(404).ProducesProblem(410);
        instances.MapPost("/{instanceId}/suspend", (string instanceId, string? reason, HttpContext http,
                DurableTaskClient client, IInstanceLedger ledger) => ControlAsync(instanceId, reason, http, client,
                ledger, client.SuspendInstanceAsync))
            .WithName("SuspendInstance").WithSummary("Suspends a running instance.")
            .Produces(202).ProducesProblem(400).ProducesProblem(404).ProducesProblem(410);
        instances.MapPost("/{instanceId}/resume", (string instanceId, string? reason, HttpContext http,
                DurableTaskClient client, IInstanceLedger ledger) => ControlAsync(instanceId, reason, http, client,
                ledger, client.ResumeInstanceAsync))
            .WithName("ResumeInstance").WithSummary("Resumes a suspended instance.")
            .Produces(202).ProducesProblem(400).ProducesProblem(404).ProducesProblem(410);
    }

    private static async Task<IResult> GetAsync(string instanceId, HttpContext http, DurableTaskClient client,
        IInstanceLedger ledger, InstanceHistory histories, IOptions<PersonasSettings> settings,
        bool showHistory = false, bool showInput = true)
    {
        var instance = await client.FindOwnedAsync(ledger, http.User.Owner(), instanceId, http.RequestAborted);
        if (instance is null) return NotFound(http, instanceId);
        IReadOnlyList<HistoryEventPayload>? history = null;
        if (showHistory && (history = await histories.ReadAsync(instance.InstanceId)) is null)
            return ProblemWriter.Result(http, 501, "History not available",
                "This host's durable backend does not serve a readable history; ask without showHistory.",
                "showHistory");
        var payload = InstancePayloads.Status(instance, http.User.Owner(), showInput, history);
        if (!instance.IsActive) return TypedResults.Ok(payload);
        http.Response.Headers.RetryAfter = settings.Value.RetryAfterSeconds.ToString();
        return TypedResults.Accepted(InstancePayloads.Management(http, instance).StatusQueryGetUri, payload);
    }

    private static async Task<IResult> QueryAsync(HttpContext http, DurableTaskClient client, IInstanceLedger ledger,
        string? runtimeStatus = null, string? name = null, DateTimeOffset? createdTimeFrom = null,
        DateTimeOffset? createdTimeTo = null, int top = 100, bool showInput = false,
        [FromHeader(Name = "x-ms-continuation-token")] string? continuationToken = null)
    {
        var statuses = new List<OrchestrationRuntimeStatus>();
        foreach (var s in (runtimeStatus ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Enum.TryParse<OrchestrationRuntimeStatus>(s, ignoreCase: true, out var status) || int.TryParse(s, out _))
                return ProblemWriter.Invalid(http, "runtimeStatus",
                    $"'{s}' is not a status. Use {string.Join(", ", InstanceQueryPages.StatusNames)}.");
            statuses.Add(status);
        }
        if (top is < 1 or > 1000) return ProblemWriter.Invalid(http, "top", "Must be between 1 and 1000.");
        if (!InstanceQueryPages.TryReadToken(continuationToken, out var backendToken))
            return ProblemWriter.Invalid(http, "x-ms-continuation-token", "The continuation token is not one this API issued.");
        var query = new OrchestrationQuery
        {
            Statuses = statuses.Count > 0 ? statuses : null, CreatedFrom = createdTimeFrom, CreatedTo = createdTimeTo,
            PageSize = top, FetchInputsAndOutputs = true,
        };
        var page = await InstanceQueryPages.ReadOwnedPageAsync(client, ledger, http.User.Owner(), query, backendToken,
            http.RequestAborted);
        if (page.ContinuationToken is { } next) http.Response.Headers["x-ms-continuation-token"] = next;
        return TypedResults.Ok(page.Instances
            .Where(i => name is null || string.Equals(i.Name, name, StringComparison.OrdinalIgnoreCase))
            .Select(i => InstancePayloads.Status(i, http.User.Owner(), showInput, null)).ToList());
    }

    private static async Task<IResult> RaiseEventAsync(string instanceId, string eventName, HttpContext http,
        DurableTaskClient client, IInstanceLedger ledger, IOptions<PersonasSettings> settings)
    {
        if (!InstanceRequests.EventName().IsMatch(eventName)) return ProblemWriter.Invalid(http, "eventName", InstanceRequests.EventNameRule);
        if (IdempotentStart.KeyProblem(http, out var deliveryId) is { } keyProblem) return keyProblem;
        var (payload, problem) = await JsonBody.ReadAsync(http, settings.Value.MaxJsonBodyBytes);
        if (problem is not null) return problem;
        var instance = await client.FindOwnedAsync(ledger, http.User.Owner(), instanceId, http.RequestAborted);
        if (instance is null) return NotFound(http, instanceId);
        if (!instance.IsActive) return Gone(http, instance);
        await client.RaiseEventOnceAsync(ledger, instance.InstanceId, eventName, payload,
            deliveryId, http.RequestAborted);
        return TypedResults.Accepted((string?)null);
    }

    private static async Task<IResult> ControlAsync(string instanceId, string? reason, HttpContext http,
        DurableTaskClient client, IInstanceLedger ledger, Func<string, string?, CancellationToken, Task> control)
    {
        if (reason?.Length > InstanceRequests.MaxReasonLength)
            return ProblemWriter.Invalid(http, "reason", $"At most {InstanceRequests.MaxReasonLength} characters.");
        if (reason is not null && JsonTextRules.Problem(reason, freeText: true) is { } badText)
            return ProblemWriter.Invalid(http, "reason", badText);
        var instance = await client.FindOwnedAsync(ledger, http.User.Owner(), instanceId, http.RequestAborted);
        if (instance is null) return NotFound(http, instanceId);
        if (!instance.IsActive) return Gone(http, instance);
        await control(instance.InstanceId, reason, http.RequestAborted);
        return TypedResults.Accepted((string?)null);
    }

    private static async Task<IResult> PurgeAsync(string instanceId, HttpContext http, DurableTaskClient client,
        IInstanceLedger ledger)
    {
        var instance = await client.FindOwnedAsync(ledger, http.User.Owner(), instanceId, http.RequestAborted);
        if (instance is null) return NotFound(http, instanceId);
        if (instance.IsActive)
            return ProblemWriter.Result(http, 409, "Instance still running",
                $"Instance '{instanceId}' is {instance.RuntimeStatus}. Terminate it, then purge it.", "instanceId");
        var purged = await client.PurgeInstanceAsync(instance.InstanceId, cancellation: http.RequestAborted);
        await ledger.ForgetInstanceAsync(instance.InstanceId, http.RequestAborted);
        return purged.PurgedInstanceCount > 0 ? TypedResults.Ok(new PurgePayload(1)) : NotFound(http, instanceId);
    }

    private static IResult NotFound(HttpContext http, string instanceId) =>
        ProblemWriter.Result(http, 404, "Not found", $"No instance '{instanceId}' exists for this caller.", "instanceId");

    private static IResult Gone(HttpContext http, OrchestrationMetadata instance) =>
        ProblemWriter.Result(http, 410, "Instance finished",
            $"Instance '{OwnedInstances.DisplayId(instance.InstanceId, http.User.Owner())}' has already finished " +
            $"({instance.RuntimeStatus}).", "instanceId");
}
