using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Personas.Api.Training;
using Personas.Domain.Batches;
using Personas.Domain.Stores;

namespace Personas.Api.Batches;

/// <summary>
/// <c>GET .../batches/{batchId}/events</c>: the batch summary as Server-Sent Events (<c>event: progress</c>) each
/// time it changes, <c>: keep-alive</c> comments while it does not, and <c>event: end</c> once it is Completed,
/// Canceled or Stopped (or <c>event: deleted</c>), after which the stream closes. Its own stream rather than the
/// persona's: a client following one batch gets only that batch, and a persona may run several. As on the persona
/// stream, <c>id:</c> names the state, so a client reconnecting with <c>Last-Event-ID</c> gets nothing it has.
/// </summary>
public static class BatchEvents
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(500);

    public static async Task<IResult> StreamAsync(string personaId, string batchId, HttpContext http,
        [FromServices] IBatchCatalog batches, TimeProvider clock,
        IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> jsonOptions, IOptions<EventStreamSettings> settings)
    {
        if (await BatchEndpoints.FindAsync(batches, http, personaId, batchId) is null)
            return BatchEndpoints.NotFound(http, batchId);
        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        http.Response.Headers["X-Accel-Buffering"] = "no";
        var ct = http.RequestAborted;
        var json = jsonOptions.Value.SerializerOptions;
        var keepAlive = TimeSpan.FromSeconds(settings.Value.KeepAliveSeconds);
        var last = http.Request.Headers["Last-Event-ID"].FirstOrDefault();
        try
        {
            await SendAsync(http, $"retry: {settings.Value.RetryMilliseconds}\n\n", ct);
            var lastWrite = clock.GetUtcNow();
            while (!ct.IsCancellationRequested)
            {
                if (await BatchEndpoints.FindAsync(batches, http, personaId, batchId) is not { } batch)
                {
                    await SendAsync(http, "id: deleted\nevent: deleted\ndata: {}\n\n", ct);
                    break;
                }
                var data = JsonSerializer.Serialize(BatchSummary.From(batch), json);
                var id = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(data)))[..16];
                if (id != last)
                {
                    await SendAsync(http, $"id: {id}\nevent: progress\ndata: {data}\n\n", ct);
                    (last, lastWrite) = (id, clock.GetUtcNow());
                }
                else if (clock.GetUtcNow() - lastWrite >= keepAlive)
                {
                    await SendAsync(http, ": keep-alive\n\n", ct);
                    lastWrite = clock.GetUtcNow();
                }
                if (Batch.IsFinal(batch.Status))
                {
                    await SendAsync(http, $"event: end\ndata: {{\"status\":\"{batch.Status}\"}}\n\n", ct);
                    break;
                }
                await Task.Delay(Poll, clock, ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
        return Results.Empty;
    }

    private static async Task SendAsync(HttpContext http, string frame, CancellationToken ct)
    {
        await http.Response.WriteAsync(frame, ct);
        await http.Response.Body.FlushAsync(ct);
    }
}
