using Personas.Durable.History;
using Personas.Durable.Storage;

namespace Personas.Durable;

/// <summary>Starts, signals, inspects and cleans up orchestration instances. Names follow Microsoft.DurableTask.</summary>
public sealed class DurableTaskClient(IOrchestrationStore store, TimeProvider clock, JsonDataConverter converter)
{
    /// <summary>
    /// Schedules a new instance. Idempotent on the instance id: when that id exists, nothing changes and the id is
    /// returned; compare the existing instance's name and input if that matters to the caller.
    /// </summary>
    public async Task<string> ScheduleNewOrchestrationInstanceAsync(string orchestratorName, object? input = null,
        StartOrchestrationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var instanceId = options?.InstanceId ?? Guid.NewGuid().ToString("N");
        var now = clock.GetUtcNow();
        var instance = NewInstanceRecord(instanceId, orchestratorName, options?.Version, converter.Serialize(input),
            options?.Tags ?? new Dictionary<string, string>(), parent: null, now, options?.StartAt ?? now);
        await store.CreateInstanceAsync(instance, cancellationToken);
        return instanceId;
    }

    /// <summary>Sends an event to a running instance. Events sent before it waits are buffered, not lost.</summary>
    /// <param name="eventId">Optional delivery id: a second event with the same id is ignored.</param>
    /// <exception cref="OrchestrationNotFoundException">No such instance.</exception>
    /// <exception cref="OrchestrationStateException">The instance has finished.</exception>
    public Task RaiseEventAsync(string instanceId, string eventName, object? eventPayload = null, string? eventId = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(eventName);
        var e = new HistoryEvent(HistoryEventType.EventRaised, clock.GetUtcNow()) { Name = eventName, Data = converter.Serialize(eventPayload), EventId = eventId };
        return SendAsync(instanceId, eventId is null ? $"event|{Guid.NewGuid():N}" : $"event|{eventId}", e, cancellationToken);
    }

    public Task TerminateInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellationToken = default) =>
        Control(instanceId, HistoryEventType.ExecutionTerminated, reason, cancellationToken);

    public Task SuspendInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellationToken = default) =>
        Control(instanceId, HistoryEventType.ExecutionSuspended, reason, cancellationToken);

    public Task ResumeInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellationToken = default) =>
        Control(instanceId, HistoryEventType.ExecutionResumed, reason, cancellationToken);

    public Task<OrchestrationMetadata?> GetInstanceAsync(string instanceId, CancellationToken cancellationToken = default) =>
        store.GetInstanceAsync(instanceId, cancellationToken);

    public Task<IReadOnlyList<HistoryEvent>> GetHistoryAsync(string instanceId, CancellationToken cancellationToken = default) =>
        store.GetHistoryAsync(instanceId, cancellationToken);

    public Task<InstancePage> QueryInstancesAsync(InstanceQuery query, CancellationToken cancellationToken = default) =>
        store.QueryInstancesAsync(query, cancellationToken);

    /// <exception cref="OrchestrationStateException">The instance is still running.</exception>
    public Task<bool> PurgeInstanceAsync(string instanceId, CancellationToken cancellationToken = default) =>
        store.PurgeInstanceAsync(instanceId, cancellationToken);

    public Task<OrchestrationMetadata> WaitForInstanceStartAsync(string instanceId, CancellationToken cancellationToken = default) =>
        WaitForAsync(instanceId, m => m.RuntimeStatus != OrchestrationRuntimeStatus.Pending, cancellationToken);

    public Task<OrchestrationMetadata> WaitForInstanceCompletionAsync(string instanceId, CancellationToken cancellationToken = default) =>
        WaitForAsync(instanceId, m => m.IsCompleted, cancellationToken);

    private async Task<OrchestrationMetadata> WaitForAsync(string instanceId, Func<OrchestrationMetadata, bool> done, CancellationToken cancellationToken)
    {
        // Polls in real time: the injected clock is the durable clock, and may be a test's manual one.
        var delay = TimeSpan.FromMilliseconds(5);
        while (true)
        {
            var metadata = await store.GetInstanceAsync(instanceId, cancellationToken) ?? throw new OrchestrationNotFoundException(instanceId);
            if (done(metadata)) return metadata;
            await Task.Delay(delay, cancellationToken);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 250));
        }
    }

    private Task Control(string instanceId, HistoryEventType type, string? reason, CancellationToken cancellationToken) =>
        SendAsync(instanceId, $"{type}|{Guid.NewGuid():N}", new HistoryEvent(type, clock.GetUtcNow()) { Data = converter.Serialize(reason) }, cancellationToken);

    private Task SendAsync(string instanceId, string messageId, HistoryEvent e, CancellationToken cancellationToken) =>
        store.SendMessageAsync(new OrchestrationMessage(messageId, instanceId, null, e, e.Timestamp), cancellationToken);

    internal static NewInstance NewInstanceRecord(string instanceId, string name, string? version, string? input,
        IReadOnlyDictionary<string, string> tags, ParentInstance? parent, DateTimeOffset now, DateTimeOffset startAt)
    {
        var executionId = Guid.NewGuid().ToString("N");
        var metadata = new OrchestrationMetadata
        {
            InstanceId = instanceId, Name = name, Version = version, ExecutionId = executionId, RuntimeStatus = OrchestrationRuntimeStatus.Pending,
            CreatedAt = now, LastUpdatedAt = now, SerializedInput = input, Tags = tags, Parent = parent,
        };
        var start = new HistoryEvent(HistoryEventType.ExecutionStarted, now) { Name = name, Version = version, Data = input, Parent = parent, Tags = tags };
        return new NewInstance(metadata, new OrchestrationMessage("start", instanceId, executionId, start, startAt));
    }
}
