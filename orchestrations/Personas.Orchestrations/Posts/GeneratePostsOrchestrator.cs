using Personas.Domain.Posts;
using Microsoft.DurableTask;
using Personas.Orchestrations.Dataset;
using Personas.Providers.Generation;

namespace Personas.Orchestrations.Posts;

/// <summary>
/// One revision of one post to write: revision 1 of a new post, or a later one from the owner's feedback. A
/// regeneration keeps the owner's hand edits unless <see cref="ReplaceEdits"/>.
/// </summary>
public sealed record PostWork(string PostId, PostKind Kind, SocialPlatform Platform, long Seed, int Revision = 1,
    string? Feedback = null, bool ReplaceEdits = false);

public sealed record GeneratePostsInput(string Owner, string BatchId, ContentBrief Brief, double Creativity, string? PersonaId, string Usage,
    IReadOnlyList<PostWork> Posts, bool Regeneration = false, bool FaceSwap = false);

public sealed record GeneratePostsResult(IReadOnlyList<string> PostIds, IReadOnlyList<string> Failed);

/// <summary>
/// Writes a batch of posts: one activity per content type and platform, all at once, each writing the copy, the image
/// prompt, the persona picture and the rendered cards. Every new post then gets its own PostLifecycle, which holds
/// it for approval. A post that could not be made is marked failed; the others go on.
/// </summary>
public sealed class GeneratePostsOrchestrator : TaskOrchestrator<GeneratePostsInput, GeneratePostsResult>
{
    public const string Name = "GeneratePosts";

    private static readonly TaskOptions Retry = TaskOptions.FromRetryPolicy(new RetryPolicy(3, TimeSpan.FromSeconds(5), 2)
    {
        HandleFailure = failure => !failure.IsCausedBy<ConsentException>()
            && !failure.IsCausedBy<InvalidDataException>() && !failure.IsCausedBy<ImageGenerationException>(),
    });

    public override async Task<GeneratePostsResult> RunAsync(TaskOrchestrationContext context, GeneratePostsInput input)
    {
        context.SetCustomStatus(new { step = "writing", posts = input.Posts.Count });
        var writing = input.Posts.Select(work => TryAsync(context.CallActivityAsync<string>(nameof(WritePostActivity), new WritePostInput(input, work), Retry))).ToList();
        var outcomes = await Task.WhenAll(writing);

        var failed = new List<string>();
        foreach (var (work, error) in input.Posts.Zip(outcomes))
        {
            if (error is not null)
            {
                failed.Add(work.PostId);
                await context.CallActivityAsync(nameof(RecordPostActivity), new PostChange(input.Owner, work.PostId, $"Generation failed: {error}",
                    input.Regeneration ? null : PostStatus.Failed) { Error = error });
            }
            else if (!input.Regeneration)
                await context.CallActivityAsync(nameof(StartPostLifecycleActivity), new PostRef(input.Owner, work.PostId));
        }
        context.SetCustomStatus(new { step = "done", posts = input.Posts.Count, failed = failed.Count });
        return new GeneratePostsResult(input.Posts.Select(p => p.PostId).Except(failed).ToList(), failed);
    }

    private static async Task<string?> TryAsync(Task<string> work)
    {
        try { await work; return null; }
        catch (TaskFailedException ex) { return ex.FailureDetails.InnerFailure?.ErrorMessage ?? ex.FailureDetails.ErrorMessage; }
    }
}
