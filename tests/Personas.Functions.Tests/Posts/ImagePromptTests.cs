using Personas.Domain.Posts;

namespace Personas.Functions.Tests.Posts;

public sealed class ImagePromptTests
{
    [Theory]
    [InlineData(PostKind.Quote, SocialPlatform.Instagram, "professional")]
    [InlineData(PostKind.Carousel, SocialPlatform.LinkedIn, "casual")]
    [InlineData(PostKind.Thread, SocialPlatform.X, "bold")]
    [InlineData(PostKind.Single, SocialPlatform.X, "inspirational")]
    public void Flux_prompts_are_100_to_200_words_within_t5_with_the_trigger_first(PostKind kind, SocialPlatform platform, string tone)
    {
        var prompt = ImagePrompts.Template("zqxann", "freelance pricing", kind, platform, tone, PromptEncoder.T5);
        Assert.InRange(PlatformLimits.Words(prompt.Prompt), 100, 200);
        Assert.StartsWith("a photo of zqxann", prompt.Prompt);
        Assert.InRange(prompt.TokenEstimate, 1, 512);
        Assert.Equal(ImagePrompts.EstimateTokens(prompt.Prompt), prompt.TokenEstimate);
        Assert.Contains("distorted face", prompt.NegativePrompt);
    }

    [Fact]
    public void Clip_prompts_are_condensed_to_77_tokens_by_whole_clauses_keeping_trigger_and_subject()
    {
        var full = ImagePrompts.Template("zqxann", "freelance pricing", PostKind.Single, SocialPlatform.Instagram, "professional", PromptEncoder.T5);
        var clip = ImagePrompts.Template("zqxann", "freelance pricing", PostKind.Single, SocialPlatform.Instagram, "professional", PromptEncoder.Clip);
        Assert.True(full.TokenEstimate > 77);
        Assert.InRange(clip.TokenEstimate, 1, 77);
        Assert.StartsWith("a photo of zqxann, a person, the subject of a post about freelance pricing", clip.Prompt);
        Assert.StartsWith(clip.Prompt, full.Prompt); // whole clauses dropped from the end, nothing rewritten
    }

    [Fact]
    public void Token_estimates_grow_with_long_words_and_punctuation()
    {
        Assert.Equal(2 + 3, ImagePrompts.EstimateTokens("a red car"));
        Assert.True(ImagePrompts.EstimateTokens("photorealistic, ultradetailed") > ImagePrompts.EstimateTokens("photo real"));
    }
}
