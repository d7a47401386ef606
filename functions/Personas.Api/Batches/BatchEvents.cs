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
        var json = jsonOptions.Value.SerializerOptions;
        return await StateEventStream.RunAsync(http, settings.Value, clock, Poll, async _ =>
        {
            if (await BatchEndpoints.FindAsync(batches, http, personaId, batchId) is not { } batch) return null;
            var data = JsonSerializer.Serialize(BatchSummary.From(batch), json);
            return new StreamState(StateEventStream.Digest(data), "progress", () => Task.FromResult(data),
                Batch.IsFinal(batch.Status) ? $"event: end\ndata: {{\"status\":\"{batch.Status}\"}}\n\n" : null);
        });
    }
}
