using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Personas.Domain.Posts;
using Personas.Domain.Stores;
using Microsoft.DurableTask.Client;
using Personas.Domain.Workflows;
using Personas.Api.Analytics;
using Personas.Api.Auth;
using Personas.Api.Hosting;
using Personas.Api.Instances;
using Personas.Api.Problems;
using Personas.Api.Rating;
using Personas.Domain.Rating;
using Personas.Providers.Rating;
using Personas.Orchestrations.Analytics;
using Personas.Orchestrations.Posts;
using Personas.Api.OpenApi;

namespace Personas.Api.Posts;

/// <summary>
/// Approve, reject, schedule, unschedule and publish-now, for one post or in bulk. Each checks the post's state and
/// sends the event to its PostLifecycle, which alone changes the post; the answer is 202 with what was asked.
/// </summary>
public static class PostLifecycleRoutes
{
    public const int MaxBulk = 100;

    public static readonly (string Action, string Summary)[] Actions =
    [
        ("approve", "Approves a post awaiting approval: its lifecycle stages it. 202."),
        ("reject", "Rejects a post awaiting approval, with { reason }. 202."),
        ("schedule", "Schedules an approved post: { at } (ISO 8601 with offset) or { bestTime: true, timeZone? }. Reschedules one already scheduled. 202."),
        ("unschedule", "Clears an approved post's publishing time; it stays staged. 202."),
        ("publish-now", "Publishes an approved post now. 202."),
    ];

    /// <summary>The body each action takes, for the OpenAPI document.</summary>
    public static Type BodyOf(string action) => action switch
    {
        "reject" => typeof(ReasonBody), "schedule" => typeof(ScheduleBody), _ => typeof(EmptyBody),
    };

    private sealed record Outcome(string Id, int Status, string Detail, DateTimeOffset? At = null)
    {
        public string Field { get; init; } = "postId";
        /// <summary>The Idempotency-Key came back with another body: answered as the instance API answers it.</summary>
        public bool KeyReused { get; init; }
        public string? Title { get; init; }
        /// <summary>For bestTime: learned (the owner's own engagement) or default.</summary>
        public string? BestTime { get; init; }
    }

    /// <summary>The services every action needs.</summary>
    public sealed record Services(IPostCatalog Posts, ICatalog Catalog, DurableTaskClient Client,
        IInstanceLedger Ledger, TimeProvider Clock, PostOptions Options, IAnalyticsCatalog Analytics,
        AnalyticsOptions AnalyticsOptions, ContentRater Rater);

    /// <summary>
    /// One post's action. publish-now takes an Idempotency-Key: the key is recorded with the time it asked for, and a
    /// repeat replays that answer (delivering the event once, even after a crash between the two).
    /// </summary>
    public static async Task<IResult> SingleAsync(string postId, string action, HttpContext http,
        [AsParameters] Services services, IOptions<PersonasSettings> settings)
    {
        var (body, bodyProblem) = await JsonBody.ReadAsync(http, settings.Value.MaxJsonBodyBytes);
        if (bodyProblem is not null) return bodyProblem;
        var args = body as JsonObject ?? [];
        if (ArgumentProblem(action, args) is { } problem) return ProblemWriter.Invalid(http, problem.Field, problem.Reason);
        IdempotentStart? idem = null;
        if (action == "publish-now")
        {
            (idem, var keyProblem) = IdempotentStart.Read(http, "/api/posts/{postId}/publish-now", postId, body);
            if (keyProblem is not null) return keyProblem;
            if (await idem!.EarlierAsync(services.Ledger, KeyRecord(idem), async claim =>
                {
                    await ScheduleAsync(http, services, postId, claim.ClaimedAt, idem);
                    return Accepted(postId, action, new(postId, 202, PublishingNow, claim.ClaimedAt));
                }) is { } earlier)
                return earlier;
        }
        var outcome = await ActAsync(http, services, action, postId, args, idem);
        return outcome.Status == 202 ? Accepted(postId, action, outcome)
            : outcome.KeyReused ? idem!.KeyReused()
            : outcome.Status == 400 ? ProblemWriter.Invalid(http, outcome.Field, outcome.Detail)
            : ProblemWriter.Result(http, outcome.Status, outcome.Title ?? (outcome.Status == 404 ? "Not found"
                : "Not allowed now"), outcome.Detail, outcome.Field);
    }

    private const string PublishingNow = "Publishing now.";

    private static IResult Accepted(string postId, string action, Outcome outcome) =>
        TypedResults.Accepted($"/api/posts/{postId}",
            new PostActionAccepted(postId, action, outcome.Detail, outcome.At) { BestTime = outcome.BestTime });

    private static string KeyRecord(IdempotentStart idem) => $"idem-publish-{idem.Id()}";

    /// <summary>Sends the Schedule event; a keyed publish-now once per key, so a replay cannot send it twice.</summary>
    private static Task ScheduleAsync(HttpContext http, Services services, string postId, DateTimeOffset? at,
        IdempotentStart? idem) =>
        services.Client.RaiseEventOnceAsync(services.Ledger, PostLifecycleOrchestrator.InstanceId(postId),
            PostLifecycleOrchestrator.ScheduleEventName, new ScheduleEvent(at),
            idem is { Keyed: true } ? KeyRecord(idem) : null, http.RequestAborted);

    /// <summary>
    /// Bulk actions take no Idempotency-Key: each id's result says whether it acted, and an action already applied
    /// answers 409 for that id on a retry, so a client retries the ids that did not get 202 instead.
    /// </summary>
    public static async Task<IResult> BulkAsync(string action, HttpContext http, [AsParameters] Services services,
        IOptions<PersonasSettings> settings)
    {
        if (action is not ("approve" or "reject" or "schedule" or "publish-now"))
            return ProblemWriter.Invalid(http, "action", "must be approve, reject, schedule or publish-now.");
        if (http.Request.Headers.ContainsKey(IdempotentStart.Header))
            return ProblemWriter.Invalid(http, IdempotentStart.Header,
                "Bulk routes take no key: each result says whether that post acted; retry the ids without 202.");
        var (body, bodyProblem) = await JsonBody.ReadAsync(http, settings.Value.MaxJsonBodyBytes);
        if (bodyProblem is not null) return bodyProblem;
        var args = body as JsonObject ?? [];
        var (ids, idsProblem) = FieldProblem.OfStrings(args, "ids", MaxBulk, 40);
        if (idsProblem is not null) return ProblemWriter.Invalid(http, idsProblem.Field, idsProblem.Reason);
        if (ids is not { Count: > 0 }) return ProblemWriter.Invalid(http, "ids", $"is required: 1–{MaxBulk} post ids.");
        args.Remove("ids");
        if (ArgumentProblem(action, args) is { } problem) return ProblemWriter.Invalid(http, problem.Field, problem.Reason);
        var results = new List<Outcome>();
        foreach (var id in ids.Distinct()) results.Add(await ActAsync(http, services, action, id, args, null));
        return TypedResults.Ok(new BulkPostResults(action, results.Count(r => r.Status == 202),
            results.Select(r => new BulkPostResult(r.Id, r.Status, r.Detail, r.At)).ToList()));
    }

    private static FieldProblem? ArgumentProblem(string action, JsonObject args)
    {
        string[] allowed = action switch { "reject" => ["reason"], "schedule" => ["at", "bestTime", "timeZone"], _ => [] };
        if (args.Select(p => p.Key).FirstOrDefault(k => !allowed.Contains(k)) is { } unknown)
            return new(unknown, allowed.Length == 0 ? $"{action} takes no fields." : $"is not a field of {action}; use {string.Join(", ", allowed)}.");
        if (action == "reject" && FieldProblem.OfText(args, "reason", 1000).Problem is { } reason) return reason;
        if (action != "schedule") return null;
        var best = args["bestTime"]?.GetValueKind() == JsonValueKind.True;
        if (args["at"] is null == !best) return new("at", "Send either { at } (an ISO 8601 time with offset) or { bestTime: true }.");
        if (args["at"] is { } at && (at.GetValueKind() != JsonValueKind.String || !DateTimeOffset.TryParse(at.GetValue<string>(), out _)))
            return new("at", "must be an ISO 8601 date-time with an offset, such as 2026-12-01T09:30:00+01:00.");
        if (args["timeZone"] is { } tz && (tz.GetValueKind() != JsonValueKind.String || !TryZone(tz.GetValue<string>(), out _)))
            return new("timeZone", "must be an IANA time zone such as Europe/Paris.");
        return null;
    }

    /// <summary>
    /// The copy to be published, rated again against the persona's restrictions as they are now (they may have
    /// changed since it was written); the rating when it refuses the copy.
    /// </summary>
    private static async Task<ContentRating?> RefusedCopyAsync(Services services, Post post, CancellationToken ct)
    {
        if (post.Current is not { } current) return null;
        var restrictions = await RatingGate.RestrictionsAsync(services.Catalog, post.Owner, post.PersonaId, ct);
        var rating = await services.Rater.RateAsync(string.Join("\n", current.Copy.Texts), restrictions, ct);
        return rating.Refused ? rating : null;
    }

    private static async Task<Outcome> ActAsync(HttpContext http, Services services, string action, string postId,
        JsonObject args, IdempotentStart? idem)
    {
        var (client, options) = (services.Client, services.Options);
        var owner = http.User.Owner();
        if (await services.Posts.GetPostAsync(owner, postId, http.RequestAborted) is not { } post)
            return new(postId, 404, $"There is no post '{postId}'.");
        var instance = PostLifecycleOrchestrator.InstanceId(post.Id);
        var now = services.Clock.GetUtcNow();
        // Approving, scheduling or publishing uses the likeness: consent is read now, not when the post was made.
        if (action is "approve" or "schedule" or "publish-now"
            && await PostConsent.RefusalAsync(services.Catalog, post, now, http.RequestAborted) is { } refusal)
            return new(post.Id, 409, $"{refusal} Nothing more is done with this persona's likeness.")
                { Field = "consent", Title = "Consent does not allow this" };
        if (action == "approve" && await RefusedCopyAsync(services, post, http.RequestAborted) is { } rating)
            return new(post.Id, 422, $"{rating.Explanation} Edit the copy or regenerate it with feedback first.")
                { Field = "rating", Title = "The copy may not be approved" };
        switch (action)
        {
            case "approve" or "reject":
                if (post.Status != PostStatus.AwaitingApproval) return new(post.Id, 409, $"The post is {post.Status}; only a post awaiting approval can be {action}d.");
                // The copy being rewritten is not the copy the owner read: approving it now would publish unseen text.
                if (action == "approve" && await PostReview.RegeneratingAsync(client, post, http.RequestAborted))
                    return new(post.Id, 409, "A regeneration of this post is still running; approve it once the new "
                        + "revision is written.") { Title = "Regenerating" };
                await client.RaiseEventAsync(instance, action == "approve" ? PostLifecycleOrchestrator.ApproveEvent : PostLifecycleOrchestrator.RejectEvent,
                    new PostDecisionEvent(owner, args["reason"]?.GetValue<string>().Trim()),
                    cancellation: http.RequestAborted);
                return new(post.Id, 202, action == "approve" ? "Approval sent; the post will be staged." : "Rejection sent.");
            case "schedule" or "unschedule" or "publish-now":
                if (post.Status is not (PostStatus.Staged or PostStatus.Scheduled or PostStatus.Failed) || post.Decision is not { Approved: true })
                    return new(post.Id, 409, $"The post is {post.Status}; only an approved post that has not been published can be scheduled.");
                var best = action == "schedule" && args["at"] is null
                    ? await LearnedBestTime.NextAsync(services.Analytics, services.AnalyticsOptions, owner,
                        post.Platform, now, Zone(args["timeZone"]?.GetValue<string>() ?? options.TimeZone),
                        http.RequestAborted)
                    : null;
                DateTimeOffset? at = action switch
                {
                    "unschedule" => null,
                    "publish-now" => now,
                    _ when args["at"] is { } a => DateTimeOffset.Parse(a.GetValue<string>()).ToUniversalTime(),
                    _ => best!.At,
                };
                // A time outside the window is bad input, named as the field the caller sent.
                if (at is { } when && (when < now.AddMinutes(-1) || when > now.AddDays(366)))
                    return new(post.Id, 400, "must be from now to a year ahead.")
                        { Field = "at", Title = ProblemWriter.InvalidTitle };
                if (idem is { Keyed: true })
                {
                    var claim = await idem.RecordAsync(services.Ledger, KeyRecord(idem), services.Clock);
                    if (!idem.Matches(claim)) return new(post.Id, 422, "") { KeyReused = true };
                    at = claim.ClaimedAt; // a concurrent twin's time, so both answer the same
                }
                await ScheduleAsync(http, services, post.Id, at, idem);
                var said = at is null ? "Unscheduling."
                    : action == "publish-now" ? PublishingNow
                    : best is not null
                        ? $"Scheduling for {at:u}: {best.Explain()}."
                        : $"Scheduling for {at:u}.";
                return new(post.Id, 202, said, at) { BestTime = best?.Source };
            default:
                return new(post.Id, 400, $"Unknown action '{action}'.");
        }
    }

    private static TimeZoneInfo Zone(string id) => TryZone(id, out var zone) ? zone : TimeZoneInfo.Utc;

    private static bool TryZone(string id, out TimeZoneInfo zone)
    {
        try { zone = TimeZoneInfo.FindSystemTimeZoneById(id); return true; }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException) { zone = TimeZoneInfo.Utc; return false; }
    }
}
