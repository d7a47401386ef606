using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Personas.Domain.Posts;
using Personas.Domain.Stores;
using Microsoft.DurableTask.Client;
using Personas.Domain.Workflows;
using Personas.Api.Auth;
using Personas.Api.Hosting;
using Personas.Api.Instances;
using Personas.Api.Problems;
using Personas.Orchestrations.Posts;
using Personas.Api.Rating;
using Personas.Providers.Rating;

namespace Personas.Api.Posts;

/// <summary>Edits and regenerations: both make a new revision and keep the old ones, and both only before approval.</summary>
public static class PostReview
{
    private static readonly string[] EditFields = ["hook", "caption", "cta", "hashtags"];

    /// <summary>
    /// Applies the edit to the current copy (caption is the body), checks the platform's rules, and stores it as a new
    /// revision with the same files. A thread's posts are rebuilt only by regeneration, so an edit changes its first
    /// and last posts' hook and call to action.
    /// </summary>
    public static async Task<IResult> EditAsync(string postId, HttpContext http, IPostCatalog posts, TimeProvider clock,
        IOptions<PersonasSettings> settings, ICatalog catalog, ContentRater rater, DurableTaskClient client)
    {
        var owner = http.User.Owner();
        var (body, bodyProblem) = await JsonBody.ReadAsync(http, settings.Value.MaxJsonBodyBytes);
        if (bodyProblem is not null) return bodyProblem;
        if (body is not JsonObject edit || edit.Count == 0) return ProblemWriter.Invalid(http, "body", $"Send one or more of {string.Join(", ", EditFields)}.");
        if (edit.Select(p => p.Key).FirstOrDefault(k => !EditFields.Contains(k)) is { } unknown)
            return ProblemWriter.Invalid(http, unknown, $"cannot be edited; edit {string.Join(", ", EditFields)}.");
        foreach (var field in new[] { "hook", "caption", "cta" })
            if (edit[field] is { } node && node.GetValueKind() != JsonValueKind.String) return ProblemWriter.Invalid(http, field, "must be a string.");
        var (hashtags, tagProblem) = FieldProblem.OfStrings(edit, "hashtags", 60, 100);
        if (tagProblem is not null) return ProblemWriter.Invalid(http, tagProblem.Field, tagProblem.Reason);

        if (await posts.GetPostAsync(owner, postId, http.RequestAborted) is not { Current: { } current } post) return PostEndpoints.NotFound(http, postId);
        if (!post.Editable) return ProblemWriter.Result(http, 409, "Not editable", $"The post is {post.Status}; only a post awaiting approval can be edited.", "postId");
        // The running regeneration writes the revision number this edit would take, and would drop the edit.
        if (await RegeneratingAsync(client, post, http.RequestAborted))
            return ProblemWriter.Result(http, 409, "Regenerating",
                "A regeneration of this post is still running; edit the new revision once it is written.", "postId");
        var copy = current.Copy with
        {
            Hook = edit["hook"]?.GetValue<string>().Trim() ?? current.Copy.Hook,
            Body = edit["caption"]?.GetValue<string>().Trim() ?? current.Copy.Body,
            Cta = edit["cta"]?.GetValue<string>().Trim() ?? current.Copy.Cta,
            Hashtags = hashtags?.Select(h => h.TrimStart('#')).ToList() ?? current.Copy.Hashtags,
            Source = "edited",
        };
        if (copy.Kind == PostKind.Thread && copy.ThreadPosts.Count > 0)
            copy = copy with { ThreadPosts = [.. copy.ThreadPosts.Select((p, i) => i == 0 && edit["hook"] is not null ? copy.Hook : p)] };
        if (PlatformLimits.Problems(copy) is { Count: > 0 } problems)
            return ProblemWriter.Invalid(http, edit["caption"] is not null ? "caption" : edit.First().Key, string.Join(" ", problems));
        var restrictions = await RatingGate.RestrictionsAsync(catalog, owner, post.PersonaId, http.RequestAborted);
        var (rating, refused) = await RatingGate.RateAsync(http, rater,
            edit["caption"] is not null ? "caption" : edit.First().Key,
            string.Join("\n", [.. copy.Texts, .. copy.Hashtags]), restrictions);
        if (refused is not null) return refused;

        var now = clock.GetUtcNow();
        var updated = await posts.UpdatePostAsync(owner, postId, p => p.Status != PostStatus.AwaitingApproval ? p
            : (p with { Revisions = [.. p.Revisions, current with { Number = p.Revisions.Count + 1, Copy = copy,
                CostUsd = 0, CreatedAt = now, Feedback = null, EditedBy = owner, Notes = [], Rating = rating }] })
                .With(now, $"Edited by {owner}: {string.Join(", ", edit.Select(e => e.Key))}."), http.RequestAborted);
        return updated is { Status: PostStatus.AwaitingApproval }
            ? TypedResults.Ok(new PostEdited(postId, updated.Revisions.Count, $"/api/posts/{postId}"))
            : ProblemWriter.Result(http, 409, "Not editable", "The post was decided while the edit was checked.", "postId");
    }

    /// <summary>
    /// Starts a one-post GeneratePosts run that writes the next revision with the feedback, keeping the owner's hand
    /// edits unless <c>replaceEdits</c> is true. 202.
    /// </summary>
    public static async Task<IResult> RegenerateAsync(string postId, HttpContext http, IPostCatalog posts,
        DurableTaskClient client, IInstanceLedger ledger, TimeProvider clock, IOptions<PersonasSettings> settings,
        ICatalog catalog, ContentRater rater)
    {
        var owner = http.User.Owner();
        var (body, bodyProblem) = await JsonBody.ReadAsync(http, settings.Value.MaxJsonBodyBytes);
        if (bodyProblem is not null) return bodyProblem;
        if (body is not JsonObject args) return ProblemWriter.Invalid(http, "feedback",
            "Send { feedback, replaceEdits }.");
        if (args.Select(p => p.Key).FirstOrDefault(k => k is not ("feedback" or "replaceEdits")) is { } other)
            return ProblemWriter.Invalid(http, other,
                "is not a field of a regeneration; send feedback and replaceEdits only.");
        var (feedback, problem) = FieldProblem.OfText(args, "feedback", 2000);
        if (problem is not null) return ProblemWriter.Invalid(http, problem.Field, problem.Reason);
        // Hand edits are kept unless the owner asks for them to be replaced too.
        if (args["replaceEdits"] is { } replace
            && replace.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
            return ProblemWriter.Invalid(http, "replaceEdits", "must be true or false.");
        var replaceEdits = args["replaceEdits"]?.GetValue<bool>() ?? false;

        var (idem, keyProblem) = IdempotentStart.Read(http, "/api/posts/{postId}/regenerate", postId, body);
        if (keyProblem is not null) return keyProblem;

        if (await posts.GetPostAsync(owner, postId, http.RequestAborted) is not { } post) return PostEndpoints.NotFound(http, postId);
        var revision = post.Revisions.Count + 1;
        // A keyed regeneration names its instance by the key, not the revision, so a retry finds it afterwards.
        var runs = RegenerationPrefix(post);
        var instanceId = runs + (idem!.Keyed ? $"k{idem.NewId(16)}" : $"r{revision}");
        if (await idem.EarlierAsync(client, ledger, instanceId, Regenerating) is { } earlier) return earlier;
        if (!post.Editable)
            return ProblemWriter.Result(http, 409, "Not editable",
                $"The post is {post.Status}; only a post awaiting approval can be regenerated.", "postId");
        var restrictions = await RatingGate.RestrictionsAsync(catalog, owner, post.PersonaId, http.RequestAborted);
        if (await RatingGate.CheckAsync(http, rater, "feedback", feedback, restrictions) is { } rated) return rated;
        if (await RegeneratingAsync(client, post, http.RequestAborted))
            return ProblemWriter.Result(http, 409, "Already regenerating", "A regeneration of this post is still running.", "postId");
        var seed = (post.Current?.Seeds.FirstOrDefault() ?? 0) + revision * 1000;
        return await idem.StartAsync(client, ledger, clock, GeneratePostsOrchestrator.Name,
            new GeneratePostsInput(owner, post.BatchId, post.Brief, post.Creativity, post.PersonaId, post.Usage,
                [new PostWork(post.Id, post.Kind, post.Platform, seed, revision, feedback, replaceEdits)],
                    Regeneration: true, FaceSwap: post.FaceSwap),
            instanceId, Regenerating);

        IResult Regenerating(OrchestrationMetadata instance)
        {
            var work = instance.ReadInputAs<GeneratePostsInput>()!.Posts[0];
            var payload = InstancePayloads.Management(http, instance);
            return TypedResults.Accepted(payload.StatusQueryGetUri, new PostRegenerating(work.PostId,
                work.Revision, work.Feedback, work.ReplaceEdits, $"/api/posts/{work.PostId}", payload));
        }
    }

    /// <summary>What every regeneration run of the post is named with, then its key or revision.</summary>
    public static string RegenerationPrefix(Post post) => $"posts-{post.BatchId}-{post.Id}-";

    /// <summary>
    /// Whether a regeneration of the post has yet to write its revision: its run is active and the post does not have
    /// that revision yet. A run that has written it is only finishing and holds nothing up.
    /// </summary>
    public static async Task<bool> RegeneratingAsync(DurableTaskClient client, Post post, CancellationToken ct) =>
        (await client.ListByPrefixAsync(RegenerationPrefix(post), ct)).Any(run => run.IsActive
            && (run.ReadInputAs<GeneratePostsInput>()?.Posts is not [var work]
                || work.Revision > post.Revisions.Count));
}
