using Microsoft.DurableTask.Client.Entities;

namespace Personas.Functions.Hosting;

/// <summary>
/// The invocation's Durable client as DI hands it out. DI disposes what a scoped factory returns, but the binding's
/// client belongs to the Durable extension (it may share a channel across invocations), so this forwards every call and
/// never disposes the client it borrows.
/// </summary>
internal sealed class BorrowedDurableClient(DurableTaskClient inner) : DurableTaskClient(inner.Name)
{
    public override DurableEntityClient Entities => inner.Entities;

    public override Task<string> ScheduleNewOrchestrationInstanceAsync(TaskName orchestratorName, object? input,
        StartOrchestrationOptions? options, CancellationToken cancellation) =>
        inner.ScheduleNewOrchestrationInstanceAsync(orchestratorName, input, options, cancellation);

    public override Task RaiseEventAsync(string instanceId, string eventName, object? eventPayload,
        CancellationToken cancellation) => inner.RaiseEventAsync(instanceId, eventName, eventPayload, cancellation);

    public override Task<OrchestrationMetadata> WaitForInstanceStartAsync(string instanceId, bool getInputsAndOutputs,
        CancellationToken cancellation) =>
        inner.WaitForInstanceStartAsync(instanceId, getInputsAndOutputs, cancellation);

    public override Task<OrchestrationMetadata> WaitForInstanceCompletionAsync(string instanceId,
        bool getInputsAndOutputs, CancellationToken cancellation) =>
        inner.WaitForInstanceCompletionAsync(instanceId, getInputsAndOutputs, cancellation);

    public override Task TerminateInstanceAsync(string instanceId, TerminateInstanceOptions? options,
        CancellationToken cancellation) => inner.TerminateInstanceAsync(instanceId, options, cancellation);

    public override Task SuspendInstanceAsync(string instanceId, string? reason, CancellationToken cancellation) =>
        inner.SuspendInstanceAsync(instanceId, reason, cancellation);

    public override Task ResumeInstanceAsync(string instanceId, string? reason, CancellationToken cancellation) =>
        inner.ResumeInstanceAsync(instanceId, reason, cancellation);

    public override Task<OrchestrationMetadata?> GetInstanceAsync(string instanceId, bool getInputsAndOutputs,
        CancellationToken cancellation) => inner.GetInstanceAsync(instanceId, getInputsAndOutputs, cancellation);

    public override Task<OrchestrationMetadata?> GetInstancesAsync(string instanceId, bool getInputsAndOutputs,
        CancellationToken cancellation) => inner.GetInstancesAsync(instanceId, getInputsAndOutputs, cancellation);

    public override AsyncPageable<OrchestrationMetadata> GetAllInstancesAsync(OrchestrationQuery? filter = null) =>
        inner.GetAllInstancesAsync(filter);

    public override Task<PurgeResult> PurgeInstanceAsync(string instanceId, PurgeInstanceOptions? options,
        CancellationToken cancellation) => inner.PurgeInstanceAsync(instanceId, options, cancellation);

    public override Task<PurgeResult> PurgeAllInstancesAsync(PurgeInstancesFilter filter, PurgeInstanceOptions? options,
        CancellationToken cancellation) => inner.PurgeAllInstancesAsync(filter, options, cancellation);

    public override Task<string> RestartAsync(string instanceId, bool restartWithNewInstanceId,
        CancellationToken cancellation) => inner.RestartAsync(instanceId, restartWithNewInstanceId, cancellation);

    public override Task RewindInstanceAsync(string instanceId, string reason, CancellationToken cancellation) =>
        inner.RewindInstanceAsync(instanceId, reason, cancellation);

    public override ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
