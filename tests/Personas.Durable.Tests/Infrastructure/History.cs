using System.Text.Json;
using DurableTask.Core.History;

namespace Personas.Durable.Tests.Infrastructure;

/// <summary>
/// An instance's stored history, read from the backend itself: the sidecar does not serve the client's history call,
/// and the backend's own view is what "exactly once in history" is about. Null where the backend keeps no readable
/// history (the memory backend), so the callers' history checks apply to persisted backends only.
/// </summary>
public static class History
{
    public static async Task<List<StoredEvent>?> ReadAsync(DurableHost host, string instanceId)
    {
        if (host.Backend.Name == DurableBackends.Memory) return null;
        var states = await host.Backend.Client.GetOrchestrationStateAsync(instanceId, allExecutions: false);
        var executionId = states?.FirstOrDefault()?.OrchestrationInstance?.ExecutionId;
        if (executionId is null) return [];
        var json = await host.Backend.Client.GetOrchestrationHistoryAsync(instanceId, executionId);
        if (string.IsNullOrEmpty(json)) return [];
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.EnumerateArray().Select(Read).ToList();
    }

    private static StoredEvent Read(JsonElement e)
    {
        var type = e.TryGetProperty("EventType", out var t) ? (EventType)t.GetInt32() : (EventType)(-1);
        var name = e.TryGetProperty("Name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
        var taskId = e.TryGetProperty("TaskScheduledId", out var id) && id.ValueKind == JsonValueKind.Number
            ? id.GetInt32() : (int?)null;
        var eventId = e.TryGetProperty("EventId", out var ev) && ev.ValueKind == JsonValueKind.Number
            ? ev.GetInt32() : (int?)null;
        var at = e.TryGetProperty("Timestamp", out var ts) && ts.ValueKind == JsonValueKind.String
            && DateTime.TryParse(ts.GetString(), null, System.Globalization.DateTimeStyles.RoundtripKind, out var time)
            ? time : (DateTime?)null;
        return new StoredEvent(type, name, taskId, eventId, at);
    }
}

public sealed record StoredEvent(EventType Type, string? Name, int? TaskScheduledId, int? EventId = null,
    DateTime? Timestamp = null)
{
    /// <summary>
    /// Type, event id, the task it answers and its time: enough to tell what a stuck instance waits for.
    /// </summary>
    public override string ToString() =>
        $"{Type}#{EventId}{(TaskScheduledId is { } t ? $"->{t}" : "")}@{Timestamp:HH:mm:ss.fff}";
}
