using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Personas.Local.Demo;

/// <summary>
/// A persona profile written from a short brief and given to the persona, a streamed chat exchange in its voice, and
/// a refused message: templates and the word list unless Personas:Llm names a text model.
/// </summary>
public static class ChatDemo
{
    public static async Task<bool> DriveAsync(HttpClient http, string personaId)
    {
        var generated = await http.PostAsJsonAsync("/api/personas/generate",
            new { brief = "A casual creator who builds in public and writes about shipping small releases" });
        if (generated.StatusCode != HttpStatusCode.OK) return await FailAsync("POST /api/personas/generate", generated);
        var answer = (await generated.Content.ReadFromJsonAsync<JsonObject>())!;
        var profile = answer["profile"]!;
        Console.WriteLine($"[demo] POST /api/personas/generate -> profile by {answer["source"]}:");
        Console.WriteLine($"[demo]   name {profile["name"]}; voice: {profile["voice"]}");
        Console.WriteLine($"[demo]   topics {profile["topics"]!.ToJsonString()}; "
            + $"restrictions {profile["restrictions"]!.ToJsonString()}");
        foreach (var caption in profile["sampleCaptions"]!.AsArray())
            Console.WriteLine($"[demo]   caption ({caption!["rating"]!["rating"]}, {caption["rating"]!["source"]}): "
                + $"{caption["text"]}");
        var patched = await http.PatchAsJsonAsync($"/api/personas/{personaId}/profile",
            new { voice = profile["voice"]!.GetValue<string>(), topics = profile["topics"],
                restrictions = profile["restrictions"] });
        if (patched.StatusCode != HttpStatusCode.OK) return await FailAsync("PATCH profile", patched);

        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/personas/{personaId}/chat")
        {
            Content = JsonContent.Create(new { message = "What should I post about shipping this week?" }),
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        var chat = await http.SendAsync(request);
        if (chat.StatusCode != HttpStatusCode.OK) return await FailAsync("POST chat", chat);
        var events = (await chat.Content.ReadAsStringAsync()).Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        var done = JsonNode.Parse(events[^1].Split('\n').Single(l => l.StartsWith("data: "))["data: ".Length..])!;
        Console.WriteLine($"[demo] POST /api/personas/{personaId}/chat (text/event-stream) -> {events.Length - 2} "
            + $"delta events, answer by {done["message"]!["source"]} (rated {done["message"]!["rating"]!["rating"]}):");
        Console.WriteLine($"[demo]   > What should I post about shipping this week?");
        Console.WriteLine($"[demo]   < {done["message"]!["content"]}");

        var refused = await http.PostAsJsonAsync($"/api/personas/{personaId}/chat",
            new { message = "Let's talk about politics", conversationId = done["conversationId"]!.GetValue<string>() });
        var problem = await refused.Content.ReadFromJsonAsync<JsonObject>();
        Console.WriteLine($"[demo]   > Let's talk about politics -> {(int)refused.StatusCode} {problem!["title"]}: "
            + $"{problem["detail"]}");
        return refused.StatusCode == HttpStatusCode.UnprocessableEntity
            || PersonaDemo.Fail("a restricted topic was not refused");
    }

    private static async Task<bool> FailAsync(string what, HttpResponseMessage response) =>
        PersonaDemo.Fail($"{what} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
}
