using Microsoft.DurableTask;
using Personas.Providers.Analytics;

namespace Personas.Orchestrations.Analytics;

/// <summary>A published post and when to read its counters (hours after it was published).</summary>
public sealed record CollectMetricsInput(string Owner, string PostId, DateTimeOffset PublishedAt,
    IReadOnlyList<double> AfterHours);

/// <summary>One collection to make now.</summary>
public sealed record CollectSampleInput(string Owner, string PostId, double AfterHours);

/// <summary>Which collections were stored, and why the others were not.</summary>
public sealed record CollectMetricsResult(IReadOnlyList<double> Collected, IReadOnlyList<string> Missed);

/// <summary>
/// Collects one published post's engagement: for each offset it waits on a durable timer until published-at plus
/// the offset, then stores a sample. A transient failure (no answer, a rate limit) is retried with a growing wait; a
/// refusal or a failure past the retries leaves that sample out and the next ones still run. A collection whose time
/// has passed (the host was down) runs at once.
/// </summary>
public sealed class CollectMetricsOrchestrator : TaskOrchestrator<CollectMetricsInput, CollectMetricsResult>
{
    public const string Name = "CollectMetrics";

    private static readonly TaskOptions Retry = TaskOptions.FromRetryPolicy(
        new RetryPolicy(4, TimeSpan.FromMinutes(5), 3)
        {
            HandleFailure = failure => !failure.IsCausedBy<MetricsRefusedException>(),
        });

    public static string InstanceId(string postId) => $"metrics-{postId}";

    public override async Task<CollectMetricsResult> RunAsync(TaskOrchestrationContext context,
        CollectMetricsInput input)
    {
        var collected = new List<double>();
        var missed = new List<string>();
        foreach (var hours in input.AfterHours.Order())
        {
            var due = input.PublishedAt.UtcDateTime.AddHours(hours);
            context.SetCustomStatus(new { next = due, collected = collected.Count });
            if (due > context.CurrentUtcDateTime) await context.CreateTimer(due, CancellationToken.None);
            try
            {
                if (await context.CallActivityAsync<bool>(nameof(CollectSampleActivity),
                        new CollectSampleInput(input.Owner, input.PostId, hours), Retry))
                    collected.Add(hours);
                else
                    missed.Add($"{hours} h: nothing to read it from");
            }
            catch (TaskFailedException ex)
            {
                var failure = ex.FailureDetails.InnerFailure ?? ex.FailureDetails;
                missed.Add($"{hours} h: {failure.ErrorMessage}");
            }
        }
        context.SetCustomStatus(new { collected = collected.Count, missed = missed.Count });
        return new CollectMetricsResult(collected, missed);
    }
}
