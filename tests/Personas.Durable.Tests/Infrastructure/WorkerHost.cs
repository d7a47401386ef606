using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Personas.Durable.Storage;
using Personas.Durable.Worker;

namespace Personas.Durable.Tests.Infrastructure;

/// <summary>A running worker over a given store, with the client that goes with it.</summary>
public sealed class WorkerHost : IAsyncDisposable
{
    private readonly IHost _host;

    private WorkerHost(IHost host)
    {
        _host = host;
        Client = host.Services.GetRequiredService<DurableTaskClient>();
    }

    public DurableTaskClient Client { get; }
    public IServiceProvider Services => _host.Services;

    public static async Task<WorkerHost> StartAsync(IOrchestrationStore store, TimeProvider clock, Action<DurableTaskRegistry> register,
        Action<DurableWorkerOptions>? configure = null, bool runWorker = true)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        // PERSONAS_TEST_LOG=1 shows the worker's log lines in the test output, for diagnosing a failure.
        if (Environment.GetEnvironmentVariable("PERSONAS_TEST_LOG") == "1") builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Services.AddSingleton(store);
        builder.Services.AddSingleton(clock);
        builder.Services.AddDurableTask(register, o =>
        {
            o.MaxPollInterval = TimeSpan.FromMilliseconds(50);
            configure?.Invoke(o);
        }, runWorker);
        var host = builder.Build();
        await store.InitializeAsync();
        await host.StartAsync();
        return new WorkerHost(host);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync(TimeSpan.FromSeconds(5));
        _host.Dispose();
    }
}
