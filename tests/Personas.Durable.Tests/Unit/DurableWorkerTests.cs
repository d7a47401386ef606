using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;
using Personas.Durable.History;
using Personas.Durable.Storage;
using Personas.Durable.Worker;

namespace Personas.Durable.Tests.Unit;

/// <summary>The worker's own error handling, with the store as a seam.</summary>
public sealed class DurableWorkerTests
{
    [Fact]
    public async Task An_episode_whose_commit_fails_is_abandoned_so_its_messages_run_again()
    {
        var now = DateTimeOffset.UtcNow;
        var instance = new OrchestrationMetadata
        {
            InstanceId = "i1", Name = "Hello", ExecutionId = "e1", RuntimeStatus = OrchestrationRuntimeStatus.Pending, CreatedAt = now, LastUpdatedAt = now,
        };
        var start = new OrchestrationMessage("start", "i1", "e1", new HistoryEvent(HistoryEventType.ExecutionStarted, now) { Name = "Hello" }, now);
        var item = new OrchestrationWorkItem(instance, [], [start], "worker/1");
        var abandoned = new TaskCompletionSource<OrchestrationWorkItem>();

        var store = new Mock<IOrchestrationStore>();
        store.SetupGet(s => s.WorkAvailable).Returns(new WorkSignal());
        store.SetupSequence(s => s.LockOrchestrationsAsync(It.IsAny<string>(), It.IsAny<int>(), It.IsAny<TimeSpan>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync([item]).ReturnsAsync([]).ReturnsAsync([]).ReturnsAsync([]);
        store.Setup(s => s.LockActivitiesAsync(It.IsAny<string>(), It.IsAny<int>(), It.IsAny<TimeSpan>(), It.IsAny<CancellationToken>())).ReturnsAsync([]);
        store.Setup(s => s.CompleteOrchestrationAsync(item, It.IsAny<EpisodeCommit>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new IOException("disk full"));
        store.Setup(s => s.AbandonOrchestrationAsync(item, It.IsAny<TimeSpan>(), It.IsAny<CancellationToken>()))
            .Callback(() => abandoned.TrySetResult(item)).Returns(Task.CompletedTask);

        var registry = new DurableTaskRegistry().AddOrchestratorFunc<object?, string>("Hello", (_, _) => Task.FromResult("hi"));
        using var services = new ServiceCollection().BuildServiceProvider();
        var worker = new DurableWorker(store.Object, registry, services.GetRequiredService<IServiceScopeFactory>(),
            Options.Create(new DurableWorkerOptions { MaxPollInterval = TimeSpan.FromMilliseconds(20) }), TimeProvider.System,
            JsonDataConverter.Default, NullLogger<DurableWorker>.Instance);

        await worker.StartAsync(CancellationToken.None);
        Assert.Same(item, await abandoned.Task.WaitAsync(TimeSpan.FromSeconds(20)));
        await worker.StopAsync(CancellationToken.None);
        store.Verify(s => s.CompleteOrchestrationAsync(item, It.Is<EpisodeCommit>(c => c.Status == OrchestrationRuntimeStatus.Completed && c.Output == "\"hi\""),
            It.IsAny<CancellationToken>()), Times.Once);
    }
}

public sealed class ReplayFailureTests : IClassFixture<Conformance.SqliteTempFiles>
{
    private readonly Conformance.SqliteTempFiles _files;

    public ReplayFailureTests(Conformance.SqliteTempFiles files) => _files = files;

    [Fact]
    public async Task A_history_that_cannot_be_replayed_fails_the_instance_instead_of_retrying_forever()
    {
        using var store = new Sqlite.SqliteOrchestrationStore(_files.NewDatabase());
        await using var host = await Infrastructure.WorkerHost.StartAsync(store, TimeProvider.System,
            r => r.AddOrchestratorFunc<object?, int>("Waits", async (ctx, _) => await ctx.WaitForExternalEvent<int>("Go")));
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Waits");
        await Infrastructure.Eventually.Status(host.Client, id, OrchestrationRuntimeStatus.Running);
        // An event without a name cannot be delivered: the replay throws outside the orchestrator's code.
        await store.SendMessageAsync(new OrchestrationMessage("broken", id, null, new HistoryEvent(HistoryEventType.EventRaised, DateTimeOffset.UtcNow), DateTimeOffset.UtcNow));
        var done = await Infrastructure.Eventually.Completion(host.Client, id);
        Assert.Equal(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        Assert.Equal("ReplayFailed", done.FailureDetails!.ErrorType);
    }
}
