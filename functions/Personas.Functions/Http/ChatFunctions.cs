using Personas.Functions.Hosting;
using static Microsoft.Azure.Functions.Worker.AuthorizationLevel;

namespace Personas.Functions.Http;

/// <summary>
/// Persona chat, stored conversations and persona profiles from a brief.
/// Each function only declares its route to the Functions host; the shared route table (Personas.Api) answers.
/// </summary>
public sealed class ChatFunctions(ApiDispatcher api)
{
    [Function("ChatWithPersona")]
    public Task ChatWithPersona(
        [HttpTrigger(Anonymous, "post", Route = "personas/{personaId}/chat")] HttpRequest request,
        [DurableClient] DurableTaskClient durable, FunctionContext context) =>
        api.RunAsync(request, durable, context);

    [Function("PersonaConversations")]
    public Task PersonaConversations(
        [HttpTrigger(Anonymous, "get", Route = "personas/{personaId}/conversations")] HttpRequest request,
        [DurableClient] DurableTaskClient durable, FunctionContext context) =>
        api.RunAsync(request, durable, context);

    [Function("PersonaConversation")]
    public Task PersonaConversation(
        [HttpTrigger(Anonymous, "get", "delete", Route = "personas/{personaId}/conversations/{conversationId}")]
        HttpRequest request, [DurableClient] DurableTaskClient durable, FunctionContext context) =>
        api.RunAsync(request, durable, context);

    [Function("GeneratePersonaProfile")]
    public Task GeneratePersonaProfile(
        [HttpTrigger(Anonymous, "post", Route = "personas/generate")] HttpRequest request,
        [DurableClient] DurableTaskClient durable, FunctionContext context) =>
        api.RunAsync(request, durable, context);

    [Function("UpdatePersonaProfile")]
    public Task UpdatePersonaProfile(
        [HttpTrigger(Anonymous, "patch", Route = "personas/{personaId}/profile")] HttpRequest request,
        [DurableClient] DurableTaskClient durable, FunctionContext context) =>
        api.RunAsync(request, durable, context);
}
