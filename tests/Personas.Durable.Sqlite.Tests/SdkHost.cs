using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Personas.Durable.Hosting;

namespace Personas.Durable.Sqlite.Tests;

/// <summary>The SDK's worker and client over the sqlite backend, in a host, on a temp data folder.</summary>
public sealed class SdkHost(IHost host, TempDir dir) : IAsyncDisposable
{
    public DurableTaskClient Client => host.Services.GetRequiredService<DurableTaskClient>();

    public string DataDir => dir.Path;

    public DurableBackend Backend => host.Services.GetRequiredService<DurableBackend>();

    public static async Task<SdkHost> StartAsync(Action<DurableTaskRegistry> register, DurableSettings? settings = null)
    {
        var dir = new TempDir();
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddLogging();
        builder.Services.AddPersonasDurable(settings ?? new DurableSettings { Backend = "sqlite" }, dir.Path, register);
        var built = builder.Build();
        await built.StartAsync();
        return new SdkHost(built, dir);
    }

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await host.StopAsync(stop.Token);
        if (host is IAsyncDisposable d) await d.DisposeAsync(); else host.Dispose();
        dir.Dispose();
    }
}
