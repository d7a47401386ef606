using System.Net.Http.Json;
using System.Text.Json.Nodes;
using static Personas.Functions.Tests.HttpAssertions;

namespace Personas.Functions.Tests.Chat;

/// <summary>The real host with Personas:Llm pointing at a local OpenAI-compatible fake.</summary>
public sealed class ModelChatHost : ApiHost
{
    public FakeOpenAi Model { get; private set; } = null!;

    protected override async Task<IDictionary<string, string?>> ExtraSettingsAsync()
    {
        Model = await FakeOpenAi.StartAsync();
        return new Dictionary<string, string?>
        {
            ["Personas:Llm:Endpoint"] = $"{Model.BaseUrl}/v1/", ["Personas:Llm:TextModel"] = "chat-deploy",
        };
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Model.DisposeAsync();
    }
}

/// <summary>
/// Chat, rating and profiles through the model: streaming, structured output, and refusals it decides.
/// </summary>
public sealed class ChatModelTests(ModelChatHost host) : IClassFixture<ModelChatHost>
{
    private readonly HttpClient _alice = host.Client(ApiHost.AliceKey);

    [Fact]
    public async Task The_model_streams_in_the_personas_voice_and_the_next_message_carries_the_history()
    {
        var id = await ChatCalls.PersonaAsync(_alice, "crypto");
        var events = await ChatCalls.EventsAsync(
            await ChatCalls.SendAsync(_alice, id, new { message = "How do I start trail running?" }, stream: true));

        Assert.Equal(["start", "delta", "delta", "delta", "delta", "done"], events.Select(e => e.Event));
        Assert.Equal("model", events[0].Data["source"]!.GetValue<string>());
        Assert.Equal("Hello from the model.",
            string.Concat(events.Where(e => e.Event == "delta").Select(e => e.Data["text"]!.GetValue<string>())));
        var done = events[^1].Data;
        Assert.Equal("Hello from the model.", done["message"]!["content"]!.GetValue<string>());
        Assert.Equal("model", done["message"]!["rating"]!["source"]!.GetValue<string>());
        Assert.False(done["withheld"]!.GetValue<bool>());
        var first = host.Model.Streams.Last();
        var system = FakeOpenAi.Text(first["messages"]![0]!);
        Assert.Contains("Ria Stone", system);
        Assert.Contains("Upbeat and practical", system);
        Assert.Contains("trail running, meal prep", system);
        Assert.Contains("crypto", system);

        var conversationId = done["conversationId"]!.GetValue<string>();
        var second = await Json(await ChatCalls.SendAsync(_alice, id,
            new { message = "And what should I eat after?", conversationId }), 200);
        Assert.Equal(conversationId, second["conversationId"]!.GetValue<string>());
        var messages = host.Model.Streams.Last()["messages"]!.AsArray().Select(m => FakeOpenAi.Text(m!)).ToList();
        Assert.Equal(["How do I start trail running?", "Hello from the model.", "And what should I eat after?"],
            messages.Skip(1));
        var stored = await _alice.GetFromJsonAsync<JsonObject>($"/api/personas/{id}/conversations/{conversationId}");
        Assert.Equal(4, stored!["turns"]!.AsArray().Count);
    }

    [Fact]
    public async Task The_models_rating_refuses_a_message_before_any_answer_is_asked_for()
    {
        var id = await ChatCalls.PersonaAsync(_alice, "crypto");
        var streams = host.Model.Streams.Count();

        // No word of the list names it: only the model's classification finds the restricted topic...
        var topic = await Problem(await ChatCalls.SendAsync(_alice, id, new { message = "Should I buy bitcoin?" }),
            422, "message");
        Assert.Equal(["crypto"], topic["rating"]!["restrictionHits"]!.AsArray().Select(h => h!.GetValue<string>()));
        Assert.Equal("model", topic["rating"]!["source"]!.GetValue<string>());
        // ...and the NSFW rating.
        var nsfw = await Problem(await ChatCalls.SendAsync(_alice, id,
            new { message = $"Write something {FakeOpenAi.Flagged}" }, stream: true), 422, "message");
        Assert.Equal("nsfw", nsfw["rating"]!["rating"]!.GetValue<string>());

        Assert.Equal(streams, host.Model.Streams.Count());
        var rating = host.Model.Formatted("content_rating").Last();
        Assert.True(rating["response_format"]!["json_schema"]!["strict"]!.GetValue<bool>());
        Assert.Equal(0, (await Json(await _alice.GetAsync($"/api/personas/{id}/conversations"), 200))["total"]!
            .GetValue<int>());
    }

    [Fact]
    public async Task An_answer_the_model_rates_NSFW_is_withheld_and_stored_as_withheld()
    {
        var id = await ChatCalls.PersonaAsync(_alice);
        var answer = await Json(await ChatCalls.SendAsync(_alice, id, new { message = "say-bad please" }), 200);

        Assert.True(answer["withheld"]!.GetValue<bool>());
        var content = answer["message"]!["content"]!.GetValue<string>();
        Assert.StartsWith("[The answer was withheld.", content);
        Assert.DoesNotContain(FakeOpenAi.Flagged, content);
        var stored = await _alice.GetFromJsonAsync<JsonObject>(
            $"/api/personas/{id}/conversations/{answer["conversationId"]}");
        Assert.DoesNotContain(FakeOpenAi.Flagged, stored!["turns"]![1]!["content"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_profile_comes_from_structured_output_and_refused_captions_are_left_out()
    {
        var answer = await Json(await _alice.PostAsJsonAsync("/api/personas/generate",
            new { brief = "A trail runner who writes about recovery" }), 200);

        Assert.Equal("model", answer["source"]!.GetValue<string>());
        var profile = answer["profile"]!;
        Assert.Equal("Mara Field", profile["name"]!.GetValue<string>());
        Assert.Equal(["politics"], profile["restrictions"]!.AsArray().Select(r => r!.GetValue<string>()));
        var caption = Assert.Single(profile["sampleCaptions"]!.AsArray());
        Assert.Equal("Hills are just slow flats.", caption!["text"]!.GetValue<string>());
        Assert.Equal("sfw", caption["rating"]!["rating"]!.GetValue<string>());
        Assert.Contains(answer["notes"]!.AsArray(), n => n!.GetValue<string>().Contains("1 sample caption"));
        var request = host.Model.Formatted("persona_profile").Single();
        Assert.True(request["response_format"]!["json_schema"]!["strict"]!.GetValue<bool>());
        Assert.Contains("trail runner", FakeOpenAi.Text(request["messages"]![1]!));
    }
}
