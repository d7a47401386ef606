using System.Text.Json;

namespace Personas.Api.Chat;

/// <summary>
/// The streaming form of a chat answer as Server-Sent Events: <c>start</c> ({conversationId, source}), <c>delta</c>
/// ({text}) per piece, then <c>withheld</c> ({rating}) when the answer was refused after it streamed, and
/// <c>done</c> (the <see cref="ChatAnswer"/>), or <c>error</c> (a problem) when the model failed midway.
/// </summary>
internal sealed class ChatStream(Func<ChatStream, CancellationToken, Task> write) : IResult
{
    public const string MediaType = "text/event-stream";

    private HttpResponse _response = null!;

    /// <summary>Whether the caller asked for the stream (<c>Accept: text/event-stream</c>).</summary>
    public static bool Wanted(HttpContext http) =>
        http.Request.Headers.Accept.Any(a => a?.Contains(MediaType, StringComparison.OrdinalIgnoreCase) == true);

    public async Task ExecuteAsync(HttpContext http)
    {
        _response = http.Response;
        _response.ContentType = MediaType;
        _response.Headers.CacheControl = "no-cache";
        _response.Headers["X-Accel-Buffering"] = "no";
        await write(this, http.RequestAborted);
    }

    public async Task SendAsync(string name, object data, CancellationToken ct)
    {
        await _response.WriteAsync(
            $"event: {name}\ndata: {JsonSerializer.Serialize(data, JsonSerializerOptions.Web)}\n\n", ct);
        await _response.Body.FlushAsync(ct);
    }
}
