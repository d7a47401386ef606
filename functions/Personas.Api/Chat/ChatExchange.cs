using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Personas.Api.Auth;
using Personas.Api.Hosting;
using Personas.Api.Instances;
using Personas.Api.Personas;
using Personas.Api.Problems;
using Personas.Api.Rating;
using Personas.Domain.Chat;
using Personas.Domain.Personas;
using Personas.Domain.Stores;
using Personas.Providers.Chat;
using Personas.Providers.Llm;
using Personas.Providers.Rating;

namespace Personas.Api.Chat;

/// <summary>
/// One message and its answer. The message is rated first (422 when refused, before any model call); the answer is
/// rated when it is complete, and withheld (its text replaced by the reason) when it is refused. Both turns are
/// stored together once the answer is complete, so a failed answer leaves the conversation as it was. With an
/// Idempotency-Key, a repeat replays the stored answer.
/// </summary>
internal static class ChatExchange
{
    public const string Route = "/api/personas/{personaId}/chat";

    /// <summary>The services a message needs.</summary>
    public sealed record Services(ICatalog Catalog, IChatCatalog Chats, IInstanceLedger Ledger, ContentRater Rater,
        PersonaChat Chat, TimeProvider Clock, IOptions<PersonasSettings> Settings);

    public static async Task<IResult> PostAsync(string personaId, HttpContext http, [AsParameters] Services s)
    {
        var owner = http.User.Owner();
        var ct = http.RequestAborted;
        var (body, bodyProblem) = await JsonBody.ReadAsync(http, s.Settings.Value.MaxJsonBodyBytes);
        if (bodyProblem is not null) return bodyProblem;
        var (request, problems) = ChatRequest.Parse(body as JsonObject);
        if (problems is not null) return ProblemWriter.Invalid(http, problems);
        var (idem, keyProblem) = IdempotentStart.Read(http, Route, personaId, body);
        if (keyProblem is not null) return keyProblem;
        if (await s.Catalog.GetPersonaAsync(owner, personaId, ct) is not { } persona)
            return PersonaEndpoints.NotFound(http, personaId);
        if (PersonaEndpoints.WorkRefusal(http, persona, s.Clock.GetUtcNow()) is { } refusal) return refusal;

        var conversationId = request!.ConversationId ?? $"conv_{idem!.NewId(20)}";
        var conversation = await s.Chats.GetConversationAsync(owner, personaId, conversationId, ct);
        if (request.ConversationId is not null && conversation is null)
            return ProblemWriter.Result(http, 404, "Not found",
                $"There is no conversation '{conversationId}' with this persona.", "conversationId");
        var recordId = $"chat-{idem!.Id()}";
        if (await idem.EarlierAsync(s.Ledger, recordId, _ => Task.FromResult(Replay(http, conversation, idem.Id()!)))
            is { } earlier)
            return earlier;

        var (rating, refused) = await RatingGate.RateAsync(http, s.Rater, "message", request.Message,
            persona.Restrictions);
        if (refused is not null) return refused;
        if (idem.Keyed && !idem.Matches(await idem.RecordAsync(s.Ledger, recordId, s.Clock))) return idem.KeyReused();

        var asked = new ChatTurn(ChatTurn.User, request.Message, s.Clock.GetUtcNow(), rating,
            IdempotencyKey: idem.Id());
        var pieces = s.Chat.StreamAsync(persona, conversation?.Turns ?? [], request.Message, ct).GetAsyncEnumerator(ct);
        // The first piece is awaited before answering, so a model that fails at once gets a 502 problem, not a stream.
        bool any;
        try { any = await pieces.MoveNextAsync(); }
        catch (Exception ex) when (StructuredChat.IsModelFailure(ex, ct))
        {
            await pieces.DisposeAsync();
            return ModelFailed(http, ex);
        }
        var exchange = new Exchange(s, owner, persona, conversationId, asked, pieces, any);
        return ChatStream.Wanted(http) ? new ChatStream(exchange.StreamAsync) : await exchange.JsonAsync(http);
    }

    private static IResult ModelFailed(HttpContext http, Exception ex) => ProblemWriter.Result(http, 502,
        "The model did not answer", $"The language model failed: {ex.Message.Split('\n')[0]}", "message");

    /// <summary>The stored answer to the keyed message, as it was first given; null when the first try never finished.
    /// </summary>
    private static IResult? Replay(HttpContext http, Conversation? conversation, string key)
    {
        var turns = conversation?.Turns ?? [];
        var at = turns.ToList().FindIndex(t => t.IdempotencyKey == key);
        if (at < 0 || at + 1 >= turns.Count) return null;
        var answer = Answer(conversation!, turns[at + 1]);
        return ChatStream.Wanted(http)
            ? new ChatStream(async (stream, ct) =>
            {
                await stream.SendAsync("start", new { answer.ConversationId, answer.Message.Source }, ct);
                await stream.SendAsync("delta", new { text = answer.Message.Content }, ct);
                await stream.SendAsync("done", answer, ct);
            })
            : TypedResults.Ok(answer);
    }

    private static ChatAnswer Answer(Conversation c, ChatTurn reply) =>
        new(c.Id, c.PersonaId, ChatTurnPayload.From(reply), reply.Rating?.Refused == true);

    /// <summary>The answer being written: pieces from the model or template, then the rating and the stored turns.
    /// </summary>
    private sealed class Exchange(Services s, string owner, Persona persona, string conversationId, ChatTurn asked,
        IAsyncEnumerator<string> pieces, bool any)
    {
        private readonly StringBuilder _text = new();

        public async Task<IResult> JsonAsync(HttpContext http)
        {
            try
            {
                for (var more = any; more; more = await pieces.MoveNextAsync()) _text.Append(pieces.Current);
            }
            catch (Exception ex) when (StructuredChat.IsModelFailure(ex, http.RequestAborted))
            {
                return ModelFailed(http, ex);
            }
            finally { await pieces.DisposeAsync(); }
            return TypedResults.Ok(await FinishAsync(http.RequestAborted));
        }

        public async Task StreamAsync(ChatStream stream, CancellationToken ct)
        {
            await using var _ = pieces;
            await stream.SendAsync("start", new { conversationId, source = s.Chat.Source }, ct);
            try
            {
                for (var more = any; more; more = await pieces.MoveNextAsync())
                {
                    _text.Append(pieces.Current);
                    await stream.SendAsync("delta", new { text = pieces.Current }, ct);
                }
            }
            catch (Exception ex) when (StructuredChat.IsModelFailure(ex, ct))
            {
                await stream.SendAsync("error", new { status = 502, title = "The model did not answer",
                    detail = ex.Message.Split('\n')[0] }, ct);
                return;
            }
            var answer = await FinishAsync(ct);
            if (answer.Withheld) await stream.SendAsync("withheld", new { rating = answer.Message.Rating }, ct);
            await stream.SendAsync("done", answer, ct);
        }

        private async Task<ChatAnswer> FinishAsync(CancellationToken ct)
        {
            var text = _text.ToString().Trim();
            var rating = await s.Rater.RateAsync(text, persona.Restrictions, ct);
            var reply = new ChatTurn(ChatTurn.Assistant,
                rating.Refused ? $"[The answer was withheld. {rating.Explanation}]" : text,
                s.Clock.GetUtcNow(), rating, s.Chat.Source);
            var title = asked.Content.Length <= 60 ? asked.Content : asked.Content[..60].TrimEnd() + "…";
            var conversation = await s.Chats.AppendTurnsAsync(owner, persona.Id, conversationId, title,
                [asked, reply], CancellationToken.None);
            return Answer(conversation, reply);
        }
    }
}
