using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Personas.Functions.Tests.Chat;

/// <summary>Test helpers: a persona with a profile, and chat messages in either form.</summary>
internal static class ChatCalls
{
    public static async Task<string> PersonaAsync(HttpClient client, params string[] restrictions)
    {
        var response = await client.PostAsJsonAsync("/api/personas", new
        {
            name = "Ria Stone", triggerWord = "zqx" + Guid.NewGuid().ToString("N")[..8], mode = "portrait",
            consent = new { facialRecognition = true, aiTraining = true, likenessUsage = true, dataRetention = true },
            voice = "Upbeat and practical", topics = new[] { "trail running", "meal prep" }, restrictions,
        });
        return (await HttpAssertions.Json(response, 201))["id"]!.GetValue<string>();
    }

    public static Task<HttpResponseMessage> SendAsync(HttpClient client, string personaId, object body,
        bool stream = false, string? key = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/personas/{personaId}/chat")
        {
            Content = JsonContent.Create(body),
        };
        if (stream) request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (key is not null) request.Headers.Add("Idempotency-Key", key);
        return client.SendAsync(request);
    }

    /// <summary>The events of a finished stream, in order: (name, data).</summary>
    public static async Task<List<(string Event, JsonNode Data)>> EventsAsync(HttpResponseMessage response)
    {
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var events = new List<(string, JsonNode)>();
        foreach (var block in (await response.Content.ReadAsStringAsync()).Split("\n\n",
                     StringSplitOptions.RemoveEmptyEntries))
        {
            var lines = block.Split('\n');
            events.Add((lines.Single(l => l.StartsWith("event: "))["event: ".Length..],
                JsonNode.Parse(lines.Single(l => l.StartsWith("data: "))["data: ".Length..])!));
        }
        return events;
    }
}
