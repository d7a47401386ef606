using Personas.Domain.Rating;

namespace Personas.Domain.Chat;

/// <summary>
/// One turn of a chat: <c>user</c> or <c>assistant</c>, its text, its rating, and who wrote an answer (<c>model</c>
/// or <c>template</c>). A user turn sent with an Idempotency-Key keeps it, so a repeat replays the stored answer.
/// </summary>
public sealed record ChatTurn(string Role, string Content, DateTimeOffset At, ContentRating? Rating = null,
    string? Source = null, string? IdempotencyKey = null)
{
    public const string User = "user", Assistant = "assistant";
}

/// <summary>An owner's conversation with one persona, oldest turn first.</summary>
public sealed record Conversation(string Id, string Owner, string PersonaId, string Title, DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt, IReadOnlyList<ChatTurn> Turns);

/// <summary>Conversations, always for one owner and one persona. They are deleted with the persona.</summary>
public interface IChatCatalog
{
    /// <summary>
    /// Adds turns to the conversation atomically, creating it (titled <paramref name="title"/>) when it is new.
    /// </summary>
    Task<Conversation> AppendTurnsAsync(string owner, string personaId, string conversationId, string title,
        IReadOnlyList<ChatTurn> turns, CancellationToken ct = default);

    Task<Conversation?> GetConversationAsync(string owner, string personaId, string conversationId,
        CancellationToken ct = default);

    /// <summary>The persona's conversations, most recently updated first.</summary>
    Task<IReadOnlyList<Conversation>> ListConversationsAsync(string owner, string personaId,
        CancellationToken ct = default);

    /// <summary>False when there was no such conversation for this owner and persona.</summary>
    Task<bool> DeleteConversationAsync(string owner, string personaId, string conversationId,
        CancellationToken ct = default);
}
