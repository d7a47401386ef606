using Personas.Durable.Tests.Infrastructure;

namespace Personas.Durable.Tests.Conformance;

/// <summary>
/// The workflow contract, written once against Microsoft.DurableTask and run on each backend by a concrete class per
/// backend (<see cref="MemoryConformance"/>, <see cref="SqliteConformance"/>, <see cref="AzureStorageConformance"/>).
/// Each test gets its own store: a temp directory, and on Azure Storage its own task hub.
/// </summary>
public abstract partial class ConformanceBase : IAsyncLifetime
{
    private readonly List<DurableHost> _hosts = [];
    private readonly TempDir _dir = new();
    private readonly string _taskHub = $"t{Guid.NewGuid():N}"[..20];

    protected abstract string Backend { get; }

    /// <summary>Leases and visibility timeouts in tests: short, so lock expiry and renewal are exercised.</summary>
    protected const int LockSeconds = 4;

    /// <summary>What differs per backend besides its name, such as Azurite's connection string.</summary>
    protected virtual void Configure(DurableSettings settings) { }

    protected DurableSettings Settings()
    {
        var settings = new DurableSettings
        {
            Backend = Backend, TaskHub = _taskHub, LeaseSeconds = LockSeconds, VisibilityTimeoutSeconds = LockSeconds,
            MaxQueuePollingSeconds = 1, WorkerId = _taskHub,
        };
        Configure(settings);
        return settings;
    }

    /// <summary>A host on this test's store; several calls share it, as a restarted app does.</summary>
    protected async Task<DurableHost> StartAsync(Action<DurableTaskRegistry> register, bool runWorker = true)
    {
        var host = await DurableHost.StartAsync(Settings(), _dir.Path, register, runWorker);
        _hosts.Add(host);
        return host;
    }

    protected async Task StopAsync(DurableHost host)
    {
        _hosts.Remove(host);
        await host.DisposeAsync();
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var host in _hosts) await host.DisposeAsync();
        _dir.Dispose();
    }

    protected static DurableTaskRegistry Echo(DurableTaskRegistry r) =>
        r.AddActivityFunc<int, int>("Double", (_, x) => Task.FromResult(x * 2));
}

public sealed class MemoryConformance : ConformanceBase
{
    protected override string Backend => DurableBackends.Memory;
}

/// <summary>Runs once DurableBackendFactory knows <c>sqlite</c> (being written on another branch).</summary>
public sealed class SqliteConformance : ConformanceBase
{
    protected override string Backend => DurableBackends.Sqlite;
}

public sealed class AzureStorageConformance(Azurite azurite) : ConformanceBase, IClassFixture<Azurite>
{
    protected override string Backend => DurableBackends.AzureStorage;

    protected override void Configure(DurableSettings settings) =>
        settings.StorageConnectionString = azurite.ConnectionString;
}
