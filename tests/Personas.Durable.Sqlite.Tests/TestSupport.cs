using DurableTask.Core;
using DurableTask.Core.History;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Personas.Durable.Sqlite;

namespace Personas.Durable.Sqlite.Tests;

/// <summary>A clock the test moves by hand: as the service's clock (due times) or as its lease clock.</summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private long _ticks = start.UtcTicks;

    public ManualClock() : this(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero)) { }

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
}

/// <summary>A temp folder per test class, deleted afterwards.</summary>
public sealed class TempDir : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("personas-sqlite-").FullName;

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}

internal static class Svc
{
    public static async Task<SqliteOrchestrationService> Open(string path, TimeProvider clock,
        TimeProvider? leaseClock = null, int leaseSeconds = 30, ILoggerFactory? logs = null)
    {
        var service = new SqliteOrchestrationService(new SqliteOrchestrationServiceOptions
        {
            DatabasePath = path,
            LeaseDuration = TimeSpan.FromSeconds(leaseSeconds),
            LeaseClock = leaseClock ?? TimeProvider.System,
            MaxPollInterval = TimeSpan.FromMilliseconds(50),
        }, clock, logs ?? NullLoggerFactory.Instance);
        await service.CreateIfNotExistsAsync();
        return service;
    }

    public static TaskMessage Start(string id, string name = "Orch", string? input = "\"in\"",
        DateTime? scheduledStart = null)
    {
        var instance = new OrchestrationInstance { InstanceId = id, ExecutionId = Guid.NewGuid().ToString("N") };
        return new TaskMessage
        {
            Event = new ExecutionStartedEvent(-1, input)
            {
                Name = name, OrchestrationInstance = instance, ScheduledStartTime = scheduledStart,
            },
            OrchestrationInstance = instance,
        };
    }

    public static TaskMessage To(string id, HistoryEvent e, string? executionId = null) => new()
    {
        Event = e,
        OrchestrationInstance = new OrchestrationInstance { InstanceId = id, ExecutionId = executionId },
    };

    public static async Task<TaskOrchestrationWorkItem?> Lock(SqliteOrchestrationService s, int ms = 300) =>
        await s.LockNextTaskOrchestrationWorkItemAsync(TimeSpan.FromMilliseconds(ms), CancellationToken.None);

    public static async Task<TaskActivityWorkItem?> LockActivity(SqliteOrchestrationService s, int ms = 300) =>
        await s.LockNextTaskActivityWorkItem(TimeSpan.FromMilliseconds(ms), CancellationToken.None);

    /// <summary>
    /// Runs an episode the way the sidecar does: new messages become events, then the actions' events.
    /// </summary>
    public static OrchestrationRuntimeState Episode(TaskOrchestrationWorkItem item, params HistoryEvent[] actions)
    {
        var state = item.OrchestrationRuntimeState;
        state.AddEvent(new OrchestratorStartedEvent(-1));
        foreach (var m in item.NewMessages) state.AddEvent(m.Event);
        foreach (var e in actions) state.AddEvent(e);
        state.AddEvent(new OrchestratorCompletedEvent(-1));
        return state;
    }

    public static Task Complete(SqliteOrchestrationService s, TaskOrchestrationWorkItem item,
        OrchestrationRuntimeState state, IList<TaskMessage>? activities = null, IList<TaskMessage>? timers = null,
        IList<TaskMessage>? orchestrators = null) =>
        s.CompleteTaskOrchestrationWorkItemAsync(item, state, activities ?? [], orchestrators ?? [], timers ?? [],
            null!, null!);
}

/// <summary>Keeps every log line written through it, formatted, with its level.</summary>
public sealed class ListLogs : ILoggerProvider, ILogger
{
    private readonly List<(LogLevel Level, string Text)> _lines = [];

    public IReadOnlyList<(LogLevel Level, string Text)> Lines
    {
        get { lock (_lines) return [.. _lines]; }
    }

    public ILogger CreateLogger(string categoryName) => this;

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
        Func<TState, Exception?, string> formatter)
    {
        lock (_lines) _lines.Add((logLevel, formatter(state, exception)));
    }

    public void Dispose() { }
}
