using DurableTask.Core;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;
using Personas.Durable.Hosting;
using Personas.Durable.Tests.Infrastructure;

namespace Personas.Durable.Tests.Unit;

/// <summary>The lock renewal loop the sidecar lacks, with the backend as a Moq seam.</summary>
public sealed class ActivityLockRenewalTests
{
    [Fact]
    public async Task One_transient_renewal_error_does_not_stop_the_renewals_and_completion_does()
    {
        var lockFor = TimeSpan.FromMilliseconds(400);
        var service = new Mock<IOrchestrationService>();
        var item = new TaskActivityWorkItem { Id = "w1", LockedUntilUtc = DateTime.UtcNow + lockFor };
        service.Setup(s => s.LockNextTaskActivityWorkItem(It.IsAny<TimeSpan>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(item);
        var renewals = 0;
        service.Setup(s => s.RenewTaskActivityWorkItemLockAsync(It.IsAny<TaskActivityWorkItem>()))
            .Returns((TaskActivityWorkItem w) =>
            {
                if (Interlocked.Increment(ref renewals) == 1) throw new IOException("storage blip");
                w.LockedUntilUtc = DateTime.UtcNow + lockFor;
                return Task.FromResult(w);
            });
        var renewal = new ActivityLockRenewal(service.Object, Mock.Of<IOrchestrationServiceClient>(), 1, 1,
            NullLogger.Instance, retryAfterError: TimeSpan.FromMilliseconds(50));

        var locked = await renewal.LockNextTaskActivityWorkItem(TimeSpan.FromSeconds(1), CancellationToken.None);
        await Eventually.Get(() => Task.FromResult(Volatile.Read(ref renewals)), n => n >= 4,
            TimeSpan.FromSeconds(10), "renewals after the failed one");
        Assert.Equal(1, renewal.FailedRenewals);
        Assert.True(locked.LockedUntilUtc > DateTime.UtcNow, "the lock lapsed while the activity ran");

        await renewal.CompleteTaskActivityWorkItemAsync(locked, new TaskMessage());
        var after = Volatile.Read(ref renewals);
        await Task.Delay(lockFor * 2); // long enough for two more renewals, were the loop still going
        Assert.Equal(after, Volatile.Read(ref renewals));
    }
}
