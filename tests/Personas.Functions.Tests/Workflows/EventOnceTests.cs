using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Personas.Domain.Stores;
using Personas.Domain.Workflows;
using Personas.Durable;
using Personas.Durable.Hosting;
using Xunit;

namespace Personas.Functions.Tests.Workflows;

/// <summary>
/// The SDK has no event ids, so the API dedupes raised events in the catalog's ledger. A delivery id applied before a
/// ContinueAsNew must stay applied in the next execution, which starts with fresh history.
/// </summary>
public sealed class EventOnceTests : IAsyncLifetime
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "personas-event-once",
        Guid.NewGuid().ToString("N"));
    private IHost? _host;
    private SqliteCatalog? _ledger;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_dir);
        _ledger = new SqliteCatalog(Path.Combine(_dir, "personas.db"), PersonasDataConverter.Default);
        await _ledger.InitializeAsync();
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddPersonasDurable(new DurableSettings { Backend = ApiHost.DurableBackend }, _dir, r => r
            // Counts pings, one execution per ping; ends when none comes within the window.
            .AddOrchestratorFunc<int, int>("PingCounter", async (ctx, count) =>
            {
                try
                {
                    await ctx.WaitForExternalEvent<string>("ping", TimeSpan.FromSeconds(3));
                }
                catch (TaskCanceledException)
                {
                    return count;
                }
                ctx.ContinueAsNew(count + 1);
                return count;
            }));
        _host = builder.Build();
        await _host.StartAsync();
    }

    [Fact]
    public async Task An_event_id_applied_before_ContinueAsNew_is_not_applied_again_after_it()
    {
        var client = _host!.Services.GetRequiredService<DurableTaskClient>();
        var id = await client.ScheduleNewOrchestrationInstanceAsync("PingCounter", 0);
        await client.WaitForInstanceStartAsync(id);

        Assert.True(await client.RaiseEventOnceAsync(_ledger!, id, "ping", "a", eventId: "delivery-1"));
        await Eventually.GetAsync(async () => (await client.GetStatusAsync(id))?.ReadInputAs<int>() == 1 ? "" : null,
            "the second execution");
        Assert.False(await client.RaiseEventOnceAsync(_ledger!, id, "ping", "a", eventId: "delivery-1"));
        Assert.True(await client.RaiseEventOnceAsync(_ledger!, id, "ping", "b", eventId: "delivery-2"));

        var done = await client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true,
            new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(2, done.ReadOutputAs<int>());
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.StopAsync();
            _host.Dispose();
        }
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
