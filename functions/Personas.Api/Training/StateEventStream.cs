using System.Security.Cryptography;
using System.Text;

namespace Personas.Api.Training;

/// <summary>
/// One read of the state a stream follows: its id (a digest of the state, not of how it is written), the event's
/// name and data, written only when the id changes, and the frame that ends the stream once the state is final.
/// </summary>
public sealed record StreamState(string Id, string Event, Func<Task<string>> Data, string? EndFrame = null);

/// <summary>
/// Server-Sent Events that follow a polled state: the first frame sets <c>retry:</c>; each event's <c>id:</c> names
/// the state it carries, so a client reconnecting with <c>Last-Event-ID</c> is sent nothing until the state differs;
/// <c>: keep-alive</c> comments while nothing changes; <c>event: deleted</c> when the state is gone. The persona's
/// stream and each batch's stream are this loop.
/// </summary>
public static class StateEventStream
{
    public static string Digest(string payload) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(payload)))[..16];

    /// <param name="read">The state now, or null once it is deleted.</param>
    public static async Task<IResult> RunAsync(HttpContext http, EventStreamSettings settings, TimeProvider clock,
        TimeSpan poll, Func<CancellationToken, Task<StreamState?>> read)
    {
        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        http.Response.Headers["X-Accel-Buffering"] = "no";
        var ct = http.RequestAborted;
        var keepAlive = TimeSpan.FromSeconds(settings.KeepAliveSeconds);
        if (keepAlive < poll) poll = keepAlive;
        var last = http.Request.Headers["Last-Event-ID"].FirstOrDefault();
        try
        {
            await SendAsync(http, $"retry: {settings.RetryMilliseconds}\n\n", ct);
            var lastWrite = clock.GetUtcNow();
            while (!ct.IsCancellationRequested)
            {
                if (await read(ct) is not { } state)
                {
                    await SendAsync(http, "id: deleted\nevent: deleted\ndata: {}\n\n", ct);
                    break;
                }
                if (state.Id != last)
                {
                    await SendAsync(http, $"id: {state.Id}\nevent: {state.Event}\ndata: {await state.Data()}\n\n", ct);
                    (last, lastWrite) = (state.Id, clock.GetUtcNow());
                }
                else if (clock.GetUtcNow() - lastWrite >= keepAlive)
                {
                    await SendAsync(http, ": keep-alive\n\n", ct);
                    lastWrite = clock.GetUtcNow();
                }
                if (state.EndFrame is { } end)
                {
                    await SendAsync(http, end, ct);
                    break;
                }
                await Task.Delay(poll, clock, ct);
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
