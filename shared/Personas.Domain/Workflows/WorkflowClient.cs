using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Personas.Domain.Stores;

namespace Personas.Domain.Workflows;

/// <summary>
/// What the product needs from Microsoft.DurableTask's client beyond what it offers: starts that are idempotent on
/// the instance id, events that are applied once per event id, and instance status with its payloads.
/// </summary>
public static class WorkflowClient
{
    extension(OrchestrationMetadata instance)
    {
        /// <summary>
        /// Not finished: waiting to start, running or suspended. (The SDK's IsRunning means Running only.)
        /// </summary>
        public bool IsActive => instance.RuntimeStatus is OrchestrationRuntimeStatus.Pending
            or OrchestrationRuntimeStatus.Running or OrchestrationRuntimeStatus.Suspended;
    }

    /// <summary>The instance with its input, output and custom status, or null.</summary>
    public static Task<OrchestrationMetadata?> GetStatusAsync(this DurableTaskClient client, string instanceId,
        CancellationToken ct = default) => client.GetInstanceAsync(instanceId, getInputsAndOutputs: true, ct);

    /// <summary>
    /// Schedules <paramref name="name"/> under the options' instance id unless an instance with that id exists, in
    /// any state; returns that instance and whether this call created it. A concurrent start of the same id may win
    /// the race: the backend then refuses ours, and the instance it made is returned.
    /// </summary>
    public static async Task<(OrchestrationMetadata Instance, bool Created)> StartOnceAsync(
        this DurableTaskClient client, string name, object? input, StartOrchestrationOptions options,
        CancellationToken ct = default)
    {
        var id = options.InstanceId
            ?? throw new ArgumentException("An idempotent start needs an instance id.", nameof(options));
        if (await client.GetStatusAsync(id, ct) is { } existing) return (existing, false);
        try
        {
            await client.ScheduleNewOrchestrationInstanceAsync(name, input, options, ct);
        }
        catch (Exception) when (!ct.IsCancellationRequested)
        {
            // The sidecar answers AlreadyExists (as an RpcException or InvalidOperationException, by backend).
            if (await client.GetStatusAsync(id, ct) is { } winner) return (winner, false);
            throw;
        }
        return (await WaitUntilVisibleAsync(client, id, ct), true);
    }

    /// <summary>
    /// Raises an event once per <paramref name="eventId"/> (when given): a repeated delivery is acknowledged and
    /// dropped. Returns false when it was a repeat.
    /// </summary>
    public static async Task<bool> RaiseEventOnceAsync(this DurableTaskClient client, IInstanceLedger ledger,
        string instanceId, string eventName, object? payload, string? eventId, CancellationToken ct = default)
    {
        if (eventId is not null && !await ledger.TryRecordEventAsync(instanceId, eventId, ct)) return false;
        try
        {
            await client.RaiseEventAsync(instanceId, eventName, payload, ct);
        }
        catch when (eventId is not null)
        {
            await ledger.ForgetEventAsync(instanceId, eventId, CancellationToken.None);
            throw;
        }
        return true;
    }

    /// <summary>Every instance whose id starts with <paramref name="prefix"/>, with payloads.</summary>
    public static async Task<IReadOnlyList<OrchestrationMetadata>> ListByPrefixAsync(this DurableTaskClient client,
        string prefix, CancellationToken ct = default)
    {
        var found = new List<OrchestrationMetadata>();
        var query = new OrchestrationQuery { InstanceIdPrefix = prefix, PageSize = 1000, FetchInputsAndOutputs = true };
        await foreach (var instance in client.GetAllInstancesAsync(query).WithCancellation(ct)) found.Add(instance);
        return found;
    }

    /// <summary>Some backends make a new instance visible to reads a moment after they accept it.</summary>
    private static async Task<OrchestrationMetadata> WaitUntilVisibleAsync(DurableTaskClient client, string id,
        CancellationToken ct)
    {
        for (var delay = 5; delay < 10_000; delay *= 2)
        {
            if (await client.GetStatusAsync(id, ct) is { } instance) return instance;
            await Task.Delay(delay, ct);
        }
        throw new InvalidOperationException($"Instance '{id}' was scheduled but never became visible.");
    }
}
