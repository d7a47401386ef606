using System.ClientModel;
using System.Text.Json;
using System.Text.Json.Serialization;
using OpenAI;
using OpenAI.Chat;
using Personas.Domain.Posts;

namespace Personas.Providers.Llm;

/// <summary>The model answered, but not with usable copy.</summary>
public sealed class ChatCopyException(string message) : Exception(message);

/// <summary>A model draft: its copy, and its image prompt when that one passed the checks (else null, and the template prompt is used).</summary>
public sealed record ModelDraft(PostCopy Copy, ImagePrompt? Prompt);

/// <summary>
/// Post copy and image prompts from an OpenAI-compatible chat model (Azure OpenAI v1, OpenAI, llama.cpp, Ollama) with
/// strict JSON-schema output. Creativity maps to temperature 0.2–1.1. The transcript is cut to 12,000 characters.
/// </summary>
public sealed class ChatCopywriter(LlmOptions options)
{
    public const string ModelSource = "model";
    private const int MaxTranscript = 12_000;

    private readonly ChatClient _chat = options.ChatClient(options.TextModel!);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) } };

    private static readonly BinaryData Schema = BinaryData.FromString("""
        {
          "type": "object",
          "properties": {
            "hook": { "type": "string" },
            "body": { "type": "string" },
            "cta": { "type": "string" },
            "hashtags": { "type": "array", "items": { "type": "string" } },
            "altText": { "type": "string" },
            "slides": { "type": "array", "items": { "type": "object", "properties": {
              "role": { "type": "string", "enum": ["hook", "educational", "cta"] }, "title": { "type": "string" }, "text": { "type": "string" } },
              "required": ["role", "title", "text"], "additionalProperties": false } },
            "threadPosts": { "type": "array", "items": { "type": "string" } },
            "imagePrompt": { "type": "string" }
          },
          "required": ["hook", "body", "cta", "hashtags", "altText", "slides", "threadPosts", "imagePrompt"],
          "additionalProperties": false
        }
        """);

    public async Task<ModelDraft> WriteAsync(CopyRequest request, IReadOnlyList<string>? problems, CancellationToken ct)
    {
        var format = new ChatCompletionOptions
        {
            Temperature = (float)(0.2 + 0.9 * Math.Clamp(request.Creativity, 0, 1)),
            MaxOutputTokenCount = 2000,
            ResponseFormat = ChatResponseFormat.CreateJsonSchemaFormat("social_post", Schema, jsonSchemaIsStrict: true),
        };
        List<ChatMessage> messages = [new SystemChatMessage(SystemPrompt(request)), new UserChatMessage(Brief(request))];
        if (problems is { Count: > 0 })
            messages.Add(new UserChatMessage($"Your previous answer broke these rules; write it again so it keeps every rule:\n- {string.Join("\n- ", problems)}"));
        ChatCompletion completion = await _chat.CompleteChatAsync(messages, format, ct);
        var text = completion.Content.FirstOrDefault()?.Text ?? throw new ChatCopyException("The model returned no content.");
        Answer answer;
        try { answer = JsonSerializer.Deserialize<Answer>(text, Json) ?? throw new ChatCopyException("The model returned null."); }
        catch (JsonException ex) { throw new ChatCopyException($"The model's answer is not the requested JSON: {ex.Message}"); }

        var copy = new PostCopy(request.Kind, request.Platform, Clean(answer.Hook), Clean(answer.Body), Clean(answer.Cta),
            (answer.Hashtags ?? []).Select(h => h.Trim().TrimStart('#')).Where(h => h.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList(),
            Clean(answer.AltText), ModelSource)
        {
            Slides = request.Kind == PostKind.Carousel ? (answer.Slides ?? []).Select(s => new Slide(s.Role, Clean(s.Title), Clean(s.Text))).ToList() : [],
            ThreadPosts = request.Kind == PostKind.Thread ? (answer.ThreadPosts ?? []).Select(Clean).Where(p => p.Length > 0).ToList() : [],
        };
        return new ModelDraft(copy, Prompt(answer.ImagePrompt, request));
    }

    /// <summary>Kept only when it is 100–200 words and starts with the trigger phrase (put there if missing); then condensed for the encoder.</summary>
    private static ImagePrompt? Prompt(string? text, CopyRequest request)
    {
        var prompt = Clean(text);
        if (request.TriggerWord is { } trigger && !prompt.StartsWith($"a photo of {trigger}", StringComparison.OrdinalIgnoreCase))
            prompt = $"a photo of {trigger}, {prompt}";
        if (PlatformLimits.Words(prompt) is < 100 or > 200) return null;
        return ImagePrompts.Fit(new ImagePrompt(prompt, ImagePrompts.NegativePrompt, request.Encoder, ImagePrompts.EstimateTokens(prompt), ModelSource));
    }

    private static string SystemPrompt(CopyRequest request)
    {
        var shape = request.Kind switch
        {
            PostKind.Carousel => "exactly 5 slides in order: one 'hook' slide, three 'educational' slides (one lesson each, at most 180 characters of text), one 'cta' slide. threadPosts is empty.",
            PostKind.Thread => $"threadPosts holds {PlatformLimits.MinThreadPosts}–{PlatformLimits.MaxThreadPosts} posts, each within {PlatformLimits.MaxLength(request.Platform)} characters; the first opens with the hook, the last carries the call to action. slides is empty.",
            PostKind.Quote => "the body is one short, quotable sentence taken from the content, in quotation marks, then the source. slides and threadPosts are empty.",
            _ => "a single post. slides and threadPosts are empty.",
        };
        return $"""
            You write social media posts from a creator's own content. Platform: {request.Platform}. Post type: {request.Kind}. Tone: {request.Brief.Tone}.
            Rules: the hook is at most {PlatformLimits.HookWords} words and comes first. The whole caption (hook, body, call to action, hashtags) stays within
            {PlatformLimits.MaxLength(request.Platform)} characters{(request.Platform == SocialPlatform.Instagram ? $" and at most {PlatformLimits.InstagramMaxHashtags} hashtags" : "")}.
            Hashtags without '#'. altText describes the image for screen readers. Use only facts from the content; never invent numbers or quotes.
            Shape: {shape}
            imagePrompt: 100 to 200 words describing a photo for the post, starting with "a photo of {request.TriggerWord ?? "a person"}", then the setting, light, lens
            and mood; the face fully visible; no text, logos or watermarks in the picture.
            """;
    }

    private static string Brief(CopyRequest request)
    {
        var brief = request.Brief;
        var transcript = brief.Transcript is { Length: > MaxTranscript } full ? full[..MaxTranscript] : brief.Transcript;
        var parts = new List<string> { $"Project: {brief.ProjectTitle}" };
        if (brief.Analysis?.KeyTopics is { Count: > 0 } topics) parts.Add($"Key topics: {string.Join(", ", topics)}");
        if (brief.Analysis?.Moments is { Count: > 0 } moments) parts.Add($"Key moments:\n- {string.Join("\n- ", moments)}");
        if (brief.Analysis?.Sentiment is { Length: > 0 } sentiment) parts.Add($"Sentiment: {sentiment}");
        if (transcript is { Length: > 0 }) parts.Add($"Transcript:\n{transcript}");
        if (request.Previous is { } previous) parts.Add($"Previous version:\n{JsonSerializer.Serialize(previous, Json)}");
        if (request.Feedback is { Length: > 0 } feedback) parts.Add($"Rewrite it applying this feedback from the creator: {feedback}");
        return string.Join("\n\n", parts);
    }

    private static string Clean(string? text) => (text ?? "").Trim();

    private sealed record Answer(string? Hook, string? Body, string? Cta, List<string>? Hashtags, string? AltText, List<AnswerSlide>? Slides,
        List<string>? ThreadPosts, string? ImagePrompt);

    private sealed record AnswerSlide(SlideRole Role, string? Title, string? Text);
}
