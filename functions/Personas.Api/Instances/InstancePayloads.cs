using System.Text.Json.Nodes;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Personas.Api.Auth;

namespace Personas.Api.Instances;

/// <summary>
/// What a start (or any long-running request) answers with: where to poll, signal, stop and clean up the instance.
/// </summary>
public sealed record InstanceManagementPayload(
    string Id,
    OrchestrationRuntimeStatus RuntimeStatus,
    JsonNode? CustomStatus,
    string StatusQueryGetUri,
    string SendEventPostUri,
    string TerminatePostUri,
    string SuspendPostUri,
    string ResumePostUri,
    string PurgeHistoryDeleteUri);

/// <summary>An instance's status, in the Durable Functions HTTP API shape.</summary>
public sealed record InstanceStatusPayload(
    string Name,
    string InstanceId,
    string? Version,
    OrchestrationRuntimeStatus RuntimeStatus,
    JsonNode? Input,
    JsonNode? CustomStatus,
    JsonNode? Output,
    FailurePayload? FailureDetails,
    DateTimeOffset CreatedTime,
    DateTimeOffset LastUpdatedTime,
    IReadOnlyList<HistoryEventPayload>? HistoryEvents);

/// <summary>A failure as callers see it: type and message, never a stack trace.</summary>
public sealed record FailurePayload(string ErrorType, string ErrorMessage, FailurePayload? InnerFailure)
{
    public static FailurePayload? From(TaskFailureDetails? f) =>
        f is null ? null : new(f.ErrorType, f.ErrorMessage, From(f.InnerFailure));
}

/// <summary>
/// One history event, named as DurableTask.Core names its event types (EventRaised, TimerFired, ...).
/// </summary>
public sealed record HistoryEventPayload(string EventType, DateTimeOffset Timestamp, string? Name, int? TaskId,
    JsonNode? Data, FailurePayload? FailureDetails, DateTimeOffset? FireAt, string? InstanceId);

public sealed record PurgePayload(int InstancesDeleted);

internal static class InstancePayloads
{
    public static InstanceManagementPayload Management(HttpContext http, OrchestrationMetadata instance)
    {
        var id = OwnedInstances.DisplayId(instance.InstanceId, http.User.Owner());
        var baseUri = $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}/api/instances/" +
            Uri.EscapeDataString(id);
        return new InstanceManagementPayload(id, instance.RuntimeStatus, Json(instance.SerializedCustomStatus),
            baseUri, $"{baseUri}/raiseEvent/{{eventName}}", $"{baseUri}/terminate?reason={{text}}",
            $"{baseUri}/suspend?reason={{text}}", $"{baseUri}/resume?reason={{text}}", baseUri);
    }

    /// <remarks>
    /// The SDK's instance metadata carries no version; the field stays for the Durable Functions shape.
    /// </remarks>
    public static InstanceStatusPayload Status(OrchestrationMetadata m, string owner, bool showInput,
        IReadOnlyList<HistoryEventPayload>? history) =>
        new(m.Name, OwnedInstances.DisplayId(m.InstanceId, owner), null, m.RuntimeStatus,
            showInput ? Json(m.SerializedInput) : null,
            Json(m.SerializedCustomStatus), Json(m.SerializedOutput), FailurePayload.From(m.FailureDetails),
            m.CreatedAt, m.LastUpdatedAt, history);

    /// <summary>
    /// A payload as JSON. A failed instance's output can be its plain failure message rather than JSON (the SQLite
    /// backend stores it so); that is answered as a string, not a 500.
    /// </summary>
    internal static JsonNode? Json(string? serialized)
    {
        if (serialized is null) return null;
        try { return JsonNode.Parse(serialized); }
        catch (System.Text.Json.JsonException) { return JsonValue.Create(serialized); }
    }
}
