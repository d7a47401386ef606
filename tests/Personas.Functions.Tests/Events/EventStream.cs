namespace Personas.Functions.Tests.Events;

/// <summary>One Server-Sent Events frame: its field lines (and comments) up to the blank line that ends it.</summary>
internal sealed record SseFrame(IReadOnlyList<string> Lines)
{
    public string? Field(string name) =>
        Lines.FirstOrDefault(l => l.StartsWith(name + ": ", StringComparison.Ordinal))?[(name.Length + 2)..];

    public bool IsKeepAlive => Lines.Count == 1 && Lines[0] == ": keep-alive";
}

/// <summary>Reads an open event stream frame by frame, each read bounded by a deadline.</summary>
internal sealed class EventStream(HttpResponseMessage response, StreamReader reader) : IDisposable
{
    public static async Task<EventStream> OpenAsync(HttpClient client, string personaId, string? lastEventId = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/personas/{personaId}/events");
        if (lastEventId is not null) request.Headers.Add("Last-Event-ID", lastEventId);
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        return new EventStream(response, new StreamReader(await response.Content.ReadAsStreamAsync()));
    }

    /// <summary>The next frame; null when the server closed the stream.</summary>
    public async Task<SseFrame?> NextAsync(int seconds = 30)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        var lines = new List<string>();
        while (await reader.ReadLineAsync(deadline.Token) is { } line)
        {
            if (line.Length == 0)
            {
                if (lines.Count > 0) return new SseFrame(lines);
                continue;
            }
            lines.Add(line);
        }
        return lines.Count > 0 ? new SseFrame(lines) : null;
    }

    /// <summary>Frames until one matches; fails at the deadline or if the stream ends first.</summary>
    public async Task<SseFrame> UntilAsync(Func<SseFrame, bool> match, string what, int seconds = 120)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < deadline)
        {
            var frame = await NextAsync((int)Math.Max(1, (deadline - DateTime.UtcNow).TotalSeconds));
            Assert.True(frame is not null, $"the stream ended before {what}");
            if (match(frame)) return frame;
        }
        throw new TimeoutException($"Waited {seconds} s for {what}.");
    }

    public void Dispose()
    {
        reader.Dispose();
        response.Dispose();
    }
}
