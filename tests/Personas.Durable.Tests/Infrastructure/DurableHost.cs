using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Personas.Durable.Hosting;

namespace Personas.Durable.Tests.Infrastructure;

/// <summary>A host running <c>AddPersonasDurable</c> as the app does, with the SDK's client to drive it.</summary>
public sealed class DurableHost(IHost host) : IAsyncDisposable
{
    public DurableTaskClient Client { get; } = host.Services.GetRequiredService<DurableTaskClient>();

    public DurableBackend Backend => host.Services.GetRequiredService<DurableBackend>();

    public IServiceProvider Services => host.Services;

    public static async Task<DurableHost> StartAsync(DurableSettings settings, string dataDir,
        Action<DurableTaskRegistry> register, bool runWorker = true, Action<IServiceCollection>? services = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddPersonasDurable(settings, dataDir, register, runWorker);
        services?.Invoke(builder.Services);
        var host = builder.Build();
        await host.StartAsync();
        return new DurableHost(host);
    }

    public async Task StopAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await host.StopAsync(cts.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        host.Dispose();
    }
}
