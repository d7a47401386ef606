using Personas.Api.Recovery;
using Personas.Functions.Hosting;

namespace Personas.Functions.Timers;

/// <summary>
/// The repair of stranded work (<see cref="RepairSweep"/>) every ten minutes. The local host repairs once when it
/// starts; a Function App has no such moment (instances start while others serve requests, and a Durable client
/// exists only as a binding), so it sweeps on a timer, which the Functions host runs on one instance at a time, and
/// takes as stranded only what has been left unchanged for <see cref="RecoverySettings.StrandedMinutes"/>.
/// </summary>
public sealed class RepairTimer(RecoverySettings settings)
{
    public const string Schedule = "0 */10 * * * *";

    [Function("RepairStrandedWork")]
    public async Task RepairStrandedWork([TimerTrigger(Schedule)] TimerInfo timer,
        [DurableClient] DurableTaskClient durable, FunctionContext context)
    {
        if (!settings.Enabled) return;
        context.InstanceServices.GetRequiredService<InvocationDurableClient>().Client = durable;
        await context.InstanceServices.GetRequiredService<RepairSweep>()
            .RunAsync(TimeSpan.FromMinutes(settings.StrandedMinutes), context.CancellationToken);
    }
}
