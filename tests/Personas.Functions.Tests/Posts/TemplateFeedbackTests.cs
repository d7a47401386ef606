using Personas.Domain.Posts;
using Personas.Providers.Llm;

namespace Personas.Functions.Tests.Posts;

/// <summary>
/// Without a language model, feedback changes what the templates can change, and the note says the rest.
/// </summary>
public sealed class TemplateFeedbackTests
{
    private static readonly ContentBrief Brief = new("Building in public",
        "Building in public works when you keep a small weekly rhythm. Every week I share a small update, "
            + "even a boring one.",
        Tone: "casual");

    private static Task<WrittenCopy> WriteAsync(string feedback) => new PostWriter(null).WriteAsync(
        new CopyRequest(Brief, PostKind.Single, SocialPlatform.LinkedIn, 0.4, null, PromptEncoder.T5, feedback),
        default);

    [Fact]
    public async Task A_tone_in_the_feedback_is_applied_and_the_note_says_only_that_was()
    {
        var written = await WriteAsync("Make it bold please, and mention the newsletter");
        Assert.Equal("The hard truth about building in public", written.Copy.Hook);
        Assert.Contains(written.Notes, n => n.Contains("only the feedback's tone was applied (bold)"));
    }

    [Fact]
    public async Task Feedback_the_templates_cannot_apply_is_not_silently_ignored()
    {
        var written = await WriteAsync("Mention the newsletter");
        Assert.Contains(written.Notes, n => n.StartsWith("The feedback was not applied"));
    }
}
