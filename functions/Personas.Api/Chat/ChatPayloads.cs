using Personas.Domain.Chat;
using Personas.Domain.Rating;

namespace Personas.Api.Chat;

/// <summary>The body of a chat message, for the OpenAPI document (the route reads it with <see cref="ChatRequest"/>).
/// </summary>
public sealed record ChatBody(string Message, string? ConversationId);

/// <summary>One turn as the API shows it; <c>source</c> says who wrote an answer (model or template).</summary>
public sealed record ChatTurnPayload(string Role, string Content, DateTimeOffset At, ContentRating? Rating,
    string? Source)
{
    public static ChatTurnPayload From(ChatTurn t) => new(t.Role, t.Content, t.At, t.Rating, t.Source);
}

/// <summary>
/// The answer to a message (the JSON form, and the data of the stream's <c>done</c> event). <c>withheld</c>: the
/// answer was rated NSFW or against the persona's restrictions, and its text was replaced by the reason.
/// </summary>
public sealed record ChatAnswer(string ConversationId, string PersonaId, ChatTurnPayload Message, bool Withheld);

/// <summary>A conversation in a list: its turns are counted, not shown.</summary>
public sealed record ConversationSummary(string Id, string PersonaId, string Title, int TurnCount,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static ConversationSummary From(Conversation c) =>
        new(c.Id, c.PersonaId, c.Title, c.Turns.Count, c.CreatedAt, c.UpdatedAt);
}

/// <summary>A conversation with every turn, oldest first.</summary>
public sealed record ConversationPayload(string Id, string PersonaId, string Title, DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt, IReadOnlyList<ChatTurnPayload> Turns)
{
    public static ConversationPayload From(Conversation c) =>
        new(c.Id, c.PersonaId, c.Title, c.CreatedAt, c.UpdatedAt, c.Turns.Select(ChatTurnPayload.From).ToList());
}
