using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Personas.Domain.Stores;
using Microsoft.DurableTask.Client;
using Personas.Api.Auth;
using Personas.Api.Blobs;
using Personas.Api.Personas;

namespace Personas.Api.Training;

/// <summary>
/// <c>GET /api/personas/{id}/events</c>: the status payload as Server-Sent Events (<c>event: status</c>), sent when it
/// changes. The first frame sets <c>retry:</c>; each event's <c>id:</c> names the state it carries, so a client that
/// reconnects with <c>Last-Event-ID</c> is sent nothing until the state differs from the one it has. While nothing
/// changes the stream stays open with <c>: keep-alive</c> comments; it ends only when the persona is deleted
/// (<c>event: deleted</c>) or the client goes away.
/// </summary>
public static class TrainingEvents
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(1);

    public static async Task<IResult> StreamAsync(string personaId, HttpContext http, ICatalog catalog,
        DurableTaskClient client, TimeProvider clock, IOptions<JsonOptions> jsonOptions,
        IOptions<EventStreamSettings> settings, BlobUrlSigner signer)
    {
        var owner = http.User.Owner();
        if (await catalog.GetPersonaAsync(owner, personaId, http.RequestAborted) is null)
            return PersonaEndpoints.NotFound(http, personaId);
        var json = jsonOptions.Value.SerializerOptions;
        var links = signer.Links(http.Request);
        return await StateEventStream.RunAsync(http, settings.Value, clock, Poll, async ct =>
        {
            if (await catalog.GetPersonaAsync(owner, personaId, ct) is not { } persona) return null;
            // The id comes from the payload with bare paths: a fresh signature alone is not a new state.
            var id = StateEventStream.Digest(JsonSerializer.Serialize(
                await PersonaStatusPayload.ReadAsync(persona, client, path => path, ct), json));
            return new StreamState(id, "status", async () =>
                JsonSerializer.Serialize(await PersonaStatusPayload.ReadAsync(persona, client, links, ct), json));
        });
    }
}
