using Microsoft.DurableTask;

namespace Personas.Orchestrations;

/// <summary>
/// Microsoft.DurableTask's activity context carries no cancellation token: the SDK lets a started activity run to
/// its end and reports the result, even while the host stops. Activities pass this token to the stores and
/// providers they call, so it is said once, here, that nothing cancels them.
/// </summary>
internal static class ActivityCancellation
{
    extension(TaskActivityContext context)
    {
        public CancellationToken CancellationToken => CancellationToken.None;
    }
}
