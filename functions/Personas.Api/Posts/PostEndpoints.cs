using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Personas.Domain.Blobs;
using Personas.Domain.Posts;
using Personas.Domain.Stores;
using Microsoft.DurableTask.Client;
using Personas.Domain.Workflows;
using Personas.Api.Auth;
using Personas.Api.Blobs;
using Personas.Api.Hosting;
using Personas.Api.Instances;
using Personas.Api.Personas;
using Personas.Api.Problems;
using Personas.Orchestrations.Posts;
using Personas.Api.Paging;
using Personas.Api.OpenApi;
using Personas.Api.Rating;
using Personas.Providers.Rating;

namespace Personas.Api.Posts;

/// <summary>Smart post generation, review (read, edit, regenerate, download) and the approval and publishing lifecycle.</summary>
public static class PostEndpoints
{
    public static void MapPostEndpoints(this IEndpointRouteBuilder app)
    {
        var posts = app.MapGroup("/api/posts").WithTags("Posts");
        posts.MapPost("/generate-smart", GenerateAsync).WithName("GenerateSmartPosts")
            .WithSummary("Writes posts from a transcript and/or content analysis: one per content type and platform. "
                + "202 with the post ids; each waits for approval.")
            .Documents<SmartPostBody>("application/json").Produces<PostBatchAccepted>(202)
            .ProducesProblem(400).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409)
            .ProducesProblem(422);
        posts.MapGet("", ListAsync).WithName("Posts")
            .WithSummary("Posts, newest first. Query: status, personaId, batchId, offset (0), limit (20, at most 100).")
            .Produces<Page<PostPayload>>().ProducesProblem(400);
        posts.MapGet("/{postId}", GetAsync).WithName("Post")
            .WithSummary("Copy, files, prompts, seeds, costs, revisions, decision, schedule and publication.")
            .Produces<PostPayload>().ProducesProblem(404);
        posts.MapPatch("/{postId}", PostReview.EditAsync).WithName("EditPost")
            .WithSummary("Edits hook, caption, cta or hashtags as a new revision; the platform's limits are checked "
                + "again. Only before approval.")
            .Documents<PostEditBody>("application/json").Produces<PostEdited>()
            .ProducesProblem(400).ProducesProblem(404).ProducesProblem(409);
        posts.MapPost("/{postId}/regenerate", PostReview.RegenerateAsync).WithName("RegeneratePost")
            .WithSummary("Writes a new revision applying { feedback, replaceEdits? }; hand edits are kept unless "
                + "replaceEdits is true; earlier revisions are kept. 202.")
            .Documents<FeedbackBody>("application/json").Produces<PostRegenerating>(202)
            .ProducesProblem(400).ProducesProblem(404).ProducesProblem(409).ProducesProblem(422);
        posts.MapGet("/{postId}/download", DownloadAsync).WithName("DownloadPost")
            .WithSummary("A zip of the platform-ready images and the copy.")
            .Produces<Stream>(200, "application/zip").ProducesProblem(404);
        foreach (var (action, summary) in PostLifecycleRoutes.Actions)
            posts.MapPost($"/{{postId}}/{action}", (string postId, HttpContext http,
                    [AsParameters] PostLifecycleRoutes.Services services, IOptions<PersonasSettings> settings) =>
                    PostLifecycleRoutes.SingleAsync(postId, action, http, services, settings))
                .WithName($"Post-{action}").WithSummary(summary)
                .Documents(PostLifecycleRoutes.BodyOf(action), "application/json")
                .Produces<PostActionAccepted>(202)
                .ProducesProblem(400).ProducesProblem(404).ProducesProblem(409).ProducesProblem(422);
        posts.MapPost("/bulk/{action}", PostLifecycleRoutes.BulkAsync).WithName("BulkPosts")
            .WithSummary("approve, reject, schedule or publish-now over { ids: [...] } plus that action's fields. "
                + "200 with one result per id.")
            .Documents<BulkBody>("application/json").Produces<BulkPostResults>().ProducesProblem(400);
        app.MapBrandKitEndpoints();
    }

    private static async Task<IResult> GenerateAsync(HttpContext http, ICatalog catalog, IPostCatalog posts,
        DurableTaskClient client, IInstanceLedger ledger, TimeProvider clock, IOptions<PersonasSettings> settings,
        ContentRater rater)
    {
        var owner = http.User.Owner();
        var (body, bodyProblem) = await JsonBody.ReadAsync(http, Math.Max(settings.Value.MaxJsonBodyBytes, 4 * SmartPostRequest.MaxTranscript + 65536));
        if (bodyProblem is not null) return bodyProblem;
        var (request, problem) = SmartPostRequest.Parse(body as JsonObject);
        if (problem is { } p) return ProblemWriter.Invalid(http, p);
        var (idem, keyProblem) = IdempotentStart.Read(http, "/api/posts/generate-smart", null, body);
        if (keyProblem is not null) return keyProblem;
        var batchId = idem!.NewId(12);
        var instanceId = $"posts-{batchId}";
        IResult Answer(OrchestrationMetadata instance) => GenerationAccepted(http, instance, settings.Value);
        if (await idem.EarlierAsync(client, ledger, instanceId, Answer) is { } earlier) return earlier;

        if (request!.PersonaId is { } personaId)
        {
            if (await catalog.GetPersonaAsync(owner, personaId, http.RequestAborted) is not { } persona) return PersonaEndpoints.NotFound(http, personaId);
            if (PersonaEndpoints.WorkRefusal(http, persona, clock.GetUtcNow(), request.Usage) is { } refusal) return refusal;
            if (persona.ModelFor(null) is null)
                return ProblemWriter.Result(http, 409, "No trained version", "The persona has no trained version that passed validation yet; train it first, or set usePersona to false.",
                    "settings.personaId");
        }
        if (await RateBriefAsync(http, rater, catalog, owner, request) is { } rated) return rated;
        var now = clock.GetUtcNow();
        var work = request.Kinds.SelectMany(kind => request.Platforms.Select(platform => (kind, platform)))
            .Select((x, i) => new PostWork(idem.NewId(16, $"post {i}"), x.kind, x.platform, request.Seed + i)).ToList();
        foreach (var w in work)
            await posts.SavePostAsync(new Post(w.PostId, owner, batchId, request.PersonaId, w.Kind, w.Platform, request.Brief, request.Creativity, PostStatus.Generating, [], now)
                { Usage = request.Usage, FaceSwap = request.FaceSwap }.With(now, "Requested."), http.RequestAborted);
        return await idem.StartAsync(client, ledger, clock, GeneratePostsOrchestrator.Name,
            new GeneratePostsInput(owner, batchId, request.Brief, request.Creativity, request.PersonaId, request.Usage,
                work, FaceSwap: request.FaceSwap),
            instanceId, Answer);
    }

    /// <summary>The brief's title, transcript and analysis are rated before any post is written.</summary>
    private static async Task<IResult?> RateBriefAsync(HttpContext http, ContentRater rater, ICatalog catalog,
        string owner, SmartPostRequest request)
    {
        var restrictions = await RatingGate.RestrictionsAsync(catalog, owner, request.PersonaId, http.RequestAborted);
        var analysis = request.Brief.Analysis is { } a
            ? string.Join("\n", [.. a.KeyTopics ?? [], .. a.Moments ?? [], a.Sentiment ?? ""]) : null;
        foreach (var (field, text) in new[] { ("projectTitle", request.Brief.ProjectTitle),
                     ("transcript", request.Brief.Transcript), ("contentAnalysis", analysis) })
            if (await RatingGate.CheckAsync(http, rater, field, text, restrictions) is { } refused) return refused;
        return null;
    }

    /// <summary>The 202 for a batch, built from its instance's input, so a replay answers the same.</summary>
    private static IResult GenerationAccepted(HttpContext http, OrchestrationMetadata instance,
        PersonasSettings settings)
    {
        var input = instance.ReadInputAs<GeneratePostsInput>()!;
        var payload = InstancePayloads.Management(http, instance);
        http.Response.Headers.RetryAfter = settings.RetryAfterSeconds.ToString();
        return TypedResults.Accepted(payload.StatusQueryGetUri, new PostBatchAccepted(input.BatchId,
            input.Posts[0].Seed,
            input.Posts.Select(w => new PostStarted(w.PostId, w.Kind, w.Platform, w.Seed, $"/api/posts/{w.PostId}"))
                .ToList(),
            $"/api/posts?batchId={input.BatchId}", payload));
    }

    private static async Task<IResult> ListAsync(HttpContext http, IPostCatalog posts, BlobUrlSigner signer, string? status, string? personaId, string? batchId,
        int? offset, int? limit)
    {
        PostStatus? wanted = null;
        if (status is not null)
        {
            if (!Enum.TryParse<PostStatus>(status, ignoreCase: true, out var parsed) || int.TryParse(status, out _))
                return ProblemWriter.Invalid(http, "status", $"must be one of {string.Join(", ", Enum.GetNames<PostStatus>())}.");
            wanted = parsed;
        }
        var (request, problem) = PageRequest.Read(http, offset, limit);
        if (problem is not null) return problem;
        var page = await posts.ListPostsAsync(http.User.Owner(), wanted, personaId, batchId, request.Offset,
            request.Limit, http.RequestAborted);
        var link = signer.Links(http.Request);
        return TypedResults.Ok(request.Envelope(page.Items.Select(p => PostPayload.From(p, link)).ToList(),
            page.Total, "/api/posts", ("status", status), ("personaId", personaId), ("batchId", batchId)));
    }

    private static async Task<IResult> GetAsync(string postId, HttpContext http, IPostCatalog posts, BlobUrlSigner signer) =>
        await posts.GetPostAsync(http.User.Owner(), postId, http.RequestAborted) is { } post
            ? TypedResults.Ok(PostPayload.From(post, signer.Links(http.Request)))
            : NotFound(http, postId);

    /// <summary>The current revision's images for every size, its copy as JSON, and each post's text.</summary>
    private static async Task DownloadAsync(string postId, HttpContext http, IPostCatalog posts, IBlobStore blobs)
    {
        if (await posts.GetPostAsync(http.User.Owner(), postId, http.RequestAborted) is not { Current: { } revision } post)
        {
            await ProblemWriter.WriteAsync(http, 404, "Not found", $"There is no post '{postId}' with content yet.", "postId");
            return;
        }
        http.Response.ContentType = "application/zip";
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"post-{post.Id}-r{revision.Number}.zip\"";
        await using var zip = new ZipArchive(http.Response.BodyWriter.AsStream(), ZipArchiveMode.Create, leaveOpen: false);
        foreach (var asset in revision.Assets)
        {
            await using var source = await blobs.OpenReadAsync(asset.Blob, http.RequestAborted);
            if (source is null) continue;
            var name = asset.Slide is { } n ? $"{asset.Variant}/slide-{n}.jpg" : $"{asset.Variant}/{asset.Role}.jpg";
            await using var entry = await zip.CreateEntry(name, CompressionLevel.NoCompression).OpenAsync(http.RequestAborted);
            await source.CopyToAsync(entry, http.RequestAborted);
        }
        await using (var copy = await zip.CreateEntry("copy.json").OpenAsync(http.RequestAborted))
            await JsonSerializer.SerializeAsync(copy, new { post.Platform, post.Kind, revision.Number, revision.Copy, revision.Prompt, revision.Seeds, revision.Label },
                new JsonSerializerOptions { WriteIndented = true }, http.RequestAborted);
        for (var i = 0; i < revision.Copy.Texts.Count; i++)
        {
            await using var text = await zip.CreateEntry(revision.Copy.Texts.Count == 1 ? "caption.txt" : $"post-{i + 1}.txt").OpenAsync(http.RequestAborted);
            await text.WriteAsync(System.Text.Encoding.UTF8.GetBytes(revision.Copy.Texts[i]), http.RequestAborted);
        }
    }

    public static IResult NotFound(HttpContext http, string postId) =>
        ProblemWriter.Result(http, 404, "Not found", $"There is no post '{postId}'.", "postId");
}
