using System.Security.Cryptography;
using System.Text;
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

    public static async Task<IResult> StreamAsync(string personaId, HttpContext http, ICatalog catalog, DurableTaskClient client, TimeProvider clock,
        IOptions<JsonOptions> jsonOptions, IOptions<EventStreamSettings> settings, BlobUrlSigner signer)
    {
        var owner = http.User.Owner();
        if (await catalog.GetPersonaAsync(owner, personaId, http.RequestAborted) is null) return PersonaEndpoints.NotFound(http, personaId);
        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        http.Response.Headers["X-Accel-Buffering"] = "no";
        var ct = http.RequestAborted;
        var keepAlive = TimeSpan.FromSeconds(settings.Value.KeepAliveSeconds);
        var poll = keepAlive < Poll ? keepAlive : Poll;
        var json = jsonOptions.Value.SerializerOptions;
        var links = signer.Links(http.Request);
        string? last = http.Request.Headers["Last-Event-ID"].FirstOrDefault();
        try
        {
            await http.Response.WriteAsync($"retry: {settings.Value.RetryMilliseconds}\n\n", ct);
            await http.Response.Body.FlushAsync(ct);
            var lastWrite = clock.GetUtcNow();
            while (!ct.IsCancellationRequested)
            {
                if (await catalog.GetPersonaAsync(owner, personaId, ct) is not { } persona)
                {
                    await http.Response.WriteAsync("id: deleted\nevent: deleted\ndata: {}\n\n", ct);
                    await http.Response.Body.FlushAsync(ct);
                    break;
                }
                // The id comes from the payload with bare paths: a fresh signature alone is not a new state.
                var id = StateId(JsonSerializer.Serialize(
                    await PersonaStatusPayload.ReadAsync(persona, client, path => path, ct), json));
                if (id != last)
                {
                    var payload = await PersonaStatusPayload.ReadAsync(persona, client, links, ct);
                    await http.Response.WriteAsync(
                        $"id: {id}\nevent: status\ndata: {JsonSerializer.Serialize(payload, json)}\n\n", ct);
                    last = id;
                    lastWrite = clock.GetUtcNow();
                }
                else if (clock.GetUtcNow() - lastWrite >= keepAlive)
                {
                    await http.Response.WriteAsync(": keep-alive\n\n", ct);
                    lastWrite = clock.GetUtcNow();
                }
                await http.Response.Body.FlushAsync(ct);
                await Task.Delay(poll, clock, ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
        return Results.Empty;
    }

    private static string StateId(string payload) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(payload)))[..16];
}
