using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Personas.Local.Demo;

/// <summary>
/// The posts flow after the persona is ready: a carousel and a quote card for Instagram from the bundled sample
/// transcript, the copy printed, a demo-only auto-approval, a schedule a few seconds ahead, and publication to the
/// local outbox.
/// </summary>
public static class PostsDemo
{
    /// <summary>tests/testdata/transcripts/building-in-public.txt in this checkout (written for the repository).</summary>
    public static string SampleTranscript() =>
        File.ReadAllText(Path.Combine(Path.GetDirectoryName(PersonaDemo.SamplePhotos())!, "transcripts", "building-in-public.txt"));

    public static async Task<bool> DriveAsync(HttpClient http, Stopwatch clock, string personaId, string transcript, string dataDir)
    {
        var start = await http.PostAsJsonAsync("/api/posts/generate-smart", new
        {
            projectTitle = "Building in public", transcript,
            settings = new { contentTypes = new[] { "carousel", "quote" }, platforms = new[] { "instagram" }, creativity = 0.4, tone = "casual", usePersona = true, personaId },
        });
        if (start.StatusCode != HttpStatusCode.Accepted) return Fail($"POST /api/posts/generate-smart answered {(int)start.StatusCode}: {await start.Content.ReadAsStringAsync()}");
        var ids = (await start.Content.ReadFromJsonAsync<JsonObject>())!["posts"]!.AsArray().Select(p => p!["id"]!.GetValue<string>()).ToList();
        Console.WriteLine($"[demo] POST /api/posts/generate-smart -> 202, posts {string.Join(", ", ids)}");

        var blobs = Path.Combine(dataDir, "blobs");
        foreach (var id in ids)
        {
            var post = await WaitAsync(http, clock, id, "AwaitingApproval");
            if (post is null) return false;
            var current = post["current"]!;
            var copy = current["copy"]!;
            Console.WriteLine($"[demo] {post["kind"]} for {post["platform"]} (copy by {copy["source"]}; image {current["label"] ?? current["imageProvider"]}):");
            foreach (var line in copy["texts"]![0]!.GetValue<string>().Split('\n')) Console.WriteLine($"[demo]   | {line}");
            foreach (var slide in copy["slides"]!.AsArray()) Console.WriteLine($"[demo]   slide {slide!["role"],-11} {slide["title"]}: {slide["text"]}");
            Console.WriteLine($"[demo]   image prompt ({current["prompt"]!["tokenEstimate"]} tokens, {current["prompt"]!["source"]}): {Shorten(current["prompt"]!["prompt"]!.GetValue<string>(), 110)}");
            foreach (var asset in current["assets"]!.AsArray().Where(a => a!["variant"]!.GetValue<string>() == "portrait"))
                Console.WriteLine($"[demo]   {asset!["role"]}{(asset["slide"] is { } n ? $" {n}" : ""),-3} {Local(blobs, asset["url"]!.GetValue<string>())}");

            Console.WriteLine($"[demo] DEMO ONLY: auto-approving {id}; in the product a person approves each post (POST /api/posts/{id}/approve).");
            var approve = await http.PostAsync($"/api/posts/{id}/approve", null);
            if (approve.StatusCode != HttpStatusCode.Accepted) return Fail($"approve answered {(int)approve.StatusCode}: {await approve.Content.ReadAsStringAsync()}");
            if (await WaitAsync(http, clock, id, "Staged") is null) return false;
            var at = DateTimeOffset.UtcNow.AddSeconds(3);
            var schedule = await http.PostAsJsonAsync($"/api/posts/{id}/schedule", new { at });
            if (schedule.StatusCode != HttpStatusCode.Accepted) return Fail($"schedule answered {(int)schedule.StatusCode}: {await schedule.Content.ReadAsStringAsync()}");
            Console.WriteLine($"[demo] scheduled {id} for {at:HH:mm:ss} UTC on a durable timer");
        }
        foreach (var id in ids)
        {
            var published = await WaitAsync(http, clock, id, "Published");
            if (published is null) return false;
            var publication = published["publication"]!;
            Console.WriteLine($"[demo] published {id} to {publication["publisher"]}: {Uri.UnescapeDataString(new Uri(publication["url"]!.GetValue<string>()).LocalPath)}");
        }
        return true;
    }

    private static async Task<JsonObject?> WaitAsync(HttpClient http, Stopwatch clock, string id, string status)
    {
        var deadline = clock.Elapsed + TimeSpan.FromMinutes(10);
        while (clock.Elapsed < deadline)
        {
            var post = (await http.GetFromJsonAsync<JsonObject>($"/api/posts/{id}"))!;
            var now = post["status"]!.GetValue<string>();
            if (now == status) return post;
            if (now is "Failed" or "Rejected" or "Expired") { Fail($"post {id} is {now}: {post["error"]}"); return null; }
            await Task.Delay(300);
        }
        Fail($"post {id} did not become {status} in time");
        return null;
    }

    // Payload links are relative: /api/blobs/{path}?expires=…
    private static string Local(string blobs, string url) =>
        Path.Combine(blobs, Uri.UnescapeDataString(url.Split('?')[0]["/api/blobs/".Length..]));

    private static string Shorten(string text, int max) => text.Length <= max ? text : text[..max] + "…";

    private static bool Fail(string what) => PersonaDemo.Fail(what);
}
