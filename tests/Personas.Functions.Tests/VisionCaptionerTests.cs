using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Personas.Domain.Blobs;
using Personas.Domain.Personas;
using Personas.Imaging.Preparation;
using Personas.Providers.Llm;
using Personas.TestPhotos;

namespace Personas.Functions.Tests;

/// <summary>The vision captioner against a local server that speaks the OpenAI chat-completions wire format.</summary>
public sealed class VisionCaptionerTests : IAsyncLifetime
{
    private WebApplication _fake = null!;
    private readonly List<(string Path, string? Authorization, JsonNode Body)> _requests = [];
    private readonly Queue<string> _answers = new();

    public async Task InitializeAsync()
    {
        _fake = await LoopbackServer.StartAsync(app => app.MapPost("/v1/chat/completions", async (HttpContext http) =>
        {
            var body = (await JsonNode.ParseAsync(http.Request.Body))!;
            lock (_requests) _requests.Add((http.Request.Path, http.Request.Headers.Authorization.ToString(), body));
            var caption = _answers.Count > 0 ? _answers.Dequeue() : "{\"caption\":\"a close-up photo of zqxvis smiling\"}";
            return Results.Json(new
            {
                id = "chatcmpl-1", @object = "chat.completion", created = 1_700_000_000, model = body["model"]!.GetValue<string>(),
                choices = new[] { new { index = 0, message = new { role = "assistant", content = caption }, finish_reason = "stop" } },
                usage = new { prompt_tokens = 100, completion_tokens = 12, total_tokens = 112 },
            });
        }));
    }

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    [Fact]
    public async Task Each_framed_photo_is_sent_as_an_image_with_a_strict_schema_and_captions_carry_the_trigger_word()
    {
        var blobs = new FileSystemBlobStore(Path.Combine(Path.GetTempPath(), "captioner-tests", Guid.NewGuid().ToString("N")));
        await blobs.PutAsync("a/framed/1.jpg", new MemoryStream(Samples.Load("obama.jpg")));
        await blobs.PutAsync("a/framed/2.jpg", new MemoryStream(Samples.Load("obama2.jpg")));
        _answers.Enqueue("{\"caption\":\"a close-up photo of zqxvis smiling\"}");
        _answers.Enqueue("{\"caption\":\"a man speaking at a podium\"}"); // forgot the token

        var captioner = new VisionCaptioner(new LlmOptions { Endpoint = $"{_fake.Urls.First()}/v1/", ApiKey = "test-key", VisionModel = "vision-deploy" });
        var persona = new Persona
        {
            Id = "per_1", Owner = "ann", Name = "Ann", TriggerWord = "zqxvis", Mode = PersonaMode.Portrait, Status = PersonaStatus.Preparing,
            Consent = new Consent(true, true, true, true, new ConsentRestrictions(), DateTimeOffset.UtcNow, null, null),
            CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow,
        };
        var captions = await captioner.CaptionAsync(persona, ["a/framed/1.jpg", "a/framed/2.jpg"], blobs, CancellationToken.None);

        Assert.Equal(["a close-up photo of zqxvis smiling", "a photo of zqxvis, a man speaking at a podium"], captions.Select(c => c.Text));
        Assert.All(captions, c => Assert.Equal("model", c.Source));
        Assert.Equal(2, _requests.Count);
        var (path, authorization, body) = _requests[0];
        Assert.Equal("/v1/chat/completions", path);
        Assert.Equal("Bearer test-key", authorization);
        Assert.Equal("vision-deploy", body["model"]!.GetValue<string>());
        Assert.Equal("json_schema", body["response_format"]!["type"]!.GetValue<string>());
        Assert.True(body["response_format"]!["json_schema"]!["strict"]!.GetValue<bool>());
        var parts = body["messages"]![1]!["content"]!.AsArray();
        Assert.StartsWith("data:image/jpeg;base64,", parts.Single(p => p!["type"]!.GetValue<string>() == "image_url")!["image_url"]!["url"]!.GetValue<string>());
        Assert.Contains("zqxvis", body["messages"]![0]!["content"]!.ToJsonString());
    }
}
