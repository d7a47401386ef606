using Personas.Durable.History;
using Personas.Durable.Storage;

namespace Personas.Durable.Worker;

/// <summary>
/// Decides which inbox messages an episode applies. Delivery is at least once, so the same completion, timer or event
/// can arrive twice; effects in history must be exactly once, so duplicates and stale messages are dropped here (and
/// still consumed).
/// </summary>
internal static class NewEventFilter
{
    public static List<HistoryEvent> Select(IReadOnlyList<HistoryEvent> history, IEnumerable<OrchestrationMessage> messages, string executionId)
    {
        var scheduled = new HashSet<int>();
        var answered = new HashSet<int>();
        var eventIds = new HashSet<string>(StringComparer.Ordinal);
        var started = false;
        foreach (var e in history)
        {
            if (e.IsScheduling) scheduled.Add(e.TaskId);
            else if (e.IsTaskAnswer) answered.Add(e.TaskId);
            else if (e.Type == HistoryEventType.EventRaised && e.EventId is { } id) eventIds.Add(id);
            else if (e.Type == HistoryEventType.ExecutionStarted) started = true;
        }

        var accepted = new List<HistoryEvent>();
        foreach (var m in messages)
        {
            var e = m.Event;
            var keep = e.Type switch
            {
                HistoryEventType.ExecutionStarted => m.ExecutionId == executionId && !started && (started = true),
                HistoryEventType.EventRaised => e.EventId is null || eventIds.Add(e.EventId),
                _ when e.IsTaskAnswer => m.ExecutionId == executionId && scheduled.Contains(e.TaskId) && answered.Add(e.TaskId),
                _ => false,
            };
            if (keep) accepted.Add(e);
        }
        // The start must come first, even when events raised early sit before it in the inbox.
        return accepted.OrderBy(e => e.Type == HistoryEventType.ExecutionStarted ? 0 : 1).ToList();
    }
}
