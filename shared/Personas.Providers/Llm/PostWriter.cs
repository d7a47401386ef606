using Personas.Domain.Posts;

namespace Personas.Providers.Llm;

/// <summary>What to write: the brief, the post's kind and platform, how adventurous to be (0–1), the persona's trigger word when it features, and for a regeneration the owner's feedback on the previous copy.</summary>
public sealed record CopyRequest(ContentBrief Brief, PostKind Kind, SocialPlatform Platform, double Creativity, string? TriggerWord, PromptEncoder Encoder,
    string? Feedback = null, PostCopy? Previous = null);

/// <summary>Copy that fits the platform, its image prompt, and notes on any repair or fallback.</summary>
public sealed record WrittenCopy(PostCopy Copy, ImagePrompt Prompt, IReadOnlyList<string> Notes);

/// <summary>
/// Writes post copy and the image prompt: with the configured chat model when there is one (<see cref="ChatCopywriter"/>),
/// else with the deterministic templates. Model copy that breaks a platform rule is sent back once with the problems
/// named; still over a length limit it is repaired at sentence boundaries; still malformed (a carousel without its 5
/// slides, a thread outside 3–8 posts) the templates write it instead, and the note says why.
/// </summary>
public sealed class PostWriter(ChatCopywriter? model)
{
    public bool UsesModel => model is not null;

    public async Task<WrittenCopy> WriteAsync(CopyRequest request, CancellationToken ct)
    {
        var notes = new List<string>();
        if (model is not null)
        {
            try
            {
                var drafted = await model.WriteAsync(request, null, ct);
                var problems = PlatformLimits.Problems(drafted.Copy);
                if (problems.Count > 0)
                {
                    notes.Add($"The model's first draft broke {problems.Count} rule(s) and was sent back: {string.Join(" ", problems)}");
                    drafted = await model.WriteAsync(request, problems, ct);
                }
                var fitted = CopyFitter.Fit(drafted.Copy);
                if (PlatformLimits.Problems(fitted) is { Count: > 0 } left)
                    notes.Add($"The model's copy still broke the rules ({string.Join(" ", left)}); the templates wrote it instead.");
                else
                {
                    if (!fitted.Texts.SequenceEqual(drafted.Copy.Texts)) notes.Add("The copy was trimmed at sentence boundaries to fit the platform.");
                    return new WrittenCopy(fitted, drafted.Prompt ?? TemplatePrompt(request), notes);
                }
            }
            catch (Exception ex) when (ex is ChatCopyException or System.ClientModel.ClientResultException or HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
            {
                notes.Add($"The model could not write this post ({ex.Message.Split('\n')[0]}); the templates wrote it instead.");
            }
        }
        var tone = ToneFrom(request.Feedback);
        var brief = request.Brief with { Tone = tone ?? request.Brief.Tone };
        if (request.Feedback is not null && model is null)
            notes.Add(tone is not null
                ? $"Without a language model only the feedback's tone was applied ({tone}); "
                    + "the rest of it needs Personas:Llm."
                : "The feedback was not applied: without a language model only a tone (casual, professional, "
                    + "inspirational or bold) can change the template copy. Configure Personas:Llm to apply it.");
        return new WrittenCopy(TemplateCopywriter.Write(brief, request.Kind, request.Platform), TemplatePrompt(request with { Brief = brief }), notes);
    }

    private static ImagePrompt TemplatePrompt(CopyRequest request) =>
        ImagePrompts.Template(request.TriggerWord ?? "a person", TemplateCopywriter.Topic(request.Brief), request.Kind, request.Platform, request.Brief.Tone, request.Encoder);

    /// <summary>The last tone word the feedback names, if any.</summary>
    internal static string? ToneFrom(string? feedback) => feedback is null ? null
        : new[] { "casual", "professional", "inspirational", "bold" }.Select(t => (t, at: feedback.LastIndexOf(t, StringComparison.OrdinalIgnoreCase)))
            .Where(x => x.at >= 0).OrderByDescending(x => x.at).Select(x => x.t).FirstOrDefault();
}
