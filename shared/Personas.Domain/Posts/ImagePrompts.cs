using System.Text.RegularExpressions;

namespace Personas.Domain.Posts;

/// <summary>Which text encoder reads the prompt: FLUX's T5 (512 tokens) or SDXL-style CLIP (77).</summary>
public enum PromptEncoder { T5, Clip }

/// <summary>An image prompt as sent, with its negative prompt, the encoder it was sized for and its token estimate.</summary>
public sealed record ImagePrompt(string Prompt, string NegativePrompt, PromptEncoder Encoder, int TokenEstimate, string Source);

/// <summary>
/// Image prompts for persona pictures. The template writes 100–200 words: the trigger and subject first, then scene,
/// wardrobe, light, lens, mood and composition for the platform's aspect. A prompt over its encoder's limit is
/// condensed by dropping whole clauses from the end, so the trigger and subject always stay first.
/// </summary>
public static partial class ImagePrompts
{
    public static int TokenLimit(PromptEncoder encoder) => encoder == PromptEncoder.Clip ? 77 : 512;

    public const string NegativePrompt = "blurry, low resolution, distorted face, extra fingers, deformed hands, watermark, text, logo, oversaturated, cartoon";

    public static ImagePrompt Template(string triggerWord, string topic, PostKind kind, SocialPlatform platform, string tone, PromptEncoder encoder)
    {
        var mood = tone.ToLowerInvariant() switch
        {
            "casual" => "relaxed and approachable, a genuine easy smile, candid feel",
            "inspirational" => "confident and uplifting, looking slightly upward, hopeful expression",
            "bold" or "provocative" => "direct and self-assured, strong eye contact, decisive posture",
            _ => "calm, credible and professional, friendly eye contact, composed posture",
        };
        var scene = kind switch
        {
            PostKind.Quote => "seated in a quiet modern studio with a softly blurred neutral wall behind, leaving clean open space beside the head for a quotation",
            PostKind.Carousel => "standing beside a large window in a bright contemporary workspace, with plain background areas that leave room for slide text",
            PostKind.Thread => "working at a tidy desk with a laptop and a notebook, mid-thought, natural everyday setting",
            _ => "speaking to camera in a well lit modern office, with shelves and plants softly out of focus",
        };
        var framing = platform switch
        {
            SocialPlatform.X => "wide 16:9 landscape composition, subject on the left third, generous negative space on the right",
            _ => "vertical 4:5 portrait composition, head and shoulders, subject centred slightly above the middle",
        };
        var prompt = string.Join(", ",
            $"a photo of {triggerWord}, a person, the subject of a post about {topic}",
            scene,
            mood,
            "wearing smart casual clothing in muted solid colours with no logos or printed text",
            "soft natural key light from the side, gentle fill, subtle rim light separating the subject from the background",
            "shot on a full-frame camera with an 85mm lens at f/2.8, shallow depth of field, sharp focus on the eyes",
            framing,
            "realistic skin texture, natural proportions, true-to-life colours, editorial photography style",
            "clean uncluttered background in harmonious tones, high dynamic range, professionally colour graded",
            "the face fully visible and unobstructed, nothing covering the eyes or mouth");
        return Fit(new ImagePrompt(prompt, NegativePrompt, encoder, EstimateTokens(prompt), "template"));
    }

    /// <summary>
    /// A rough token count for English prompts: one per short word, more for long words (BPE splits them), one per
    /// punctuation mark. It overestimates slightly, which is the safe side for a hard limit.
    /// </summary>
    public static int EstimateTokens(string text) =>
        Word().Matches(text).Sum(m => Math.Max(1, (m.Value.Length + 5) / 6)) + Punctuation().Matches(text).Count + 2; // + start and end tokens

    /// <summary>Drops whole comma-separated clauses from the end until the prompt fits its encoder; the first clause (trigger and subject) always stays.</summary>
    public static ImagePrompt Fit(ImagePrompt prompt)
    {
        var limit = TokenLimit(prompt.Encoder);
        var clauses = prompt.Prompt.Split(", ").ToList();
        while (EstimateTokens(string.Join(", ", clauses)) > limit && clauses.Count > 1) clauses.RemoveAt(clauses.Count - 1);
        var text = string.Join(", ", clauses);
        return prompt with { Prompt = text, TokenEstimate = EstimateTokens(text) };
    }

    [GeneratedRegex(@"[\p{L}\p{N}]+")]
    private static partial Regex Word();

    [GeneratedRegex(@"[^\p{L}\p{N}\s]")]
    private static partial Regex Punctuation();
}
