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
