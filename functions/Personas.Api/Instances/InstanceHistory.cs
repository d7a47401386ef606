using System.Text.Json;
using System.Text.Json.Nodes;
using DurableTask.Core.History;
using Personas.Durable.Hosting;

namespace Personas.Api.Instances;

/// <summary>
/// An instance's history for <c>?showHistory=true</c>. The SDK's client cannot stream history through our sidecar,
/// so it is read from the backend directly: DurableTask.Core hands it over as its own JSON (Newtonsoft, PascalCase,
/// event types as numbers), which is mapped here onto the Durable Functions payload shape. Under Durable Functions
/// there is no sidecar of ours (the extension owns the backend), so history is not served there.
/// </summary>
public sealed class InstanceHistory(IServiceProvider services)
{
    private readonly SidecarServer? _sidecar = services.GetService<SidecarServer>();

    /// <summary>
    /// The events, oldest first; null when the backend keeps no readable history (the memory backend).
    /// </summary>
    public async Task<IReadOnlyList<HistoryEventPayload>?> ReadAsync(string instanceId)
    {
        if (_sidecar is null) return null;
        string json;
        try
        {
            json = await _sidecar.Backend.Client.GetOrchestrationHistoryAsync(instanceId, null);
        }
        catch (Exception ex) when (ex is NotImplementedException or NotSupportedException)
        {
            return null;
        }
        if (string.IsNullOrEmpty(json) || JsonNode.Parse(json) is not JsonArray events) return [];
        return events.OfType<JsonObject>().Select(Event).ToList();
    }

    private static HistoryEventPayload Event(JsonObject e) => new(
        EventTypeName(e["EventType"]),
        Date(e["Timestamp"]) ?? DateTimeOffset.MinValue,
        Text(e["Name"]),
        TaskId(e),
        Data(Text(e["Input"]) ?? Text(e["Result"])),
        Failure(e),
        Date(e["FireAt"]),
        Text(e["InstanceId"]) ?? Text(e["OrchestrationInstance"]?["InstanceId"]));

    private static string EventTypeName(JsonNode? type) => type?.GetValueKind() == JsonValueKind.Number
        ? Enum.GetName(typeof(EventType), type.GetValue<int>()) ?? type.ToJsonString()
        : Text(type) ?? "Unknown";

    /// <summary>Which task the event belongs to: a completion names its scheduling event, a timer its timer.</summary>
    private static int? TaskId(JsonObject e) =>
        Number(e["TaskScheduledId"]) ?? Number(e["TimerId"]) ?? (Number(e["EventId"]) is >= 0 and var id ? id : null);

    private static FailurePayload? Failure(JsonObject e) => Details(e["FailureDetails"] as JsonObject)
        ?? (Text(e["Reason"]) is { } reason ? new FailurePayload(reason, Text(e["Details"]) ?? "", null) : null);

    private static FailurePayload? Details(JsonObject? f) => f is null ? null
        : new FailurePayload(Text(f["ErrorType"]) ?? "", Text(f["ErrorMessage"]) ?? "",
            Details(f["InnerFailure"] as JsonObject));

    /// <summary>Inputs and results are JSON text; anything that is not (a plain reason) is kept as a string.</summary>
    private static JsonNode? Data(string? text)
    {
        if (text is null) return null;
        try { return JsonNode.Parse(text); }
        catch (JsonException) { return JsonValue.Create(text); }
    }

    private static string? Text(JsonNode? node) =>
        node?.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : null;

    private static int? Number(JsonNode? node) =>
        node?.GetValueKind() == JsonValueKind.Number ? node.GetValue<int>() : null;

    private static DateTimeOffset? Date(JsonNode? node) =>
        Text(node) is { } text
            && DateTimeOffset.TryParse(text, null, System.Globalization.DateTimeStyles.AssumeUniversal, out var at)
            ? at : null;
}
