using Personas.Api.Auth;
using Personas.Api.OpenApi;
using Personas.Api.Paging;
using Personas.Api.Personas;
using Personas.Api.Problems;
using Personas.Domain.Chat;
using Personas.Domain.Stores;

namespace Personas.Api.Chat;

/// <summary>Chat in a persona's voice, and the owner's stored conversations with each persona.</summary>
public static class ChatEndpoints
{
    public static void MapChatEndpoints(this IEndpointRouteBuilder app)
    {
        var persona = app.MapGroup("/api/personas/{personaId}").WithTags("Chat");
        persona.MapPost("/chat", ChatExchange.PostAsync).WithName("ChatWithPersona")
            .WithSummary("Answers { message, conversationId? } in the persona's voice (system prompt from its voice, "
                + "topics and restrictions). JSON by default; Server-Sent Events (start, delta…, withheld?, done) "
                + "with Accept: text/event-stream. The message is rated first: NSFW or a restricted topic is 422. "
                + "Idempotency-Key replays the stored answer.")
            .Documents<ChatBody>("application/json")
            // One 200 with both media types (a second Produces for 200 would replace the first); the stream's
            // done event carries the same ChatAnswer.
            .Produces<ChatAnswer>(200, "application/json", ChatStream.MediaType)
            .ProducesProblem(400).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409)
            .ProducesProblem(422).ProducesProblem(502);
        persona.MapGet("/conversations", ListAsync).WithName("PersonaConversations")
            .WithSummary("The caller's conversations with the persona, most recent first. Query: offset, limit.")
            .Produces<Page<ConversationSummary>>().ProducesProblem(400).ProducesProblem(404);
        persona.MapGet("/conversations/{conversationId}", GetAsync).WithName("PersonaConversation")
            .WithSummary("A conversation with every turn, its ratings and who wrote each answer.")
            .Produces<ConversationPayload>().ProducesProblem(404);
        persona.MapDelete("/conversations/{conversationId}", DeleteAsync).WithName("DeletePersonaConversation")
            .WithSummary("Deletes a conversation. 204.")
            .Produces(204).ProducesProblem(404);
    }

    private static async Task<IResult> ListAsync(string personaId, HttpContext http, ICatalog catalog,
        IChatCatalog chats, int? offset, int? limit)
    {
        var (page, problem) = PageRequest.Read(http, offset, limit);
        if (problem is not null) return problem;
        var owner = http.User.Owner();
        if (await catalog.GetPersonaAsync(owner, personaId, http.RequestAborted) is null)
            return PersonaEndpoints.NotFound(http, personaId);
        var all = await chats.ListConversationsAsync(owner, personaId, http.RequestAborted);
        return TypedResults.Ok(page.Of(all, ConversationSummary.From, $"/api/personas/{personaId}/conversations"));
    }

    private static async Task<IResult> GetAsync(string personaId, string conversationId, HttpContext http,
        IChatCatalog chats) =>
        await chats.GetConversationAsync(http.User.Owner(), personaId, conversationId, http.RequestAborted)
            is { } conversation
            ? TypedResults.Ok(ConversationPayload.From(conversation))
            : NotFound(http, conversationId);

    private static async Task<IResult> DeleteAsync(string personaId, string conversationId, HttpContext http,
        IChatCatalog chats) =>
        await chats.DeleteConversationAsync(http.User.Owner(), personaId, conversationId, http.RequestAborted)
            ? TypedResults.NoContent()
            : NotFound(http, conversationId);

    private static IResult NotFound(HttpContext http, string conversationId) => ProblemWriter.Result(http, 404,
        "Not found", $"There is no conversation '{conversationId}' with this persona.", "conversationId");
}
