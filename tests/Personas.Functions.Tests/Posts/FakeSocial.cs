using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Personas.Functions.Tests.Posts;

/// <summary>
/// Local fakes, on one 127.0.0.1 port, of the OpenAI chat-completions API (structured output), X API v2 (media upload,
/// tweets, users/me, the user's timeline) and the Instagram Content Publishing API (publishing limit, containers,
/// status, media_publish, the account's media). They record what they were sent and keep what was posted.
/// </summary>
public sealed partial class FakeSocial : IAsyncDisposable
{
    public const string XUserId = "42", InstagramUser = "1789", XToken = "x-user-token", InstagramToken = "ig-token";
    private WebApplication _app = null!;
    private int _ids = 1000;

    public string BaseUrl => _app.Urls.First();
    public ConcurrentQueue<JsonObject> ChatRequests { get; } = new();
    public ConcurrentQueue<JsonObject> Tweets { get; } = new();
    public ConcurrentQueue<(string Path, Dictionary<string, string> Form)> InstagramCalls { get; } = new();
    public ConcurrentQueue<JsonObject> InstagramMedia { get; } = new();
    public int XUploads;
    /// <summary>The next tweet is kept, but its answer comes this late (past the client's timeout).</summary>
    public TimeSpan DelayNextTweet { get; set; }

    public static async Task<FakeSocial> StartAsync()
    {
        var fake = new FakeSocial();
        fake._app = await LoopbackServer.StartAsync(app =>
        {
            app.MapPost("/v1/chat/completions", (Delegate)fake.ChatAsync);
            app.MapPost("/2/media/upload", async (HttpContext http) =>
            {
                if (http.Request.Headers.Authorization != $"Bearer {XToken}") return Results.Json(new { title = "Unauthorized", detail = "bad token" }, statusCode: 401);
                var body = (await JsonNode.ParseAsync(http.Request.Body))!;
                if (body["media_category"]?.ToString() != "tweet_image" || Convert.FromBase64String(body["media"]!.ToString()).Length < 1000)
                    return Results.Json(new { detail = "bad media" }, statusCode: 400);
                Interlocked.Increment(ref fake.XUploads);
                return Results.Json(new { data = new { id = $"m{Interlocked.Increment(ref fake._ids)}", media_key = "3_1", size = 1 } });
            });
            app.MapPost("/2/tweets", async (HttpContext http) =>
            {
                var body = (JsonObject)(await JsonNode.ParseAsync(http.Request.Body))!;
                var id = $"{Interlocked.Increment(ref fake._ids)}";
                body["id"] = id;
                body["created_at"] = DateTimeOffset.UtcNow.ToString("o");
                fake.Tweets.Enqueue(body);
                if (fake.DelayNextTweet > TimeSpan.Zero)
                {
                    var delay = fake.DelayNextTweet;
                    fake.DelayNextTweet = TimeSpan.Zero;
                    await Task.Delay(delay);
                }
                return Results.Json(new { data = new { id, text = body["text"]!.ToString() } }, statusCode: 201);
            });
            app.MapGet("/2/users/me", () => Results.Json(new { data = new { id = XUserId, username = "ann" } }));
            app.MapGet("/2/users/{id}/tweets", (string id) => Results.Json(new
            {
                data = fake.Tweets.Select(t => new { id = t["id"]!.ToString(), text = t["text"]!.ToString(), created_at = t["created_at"]!.ToString() }),
            }));
            app.MapGet("/v24.0/{user}/content_publishing_limit", () =>
                Results.Json(new { data = new[] { new { quota_usage = fake.InstagramMedia.Count, config = new { quota_total = 100, quota_duration = 86400 } } } }));
            app.MapPost("/v24.0/{user}/media", async (string user, HttpContext http) =>
            {
                var form = (await http.Request.ReadFormAsync()).ToDictionary(f => f.Key, f => f.Value.ToString());
                fake.InstagramCalls.Enqueue(($"{user}/media", form));
                if (form.GetValueOrDefault("access_token") != InstagramToken) return Results.Json(new { error = new { message = "Invalid OAuth access token.", code = 190 } }, statusCode: 400);
                return Results.Json(new { id = $"c{Interlocked.Increment(ref fake._ids)}" });
            });
            app.MapPost("/v24.0/{user}/media_publish", async (string user, HttpContext http) =>
            {
                var form = (await http.Request.ReadFormAsync()).ToDictionary(f => f.Key, f => f.Value.ToString());
                fake.InstagramCalls.Enqueue(($"{user}/media_publish", form));
                var parent = fake.InstagramCalls.Last(c => c.Path.EndsWith("/media") && !c.Form.ContainsKey("is_carousel_item"));
                var id = $"ig{Interlocked.Increment(ref fake._ids)}";
                fake.InstagramMedia.Enqueue(new JsonObject
                {
                    ["id"] = id, ["caption"] = parent.Form.GetValueOrDefault("caption"), ["permalink"] = $"https://www.instagram.com/p/{id}/",
                    ["timestamp"] = DateTimeOffset.UtcNow.ToString("o"),
                });
                return Results.Json(new { id });
            });
            app.MapGet("/v24.0/{user}/media", () => Results.Json(new { data = fake.InstagramMedia.ToArray() }));
            app.MapGet("/v24.0/{id}", (string id, string fields) => fields == "status_code"
                ? Results.Json(new { status_code = "FINISHED", id })
                : Results.Json(new { permalink = $"https://www.instagram.com/p/{id}/", id }));
        });
        return fake;
    }

    /// <summary>Answers with copy of the requested shape; the image prompt is 120 words led by the trigger phrase the system prompt names.</summary>
    private async Task<IResult> ChatAsync(HttpContext http)
    {
        var body = (JsonObject)(await JsonNode.ParseAsync(http.Request.Body))!;
        ChatRequests.Enqueue(body);
        var system = body["messages"]![0]!["content"]!.ToString();
        var user = string.Join("\n", body["messages"]!.AsArray().Skip(1).Select(m => m!["content"]!.ToString()));
        var kind = KindPattern().Match(system).Groups[1].Value;
        var trigger = TriggerPattern().Match(system).Groups[1].Value;
        var feedback = user.Contains("feedback", StringComparison.Ordinal) ? " Shorter and warmer, as asked." : "";
        var answer = new JsonObject
        {
            ["hook"] = "Consistency beats intensity every time",
            ["body"] = kind == "Quote" ? "“Small steps, taken daily, build the work you are proud of.” — Building in public" : $"Here is what a year of shipping taught me.{feedback}",
            ["cta"] = "Save this and share it with a friend.",
            ["hashtags"] = new JsonArray("BuildInPublic", "#Consistency", "Creators"),
            ["altText"] = "The creator smiling at the camera",
            ["slides"] = kind == "Carousel"
                ? new JsonArray(new JsonObject { ["role"] = "hook", ["title"] = "Consistency beats intensity", ["text"] = "Five lessons from a year of shipping" },
                    Lesson("1. Ship small", "Small releases get feedback sooner."), Lesson("2. Show the work", "People follow progress, not perfection."),
                    Lesson("3. Keep a rhythm", "A weekly rhythm beats bursts of effort."),
                    new JsonObject { ["role"] = "cta", ["title"] = "Your move", ["text"] = "Follow for the next lesson." })
                : new JsonArray(),
            ["threadPosts"] = kind == "Thread"
                ? new JsonArray("Consistency beats intensity every time 🧵", "Ship small: releases get feedback sooner.", "Show the work: people follow progress.",
                    $"Save this and share it with a friend.{feedback} #BuildInPublic")
                : new JsonArray(),
            ["imagePrompt"] = $"a photo of {trigger}, " + string.Join(' ', Enumerable.Repeat("warm natural light in a bright studio,", 20)),
        };
        return Results.Json(new
        {
            id = "chatcmpl-1", @object = "chat.completion", created = 1_700_000_000, model = body["model"]!.ToString(),
            choices = new[] { new { index = 0, message = new { role = "assistant", content = answer.ToJsonString() }, finish_reason = "stop" } },
            usage = new { prompt_tokens = 100, completion_tokens = 100, total_tokens = 200 },
        });
    }

    private static JsonObject Lesson(string title, string text) => new() { ["role"] = "educational", ["title"] = title, ["text"] = text };

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [GeneratedRegex(@"Post type: (\w+)")]
    private static partial Regex KindPattern();

    [GeneratedRegex("starting with \"a photo of ([^\"]+)\"")]
    private static partial Regex TriggerPattern();
}
