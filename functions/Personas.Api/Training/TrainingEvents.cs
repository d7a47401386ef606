using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Personas.Domain.Stores;
using Microsoft.DurableTask.Client;
using Personas.Api.Auth;
using Personas.Api.Personas;

namespace Personas.Api.Training;

/// <summary>
/// <c>GET /api/personas/{id}/events</c>: the status payload as Server-Sent Events (<c>event: status</c>), sent when it
/// changes, with a comment line every 15 s to keep proxies from closing the stream. Ends when the work ends, the
/// persona is deleted, or the client goes away.
/// </summary>
public static class TrainingEvents
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);

    public static async Task<IResult> StreamAsync(string personaId, HttpContext http, ICatalog catalog, DurableTaskClient client, TimeProvider clock,
        IOptions<JsonOptions> jsonOptions)
    {
        var owner = http.User.Owner();
        if (await catalog.GetPersonaAsync(owner, personaId, http.RequestAborted) is null) return PersonaEndpoints.NotFound(http, personaId);
        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        http.Response.Headers["X-Accel-Buffering"] = "no";
        var ct = http.RequestAborted;
        string? last = null;
        var lastWrite = clock.GetUtcNow();
        try
        {
            while (!ct.IsCancellationRequested)
            {
                if (await catalog.GetPersonaAsync(owner, personaId, ct) is not { } persona)
                {
                    await http.Response.WriteAsync("event: deleted\ndata: {}\n\n", ct);
                    break;
                }
                var payload = await PersonaStatusPayload.ReadAsync(persona, client, ct);
                var json = JsonSerializer.Serialize(payload, jsonOptions.Value.SerializerOptions);
                if (json != last)
                {
                    await http.Response.WriteAsync($"event: status\ndata: {json}\n\n", ct);
                    last = json;
                    lastWrite = clock.GetUtcNow();
                }
                else if (clock.GetUtcNow() - lastWrite >= KeepAlive)
                {
                    await http.Response.WriteAsync(": keep-alive\n\n", ct);
                    lastWrite = clock.GetUtcNow();
                }
                await http.Response.Body.FlushAsync(ct);
                if (payload.Finished && payload.RuntimeStatus is not ("Running" or "Pending")) break;
                await Task.Delay(Interval, clock, ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
        return Results.Empty;
    }
}
