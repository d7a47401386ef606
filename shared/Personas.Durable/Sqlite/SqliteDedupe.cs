using DurableTask.Core.History;

namespace Personas.Durable.Sqlite;

/// <summary>
/// Results arrive at least once (an activity whose lease expired runs again; a timer row may be read twice by a
/// crashed claim). A result for a task, timer or child the history already settled is dropped, not replayed twice.
/// </summary>
internal static class SqliteDedupe
{
    public static HashSet<(char Kind, int Id)> Completions(IEnumerable<HistoryEvent> history)
    {
        var seen = new HashSet<(char, int)>();
        foreach (var e in history)
            if (Key(e) is { } key) seen.Add(key);
        return seen;
    }

    /// <summary>
    /// True when <paramref name="e"/> settles nothing settled before; records it in <paramref name="seen"/>.
    /// </summary>
    public static bool IsNew(HistoryEvent e, HashSet<(char Kind, int Id)> seen, bool started)
    {
        if (e is ExecutionStartedEvent) return !started;
        return Key(e) is not { } key || seen.Add(key);
    }

    private static (char, int)? Key(HistoryEvent e) => e switch
    {
        TaskCompletedEvent t => ('t', t.TaskScheduledId),
        TaskFailedEvent t => ('t', t.TaskScheduledId),
        TimerFiredEvent t => ('f', t.TimerId),
        SubOrchestrationInstanceCompletedEvent s => ('s', s.TaskScheduledId),
        SubOrchestrationInstanceFailedEvent s => ('s', s.TaskScheduledId),
        _ => null,
    };
}
