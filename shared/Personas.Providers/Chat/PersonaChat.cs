using System.Runtime.CompilerServices;
using OpenAI.Chat;
using Personas.Domain.Chat;
using Personas.Domain.Personas;
using Personas.Providers.Llm;

namespace Personas.Providers.Chat;

/// <summary>
/// Answers in a persona's voice: streamed from the configured text model (chat.completions with stream: true), or,
/// without one, the deterministic template answer in word-sized pieces.
/// </summary>
public sealed class PersonaChat(LlmOptions options)
{
    public const string ModelSource = "model";

    /// <summary>How many earlier turns go to the model with each message.</summary>
    public const int HistoryTurns = 20;

    private readonly ChatClient? _chat = options.TextConfigured ? options.ChatClient(options.TextModel!) : null;

    public string Source => _chat is null ? TemplateWriter.Source : ModelSource;

    public async IAsyncEnumerable<string> StreamAsync(Persona persona, IReadOnlyList<ChatTurn> history,
        string message, [EnumeratorCancellation] CancellationToken ct)
    {
        if (_chat is null)
        {
            foreach (var piece in Pieces(TemplateWriter.ChatReply(persona, message))) yield return piece;
            yield break;
        }
        List<ChatMessage> messages = [new SystemChatMessage(PersonaPrompt.System(persona))];
        foreach (var turn in history.TakeLast(HistoryTurns))
            messages.Add(turn.Role == ChatTurn.User ? new UserChatMessage(turn.Content)
                : new AssistantChatMessage(turn.Content));
        messages.Add(new UserChatMessage(message));
        var format = new ChatCompletionOptions { Temperature = 0.7f, MaxOutputTokenCount = 400 };
        await foreach (var update in _chat.CompleteChatStreamingAsync(messages, format, ct))
            foreach (var part in update.ContentUpdate)
                if (part.Text is { Length: > 0 } text) yield return text;
    }

    /// <summary>
    /// Words with their following space, so a client renders the template answer as it would a stream.
    /// </summary>
    private static IEnumerable<string> Pieces(string text)
    {
        var start = 0;
        for (var i = 1; i <= text.Length; i++)
            if (i == text.Length || text[i - 1] == ' ')
            {
                yield return text[start..i];
                start = i;
            }
    }
}
