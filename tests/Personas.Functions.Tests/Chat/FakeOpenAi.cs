using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Personas.Functions.Tests.Chat;

/// <summary>
/// An OpenAI-compatible server on 127.0.0.1: chat.completions streamed as chat.completion.chunk SSE when the request
/// says stream: true, and strict JSON-schema answers for the content_rating and persona_profile formats. The rating
/// it gives is semantic in the way a model's is: "bitcoin" is about the restricted topic "crypto", and MODEL-FLAGGED
/// (no word in the word list) is NSFW.
/// </summary>
public sealed class FakeOpenAi : IAsyncDisposable
{
    public const string Flagged = "MODEL-FLAGGED";
    private WebApplication _app = null!;

    public ConcurrentQueue<JsonObject> Requests { get; } = new();
    public string BaseUrl => _app.Urls.First();

    public IEnumerable<JsonObject> Streams => Requests.Where(r => r["stream"]?.GetValue<bool>() == true);

    public IEnumerable<JsonObject> Formatted(string name) =>
        Requests.Where(r => r["response_format"]?["json_schema"]?["name"]?.GetValue<string>() == name);

    public static async Task<FakeOpenAi> StartAsync()
    {
        var fake = new FakeOpenAi();
        fake._app = await LoopbackServer.StartAsync(app => app.MapPost("/v1/chat/completions", fake.AnswerAsync));
        return fake;
    }

    private async Task AnswerAsync(HttpContext http)
    {
        var body = (JsonObject)(await JsonNode.ParseAsync(http.Request.Body))!;
        Requests.Enqueue(body);
        var messages = body["messages"]!.AsArray();
        var last = Text(messages[^1]!);
        if (body["stream"]?.GetValue<bool>() == true)
        {
            await StreamAsync(http, last.Contains("say-bad") ? ["Here is ", "something ", Flagged, "."]
                : ["Hello", " from", " the", " model."]);
            return;
        }
        var content = body["response_format"]!["json_schema"]!["name"]!.GetValue<string>() switch
        {
            "content_rating" => JsonSerializer.Serialize(new
            {
                rating = last.Contains(Flagged) ? "nsfw" : "sfw",
                reasons = last.Contains(Flagged) ? new[] { "sexual content" } : [],
                restrictionHits = last.Contains("bitcoin", StringComparison.OrdinalIgnoreCase)
                    ? new[] { "crypto", "invented topic" } : [],
            }),
            _ => JsonSerializer.Serialize(new
            {
                name = "Mara Field", voice = "Warm and direct", topics = new[] { "trail running", "recovery" },
                restrictions = new[] { "politics" }, bio = "Runs trails, writes about recovery.",
                sampleCaptions = new[] { "Hills are just slow flats.", $"A {Flagged} caption." },
            }),
        };
        await http.Response.WriteAsJsonAsync(new
        {
            id = "chatcmpl-1", @object = "chat.completion", created = 1_700_000_000,
            model = body["model"]!.GetValue<string>(),
            choices = new[]
            {
                new { index = 0, message = new { role = "assistant", content }, finish_reason = "stop" },
            },
            usage = new { prompt_tokens = 50, completion_tokens = 20, total_tokens = 70 },
        });
    }

    /// <summary>The chat.completions stream format: a role chunk, one chunk per piece, a stop chunk, [DONE].</summary>
    private static async Task StreamAsync(HttpContext http, string[] pieces)
    {
        http.Response.ContentType = "text/event-stream";
        object Chunk(object delta, string? finish) => new
        {
            id = "chatcmpl-2", @object = "chat.completion.chunk", created = 1_700_000_000, model = "chat-deploy",
            choices = new[] { new { index = 0, delta, finish_reason = finish } },
        };
        var chunks = new List<object> { Chunk(new { role = "assistant", content = "" }, null) };
        chunks.AddRange(pieces.Select(p => Chunk(new { content = p }, null)));
        chunks.Add(Chunk(new { }, "stop"));
        foreach (var chunk in chunks)
        {
            await http.Response.WriteAsync($"data: {JsonSerializer.Serialize(chunk)}\n\n");
            await http.Response.Body.FlushAsync();
        }
        await http.Response.WriteAsync("data: [DONE]\n\n");
    }

    /// <summary>A message's text, whether the client sent it as a string or as content parts.</summary>
    public static string Text(JsonNode message) => message["content"] switch
    {
        JsonArray parts => string.Concat(parts.Select(p => p!["text"]?.GetValue<string>())),
        var content => content!.GetValue<string>(),
    };

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
