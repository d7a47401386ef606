using Personas.Domain.Posts;
using Microsoft.DurableTask;
using Personas.Orchestrations.Analytics;
using Personas.Orchestrations.Dataset;
using Personas.Providers.Publishing;

namespace Personas.Orchestrations.Posts;

/// <summary>Since is when the post started waiting: reminder and expiry count from it, not from when the workflow first ran.</summary>
public sealed record PostLifecycleInput(string Owner, string PostId, DateTimeOffset Since, double ReminderHours, double ExpiryDays);

/// <summary>The owner's decision, as sent by the approve and reject routes.</summary>
public sealed record PostDecisionEvent(string By, string? Reason);

/// <summary>A new publishing time; null unschedules. Publish-now is a time of now.</summary>
public sealed record ScheduleEvent(DateTimeOffset? At);

/// <summary>Ends the lifecycle unpublished, with the reason (sent when the persona's consent is withdrawn).</summary>
public sealed record CancelPostEvent(string Reason);

/// <summary>
/// One post from approval to publication. It waits for Approve or Reject, reminding the owner once and expiring the
/// post if neither comes. Approved, the post is staged, then waits for a publishing time, which may be changed or
/// cleared until the durable timer fires; then it is published. Nothing reaches a publisher without the Approve event.
/// A failed publication goes back to waiting for a new time. A Cancel event ends it wherever it waits, and so does a
/// refusal of consent when the post is staged or published: the post is then Canceled with the reason.
/// </summary>
public sealed class PostLifecycleOrchestrator : TaskOrchestrator<PostLifecycleInput, PostStatus>
{
    public const string Name = "PostLifecycle";
    public const string ApproveEvent = "Approve", RejectEvent = "Reject", ScheduleEventName = "Schedule",
        CancelEventName = "Cancel";

    private static readonly TaskOptions PublishRetry = TaskOptions.FromRetryPolicy(new RetryPolicy(5, TimeSpan.FromSeconds(10), 2)
    {
        HandleFailure = failure =>
            !failure.IsCausedBy<PublishRefusedException>() && !failure.IsCausedBy<ConsentException>(),
    });

    public static string InstanceId(string postId) => $"post-{postId}";

    public override async Task<PostStatus> RunAsync(TaskOrchestrationContext context, PostLifecycleInput input)
    {
        var cancel = context.WaitForExternalEvent<CancelPostEvent>(CancelEventName);
        var decided = await AwaitDecisionAsync(context, input, cancel);
        if (decided != PostStatus.Staged) return decided;

        var schedule = context.WaitForExternalEvent<ScheduleEvent>(ScheduleEventName);
        DateTimeOffset? at = null;
        while (true)
        {
            if (at is null)
            {
                if (await Task.WhenAny(schedule, cancel) == cancel)
                    return await CancelAsync(context, input, cancel.Result.Reason);
                at = schedule.Result.At;
                schedule = context.WaitForExternalEvent<ScheduleEvent>(ScheduleEventName);
                await Record(context, input, at is null ? "Unscheduled." : $"Scheduled for {at:u}.", at is null ? PostStatus.Staged : PostStatus.Scheduled, at);
                continue;
            }
            using var stopTimer = new CancellationTokenSource();
            var due = context.CreateTimer(at.Value.UtcDateTime, stopTimer.Token);
            var woke = await Task.WhenAny(due, schedule, cancel);
            if (woke != due) stopTimer.Cancel();
            if (woke == cancel) return await CancelAsync(context, input, cancel.Result.Reason);
            if (woke == schedule)
            {
                at = schedule.Result.At;
                schedule = context.WaitForExternalEvent<ScheduleEvent>(ScheduleEventName);
                await Record(context, input, at is null ? "Unscheduled." : $"Rescheduled for {at:u}.", at is null ? PostStatus.Staged : PostStatus.Scheduled, at);
                continue;
            }
            try
            {
                await context.CallActivityAsync(nameof(PublishPostActivity), new PostRef(input.Owner, input.PostId), PublishRetry);
                await StartCollectorAsync(context, input);
                return PostStatus.Published;
            }
            catch (TaskFailedException ex) when (ex.FailureDetails.IsCausedBy<ConsentException>())
            {
                return await CancelAsync(context, input, ex.FailureDetails.ErrorMessage);
            }
            catch (TaskFailedException ex)
            {
                var reason = ex.FailureDetails.InnerFailure?.ErrorMessage ?? ex.FailureDetails.ErrorMessage;
                await context.CallActivityAsync(nameof(RecordPostActivity), new PostChange(input.Owner, input.PostId,
                    $"Publishing failed: {reason} Schedule it again to retry.", PostStatus.Failed) { Error = reason, ClearSchedule = true });
                at = null;
            }
        }
    }

    /// <summary>Approve or Reject, with one reminder on the way and expiry at the end. Returns Staged, Rejected or Expired.</summary>
    private static async Task<PostStatus> AwaitDecisionAsync(TaskOrchestrationContext context, PostLifecycleInput input,
        Task<CancelPostEvent> cancel)
    {
        var approve = context.WaitForExternalEvent<PostDecisionEvent>(ApproveEvent);
        var reject = context.WaitForExternalEvent<PostDecisionEvent>(RejectEvent);
        using var stopTimers = new CancellationTokenSource();
        var started = input.Since.UtcDateTime;
        var expiry = context.CreateTimer(started.AddDays(input.ExpiryDays), stopTimers.Token);
        Task? reminder = input.ReminderHours < input.ExpiryDays * 24 ? context.CreateTimer(started.AddHours(input.ReminderHours), stopTimers.Token) : null;
        while (true)
        {
            var winner = await Task.WhenAny(new[] { approve, reject, expiry, reminder, cancel }.OfType<Task>());
            if (winner == reminder)
            {
                await context.CallActivityAsync(nameof(RemindOwnerActivity), new PostRef(input.Owner, input.PostId));
                reminder = null;
                continue;
            }
            stopTimers.Cancel();
            if (winner == cancel) return await CancelAsync(context, input, cancel.Result.Reason);
            if (winner == expiry)
            {
                await Record(context, input, $"Expired: not approved within {input.ExpiryDays:0.##} days.", PostStatus.Expired);
                return PostStatus.Expired;
            }
            var approved = winner == approve;
            var decision = approved ? approve.Result : reject.Result;
            await context.CallActivityAsync(nameof(RecordPostActivity), new PostChange(input.Owner, input.PostId,
                approved ? $"Approved by {decision.By}." : $"Rejected by {decision.By}: {decision.Reason}", approved ? PostStatus.Staged : PostStatus.Rejected)
            {
                Decision = new PostDecision(approved, decision.By, new DateTimeOffset(context.CurrentUtcDateTime, TimeSpan.Zero), decision.Reason),
            });
            if (!approved) return PostStatus.Rejected;
            try
            {
                await context.CallActivityAsync(nameof(StagePostActivity), new PostRef(input.Owner, input.PostId));
            }
            catch (TaskFailedException ex) when (ex.FailureDetails.IsCausedBy<ConsentException>())
            {
                return await CancelAsync(context, input, ex.FailureDetails.ErrorMessage);
            }
            return PostStatus.Staged;
        }
    }

    /// <summary>Starts the post's engagement collector; analytics never undo a publication: a failure is dropped.
    /// </summary>
    private static async Task StartCollectorAsync(TaskOrchestrationContext context, PostLifecycleInput input)
    {
        try
        {
            await context.CallActivityAsync<string?>(nameof(StartMetricsCollectionActivity),
                new PostRef(input.Owner, input.PostId));
        }
        catch (TaskFailedException)
        {
        }
    }

    /// <summary>Marks the post Canceled with the reason (already so when the withdrawal did it) and ends.</summary>
    private static async Task<PostStatus> CancelAsync(TaskOrchestrationContext context, PostLifecycleInput input,
        string reason)
    {
        await context.CallActivityAsync(nameof(RecordPostActivity),
            new PostChange(input.Owner, input.PostId, reason, PostStatus.Canceled));
        return PostStatus.Canceled;
    }

    private static Task Record(TaskOrchestrationContext context, PostLifecycleInput input, string what, PostStatus status, DateTimeOffset? at = null) =>
        context.CallActivityAsync(nameof(RecordPostActivity), new PostChange(input.Owner, input.PostId, what, status) { ScheduledAt = at, ClearSchedule = at is null });
}
