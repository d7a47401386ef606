using System.ClientModel;
using System.Text.Json;
using OpenAI;
using OpenAI.Chat;
using Personas.Domain.Blobs;
using Personas.Domain.Datasets;
using Personas.Domain.Personas;
using Personas.Imaging.Preparation;

namespace Personas.Providers.Llm;

/// <summary>
/// Captions each framed photo with a vision model through the chat-completions API, with a strict JSON schema for the
/// answer. A caption that forgets the trigger word gets it put first, so every caption trains the token.
/// </summary>
public sealed class VisionCaptioner(LlmOptions options) : ICaptioner
{
    public const string ModelSource = "model";
    private const int MaxCaptionLength = 300;

    private readonly ChatClient _chat = options.ChatClient(options.VisionModel!);

    private static readonly ChatCompletionOptions Format = new()
    {
        Temperature = 0.4f,
        MaxOutputTokenCount = 200,
        ResponseFormat = ChatResponseFormat.CreateJsonSchemaFormat("training_caption", BinaryData.FromString("""
            { "type": "object", "properties": { "caption": { "type": "string" } }, "required": ["caption"], "additionalProperties": false }
            """), jsonSchemaIsStrict: true),
    };

    public async Task<IReadOnlyList<Caption>> CaptionAsync(Persona persona, IReadOnlyList<string> framedBlobs, IBlobStore blobs, CancellationToken ct)
    {
        var captions = new List<Caption>();
        foreach (var blob in framedBlobs)
        {
            var jpeg = await blobs.ReadAllBytesAsync(blob, ct) ?? throw new InvalidDataException($"Framed image {blob} is missing.");
            var focus = persona.Mode == PersonaMode.Portrait ? "the face, expression, lighting and background" : "the pose, clothing, setting and lighting";
            List<ChatMessage> messages =
            [
                new SystemChatMessage(
                    "You write one-sentence captions for LoRA training images of a person. Refer to the person only by the token " +
                    $"'{persona.TriggerWord}' (never a name, age, ethnicity or guess about identity). Describe {focus}. At most 30 words."),
                new UserChatMessage(ChatMessageContentPart.CreateTextPart($"Caption this photo of {persona.TriggerWord}."),
                    ChatMessageContentPart.CreateImagePart(BinaryData.FromBytes(jpeg), "image/jpeg", ChatImageDetailLevel.Low)),
            ];
            ChatCompletion completion = await _chat.CompleteChatAsync(messages, Format, ct);
            captions.Add(new Caption(Normalise(Parse(completion), persona.TriggerWord), ModelSource));
        }
        return captions;
    }

    private static string Parse(ChatCompletion completion)
    {
        var text = completion.Content.FirstOrDefault()?.Text ?? throw new InvalidDataException("The model returned no caption.");
        using var json = JsonDocument.Parse(text);
        return json.RootElement.GetProperty("caption").GetString() ?? "";
    }

    /// <summary>One line, bounded, trigger word present.</summary>
    internal static string Normalise(string caption, string triggerWord)
    {
        var line = string.Join(' ', caption.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        if (!line.Contains(triggerWord, StringComparison.Ordinal)) line = $"a photo of {triggerWord}, {line}";
        return line.Length <= MaxCaptionLength ? line : line[..MaxCaptionLength].TrimEnd();
    }
}
