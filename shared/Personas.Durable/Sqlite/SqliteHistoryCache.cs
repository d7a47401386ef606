using System.Collections.Concurrent;
using DurableTask.Core.History;

namespace Personas.Durable.Sqlite;

/// <summary>
/// The history of instances this process committed last, so the next claim need not read and parse it again (its
/// JSON was most of a claim's cost). An entry is used only when the claimed row still has the same execution id and
/// history count: history only grows within an execution, so another process's commit, or a commit of ours that
/// rolled back, changes the count and the claim reads the table instead. Only the writer thread reads or sets it.
/// </summary>
internal sealed class SqliteHistoryCache(int capacity)
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public int Count => _entries.Count;

    /// <summary>A copy of the cached history, or null when there is none for this execution and count.</summary>
    public List<HistoryEvent>? Get(string instanceId, string executionId, int historyCount) =>
        _entries.TryGetValue(instanceId, out var entry) && entry.ExecutionId == executionId
            && entry.Events.Count == historyCount
            ? [.. entry.Events]
            : null;

    /// <summary>Keeps what an episode committed; a full cache keeps only entries it already has.</summary>
    public void Set(string instanceId, string executionId, IReadOnlyList<HistoryEvent> events)
    {
        if (_entries.Count >= capacity && !_entries.ContainsKey(instanceId)) return;
        _entries[instanceId] = new Entry(executionId, events);
    }

    public void Remove(string instanceId) => _entries.TryRemove(instanceId, out _);

    public void Clear() => _entries.Clear();

    private sealed record Entry(string ExecutionId, IReadOnlyList<HistoryEvent> Events);
}
