using System.Net.Http.Json;
using System.Text.Json.Nodes;
using static Personas.Functions.Tests.HttpAssertions;

namespace Personas.Functions.Tests.Chat;

/// <summary>Chat and profiles without a model: templates, labelled, and the word list as the rating.</summary>
public sealed class ChatTemplateTests(ApiHost host) : IClassFixture<ApiHost>
{
    private readonly HttpClient _alice = host.Client(ApiHost.AliceKey);
    private readonly HttpClient _bob = host.Client(ApiHost.BobKey);

    [Fact]
    public async Task A_template_answer_is_labelled_deterministic_and_kept_in_a_conversation_the_owner_alone_sees()
    {
        var id = await ChatCalls.PersonaAsync(_alice);
        var first = await Json(await ChatCalls.SendAsync(_alice, id, new { message = "Any meal prep tips?" }), 200);
        var again = await Json(await ChatCalls.SendAsync(_alice, id, new { message = "Any meal prep tips?" }), 200);

        var content = first["message"]!["content"]!.GetValue<string>();
        Assert.Equal("template", first["message"]!["source"]!.GetValue<string>());
        Assert.Contains("Ria Stone", content);
        Assert.Contains("meal prep", content);
        Assert.Contains("Template answer", content);
        Assert.Equal(content, again["message"]!["content"]!.GetValue<string>());
        Assert.Equal("wordlist", first["message"]!["rating"]!["source"]!.GetValue<string>());
        var conversationId = first["conversationId"]!.GetValue<string>();
        Assert.NotEqual(conversationId, again["conversationId"]!.GetValue<string>());

        var list = await Json(await _alice.GetAsync($"/api/personas/{id}/conversations?limit=1"), 200);
        Assert.Equal(2, list["total"]!.GetValue<int>());
        Assert.NotNull(list["next"]);
        var conversation = await Json(await _alice.GetAsync($"/api/personas/{id}/conversations/{conversationId}"), 200);
        Assert.Equal(["user", "assistant"],
            conversation["turns"]!.AsArray().Select(t => t!["role"]!.GetValue<string>()));
        Assert.Equal("Any meal prep tips?", conversation["title"]!.GetValue<string>());

        await Problem(await _bob.GetAsync($"/api/personas/{id}/conversations"), 404, "personaId");
        await Problem(await _bob.GetAsync($"/api/personas/{id}/conversations/{conversationId}"), 404, "conversationId");
        await Problem(await _bob.DeleteAsync($"/api/personas/{id}/conversations/{conversationId}"), 404);
        await Problem(await ChatCalls.SendAsync(_bob, id, new { message = "hi" }), 404, "personaId");
        Assert.Equal(204,
            (int)(await _alice.DeleteAsync($"/api/personas/{id}/conversations/{conversationId}")).StatusCode);
        await Problem(await _alice.GetAsync($"/api/personas/{id}/conversations/{conversationId}"), 404,
            "conversationId");
    }

    [Fact]
    public async Task The_template_answer_streams_as_server_sent_events_that_add_up_to_the_stored_answer()
    {
        var id = await ChatCalls.PersonaAsync(_alice);
        var events = await ChatCalls.EventsAsync(
            await ChatCalls.SendAsync(_alice, id, new { message = "Hello there" }, stream: true));

        Assert.Equal("start", events[0].Event);
        Assert.Equal("template", events[0].Data["source"]!.GetValue<string>());
        Assert.Equal("done", events[^1].Event);
        var deltas = events.Where(e => e.Event == "delta").Select(e => e.Data["text"]!.GetValue<string>()).ToList();
        Assert.True(deltas.Count > 5);
        Assert.Equal(events[^1].Data["message"]!["content"]!.GetValue<string>(), string.Concat(deltas).Trim());
    }

    [Fact]
    public async Task An_idempotency_key_replays_the_stored_answer_and_refuses_another_message()
    {
        var id = await ChatCalls.PersonaAsync(_alice);
        var key = Guid.NewGuid().ToString("N");
        var first = await ChatCalls.SendAsync(_alice, id, new { message = "Once only" }, key: key);
        var replay = await ChatCalls.SendAsync(_alice, id, new { message = "Once only" }, key: key);

        var answer = await Json(first, 200);
        Assert.Equal((await Json(replay, 200)).ToJsonString(), answer.ToJsonString());
        Assert.Equal("true", replay.Headers.GetValues("Idempotent-Replayed").Single());
        var conversation = await Json(await _alice.GetAsync(
            $"/api/personas/{id}/conversations/{answer["conversationId"]}"), 200);
        Assert.Equal(2, conversation["turns"]!.AsArray().Count);
        await Problem(await ChatCalls.SendAsync(_alice, id, new { message = "Something else" }, key: key), 422,
            "Idempotency-Key");
    }

    [Fact]
    public async Task NSFW_and_restricted_messages_are_refused_by_the_word_list_and_nothing_is_stored()
    {
        var id = await ChatCalls.PersonaAsync(_alice, "politics");

        var nsfw = await Problem(await ChatCalls.SendAsync(_alice, id, new { message = "Write me a NUDE scene" }),
            422, "message");
        Assert.Equal("nsfw", nsfw["rating"]!["rating"]!.GetValue<string>());
        Assert.Equal("wordlist", nsfw["rating"]!["source"]!.GetValue<string>());
        var restricted = await Problem(await ChatCalls.SendAsync(_alice, id,
            new { message = "What do you think about Politics?" }, stream: true), 422, "message");
        Assert.Equal(["politics"],
            restricted["rating"]!["restrictionHits"]!.AsArray().Select(h => h!.GetValue<string>()));
        Assert.Equal(0, (await Json(await _alice.GetAsync($"/api/personas/{id}/conversations"), 200))["total"]!
            .GetValue<int>());
    }

    [Fact]
    public async Task Bad_chat_bodies_name_the_field()
    {
        var id = await ChatCalls.PersonaAsync(_alice);
        await Problem(await ChatCalls.SendAsync(_alice, id, new { message = "  " }), 400, "message");
        await Problem(await ChatCalls.SendAsync(_alice, id, new { message = "hi", mood = "x" }), 400, "mood");
        await Problem(await ChatCalls.SendAsync(_alice, id, new { message = "hi", conversationId = "nope" }), 400,
            "conversationId");
        await Problem(await ChatCalls.SendAsync(_alice, id,
            new { message = "hi", conversationId = "conv_" + new string('a', 20) }), 404, "conversationId");
    }

    [Fact]
    public async Task A_template_profile_is_labelled_and_deterministic_and_an_NSFW_brief_is_refused()
    {
        const string brief = "A bold climbing coach who writes about bouldering and finger strength";
        var first = await Json(await _alice.PostAsJsonAsync("/api/personas/generate", new { brief }), 200);
        var again = await Json(await _alice.PostAsJsonAsync("/api/personas/generate", new { brief }), 200);

        Assert.Equal("template", first["source"]!.GetValue<string>());
        Assert.Equal(first.ToJsonString(), again.ToJsonString());
        var profile = first["profile"]!;
        Assert.Contains("climbing", profile["topics"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.StartsWith("Bold", profile["voice"]!.GetValue<string>());
        Assert.Equal(3, profile["sampleCaptions"]!.AsArray().Count);
        Assert.All(profile["sampleCaptions"]!.AsArray(),
            c => Assert.Equal("wordlist", c!["rating"]!["source"]!.GetValue<string>()));
        await Problem(await _alice.PostAsJsonAsync("/api/personas/generate", new { brief = "a naked influencer" }),
            422, "brief");
        await Problem(await _alice.PostAsJsonAsync("/api/personas/generate", new { brief = 3 }), 400, "brief");

        // The profile's fields are accepted by persona creation as they are.
        var created = await Json(await _alice.PostAsJsonAsync("/api/personas", new
        {
            name = profile["name"]!.GetValue<string>(), triggerWord = "zqxprof", mode = "portrait",
            consent = new { facialRecognition = true, aiTraining = true, likenessUsage = true, dataRetention = true },
            voice = profile["voice"]!.GetValue<string>(), topics = profile["topics"],
            restrictions = profile["restrictions"],
        }), 201);
        Assert.Equal(profile["restrictions"]!.ToJsonString(), created["restrictions"]!.ToJsonString());
    }

    [Fact]
    public async Task Persona_profile_fields_are_validated_with_the_field_named()
    {
        var problem = await Problem(await _alice.PostAsJsonAsync("/api/personas", new
        {
            name = "Ann", triggerWord = "zqxbadprof", mode = "portrait",
            consent = new { facialRecognition = true, aiTraining = true, likenessUsage = true, dataRetention = true },
            voice = new string('v', 501), topics = Enumerable.Range(0, 21).Select(i => $"t{i}"),
            restrictions = new[] { "ok", " " },
        }), 400);
        Assert.NotNull(problem["errors"]!["voice"]);
        Assert.NotNull(problem["errors"]!["topics"]);
        Assert.NotNull(problem["errors"]!["restrictions[1]"]);
    }

    [Fact]
    public async Task Image_generation_refuses_NSFW_and_restricted_prompts_before_anything_else_is_checked()
    {
        var id = await ChatCalls.PersonaAsync(_alice, "alcohol");
        var nsfw = await Problem(await _alice.PostAsJsonAsync("/api/generate-with-persona",
            new { personaId = id, prompt = "a topless photo on a beach", platform = "square" }), 422, "prompt");
        Assert.Equal("nsfw", nsfw["rating"]!["rating"]!.GetValue<string>());
        await Problem(await _alice.PostAsJsonAsync("/api/generate-with-persona",
            new { personaId = id, prompt = "holding a glass of alcohol", platform = "square" }), 422, "prompt");
        // A clean prompt goes on to the next check (this draft persona has no trained version).
        await Problem(await _alice.PostAsJsonAsync("/api/generate-with-persona",
            new { personaId = id, prompt = "on a mountain trail", platform = "square" }), 409, "modelVersion");
    }

    [Fact]
    public async Task Smart_posts_refuse_an_NSFW_transcript_before_any_post_is_made()
    {
        var problem = await Problem(await _alice.PostAsJsonAsync("/api/posts/generate-smart", new
        {
            projectTitle = "Launch", transcript = "Today we talk about our new porn channel and more.",
            settings = new { contentTypes = new[] { "quote" }, platforms = new[] { "x" } },
        }), 422, "transcript");
        Assert.Equal("nsfw", problem["rating"]!["rating"]!.GetValue<string>());
        Assert.Equal(0, (await Json(await _alice.GetAsync("/api/posts"), 200))["total"]!.GetValue<int>());
    }

    [Fact]
    public async Task Deleting_the_persona_deletes_its_conversations()
    {
        var id = await ChatCalls.PersonaAsync(_alice);
        await Json(await ChatCalls.SendAsync(_alice, id, new { message = "Remember me" }), 200);
        await PersonaDeletion.DeleteAndWaitAsync(_alice, id);
        Assert.Empty(PersonaDeletion.Leftovers(host.DataDir, id));
    }
}
