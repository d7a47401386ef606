using Personas.Durable.Storage;
using Personas.Durable.Tests.Infrastructure;
using Personas.Durable.Worker;

namespace Personas.Durable.Tests.Conformance;

/// <summary>
/// The durable runtime's contract (DESIGN.md §4), written once against <see cref="IOrchestrationStore"/>. Each store
/// implementation runs it by deriving a class that says how to create a fresh, empty store.
/// </summary>
public abstract class ConformanceBase : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _hosts = [];

    /// <summary>A new, empty store. Two calls with the same <paramref name="shareWith"/> must see the same data.</summary>
    protected abstract IOrchestrationStore CreateStore(TimeProvider clock, IOrchestrationStore? shareWith = null);

    protected async Task<WorkerHost> StartAsync(Action<DurableTaskRegistry> register, TimeProvider? clock = null,
        IOrchestrationStore? store = null, Action<DurableWorkerOptions>? configure = null, bool runWorker = true)
    {
        clock ??= TimeProvider.System;
        var host = await WorkerHost.StartAsync(store ?? CreateStore(clock), clock, register, configure, runWorker);
        _hosts.Add(host);
        return host;
    }

    protected async Task StopAsync(WorkerHost host)
    {
        _hosts.Remove(host);
        await host.DisposeAsync();
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public virtual async Task DisposeAsync()
    {
        foreach (var host in _hosts) await host.DisposeAsync();
    }

    protected static DurableTaskRegistry Echo(DurableTaskRegistry r) =>
        r.AddActivityFunc<int, int>("Double", (_, x) => Task.FromResult(x * 2));
}
