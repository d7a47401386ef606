using System.IO.Compression;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using static Personas.Functions.Tests.HttpAssertions;

namespace Personas.Functions.Tests.Posts;

/// <summary>The host with a dry-run persona trainer, the fake model and social APIs, Alice's X and Instagram accounts, and the test clock.</summary>
public sealed class PostsApiHost : ApiHost
{
    public FakeSocial Social { get; private set; } = null!;
    public TestClock Clock { get; } = new();

    public static Dictionary<string, string?> Settings(FakeSocial social) => new()
    {
        ["Personas:Training:DryRunSeconds"] = "1",
        ["Personas:Llm:Endpoint"] = $"{social.BaseUrl}/v1/",
        ["Personas:Llm:TextModel"] = "copy-deploy",
        ["Personas:Publishing:XEndpoint"] = $"{social.BaseUrl}/",
        ["Personas:Publishing:InstagramEndpoint"] = $"{social.BaseUrl}/v24.0/",
        ["Personas:Publishing:CreateTimeoutSeconds"] = "1",
        ["Personas:Publishing:Accounts:alice:XToken"] = FakeSocial.XToken,
        ["Personas:Publishing:Accounts:alice:InstagramUserId"] = FakeSocial.InstagramUser,
        ["Personas:Publishing:Accounts:alice:InstagramToken"] = FakeSocial.InstagramToken,
        ["Personas:Posts:ReminderHours"] = "24",
        ["Personas:Posts:ExpiryDays"] = "3",
    };

    protected override async Task<IDictionary<string, string?>> ExtraSettingsAsync()
    {
        Social = await FakeSocial.StartAsync();
        var settings = Settings(Social);
        foreach (var (key, value) in PublicAddress()) settings[key] = value;
        return settings;
    }

    protected override void ReplaceServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(Clock);

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Social.DisposeAsync();
    }
}

public sealed class PostFlowTests(PostsApiHost host) : IClassFixture<PostsApiHost>
{
    private readonly HttpClient _alice = host.Client(ApiHost.AliceKey);
    private readonly HttpClient _bob = host.Client(ApiHost.BobKey);

    /// <summary>
    /// The persona has two photos: slides 1 and 2 (consecutive seeds) show different ones, so the face regions'
    /// difference hashes disagree in many bits (the same photo gives 0).
    /// </summary>
    private async Task AssertSlidesShowDifferentPhotosAsync(List<JsonNode?> slides)
    {
        Task<byte[]> SlideAsync(int n) => _alice.GetByteArrayAsync(slides.Single(a =>
            a!["slide"]!.GetValue<int>() == n
                && a["variant"]!.GetValue<string>() == "portrait")!["url"]!.GetValue<string>());
        var (first, second) = (await SlideAsync(1), await SlideAsync(2));
        var gray = global::Personas.Imaging.Analysis.PhotoDecoder.AnalysisImage(first, 480);
        var face = global::Personas.Imaging.Faces.FaceDetector.FrontalFace.Detect(gray,
            gray.Width / 10).MaxBy(f => f.Box.Width)!.Box;
        var bits = global::Personas.Imaging.Validation.GeneratedImageScorer.FaceChangeBits(first, second, face
            .Scale(1080.0 / gray.Width), 1080);
        Assert.True(bits >= 10, $"slides 1 and 2 show the same photo ({bits} bits differ)");
    }

    private const string Title = "Building in public";
    private const string Transcript =
        "Um, so today I want to talk about consistency. Consistency beats intensity when you build anything that lasts. " +
                     "Small releases get feedback sooner than big launches ever do. People follow progress, not perfection, so show the work. " +
                     "A weekly rhythm beats bursts of effort, and consistency compounds over a year.";

    internal static async Task<JsonObject[]> GenerateAsync(HttpClient client, string? personaId, string[] types, string[] platforms)
    {
        var accepted = await Json(await client.PostAsJsonAsync("/api/posts/generate-smart", new
        {
            projectTitle = Title, transcript = Transcript,
            settings = new { contentTypes = types, platforms, creativity = 0.4, tone = "casual", usePersona = personaId is not null, personaId },
        }), 202);
        var ids = accepted["posts"]!.AsArray().Select(p => p!["id"]!.GetValue<string>()).ToList();
        return await Task.WhenAll(ids.Select(id => WaitForAsync(client, id, "AwaitingApproval")));
    }

    internal static Task<JsonObject> WaitForAsync(HttpClient client, string id, params string[] statuses) => Eventually.GetAsync(async () =>
    {
        var post = await Json(await client.GetAsync($"/api/posts/{id}"), 200);
        var status = post["status"]!.GetValue<string>();
        Assert.True(status != "Failed" || statuses.Contains("Failed"), post.ToJsonString());
        return statuses.Contains(status) ? post : null;
    }, $"post {id} to become {string.Join(" or ", statuses)}", 240);

    [Fact]
    public async Task Generate_edit_regenerate_approve_schedule_and_publish_a_carousel_to_instagram()
    {
        var personaId = await GenerationApiTests.ReadyPersonaAsync(_alice, "zqxposts");
        var posts = await GenerateAsync(_alice, personaId, ["carousel"], ["instagram"]);
        var post = posts.Single();
        var id = post["id"]!.GetValue<string>();
        var current = post["current"]!;
        Assert.Equal("model", current["copy"]!["source"]!.GetValue<string>());
        Assert.Equal(["Hook", "Educational", "Educational", "Educational", "Cta"], current["copy"]!["slides"]!.AsArray().Select(s => s!["role"]!.GetValue<string>()));
        Assert.StartsWith("a photo of zqxposts", current["prompt"]!["prompt"]!.GetValue<string>());
        Assert.InRange(current["prompt"]!["tokenEstimate"]!.GetValue<int>(), 100, 512);
        Assert.Equal(DryRunLabel, current["label"]!.GetValue<string>());
        var slides = current["assets"]!.AsArray().Where(a => a!["role"]!.GetValue<string>() == "slide").ToList();
        Assert.Equal(20, slides.Count); // 5 slides × 4 export sizes
        await AssertSlidesShowDifferentPhotosAsync(slides);
        Assert.Contains(current["assets"]!.AsArray(), a => a!["role"]!.GetValue<string>() == "persona-image");
        Assert.Single(current["seeds"]!.AsArray());

        // Bob sees none of it.
        await Problem(await _bob.GetAsync($"/api/posts/{id}"), 404, "postId");
        Assert.Equal(0, (await Json(await _bob.GetAsync("/api/posts"), 200))["total"]!.GetValue<int>());

        // Edit: the limits are checked again; a caption over 2,200 characters is refused and nothing changes.
        await Problem(await _alice.PatchAsJsonAsync($"/api/posts/{id}", new { caption = new string('a', 2300) }), 400, "caption");
        var edited = await Json(await _alice.PatchAsJsonAsync($"/api/posts/{id}", new { caption = "A year of shipping, in five lessons.", hashtags = new[] { "Shipping" } }), 200);
        Assert.Equal(2, edited["revision"]!.GetValue<int>());

        // Regenerate with feedback: the model is sent the feedback and the previous copy; revisions 1 and 2 stay.
        await Json(await _alice.PostAsJsonAsync($"/api/posts/{id}/regenerate", new { feedback = "Make it warmer" }), 202);
        var regenerated = await Eventually.GetAsync(async () =>
        {
            var p = await Json(await _alice.GetAsync($"/api/posts/{id}"), 200);
            Assert.True(p["status"]!.GetValue<string>() != "Failed", p.ToJsonString());
            return p["revisions"]!.AsArray().Count == 3 ? p : null;
        }, "revision 3", 240);
        Assert.Equal("Make it warmer", regenerated["current"]!["feedback"]!.GetValue<string>());
        Assert.Contains(host.Social.ChatRequests, r => r.ToJsonString().Contains("Make it warmer") && r.ToJsonString().Contains("A year of shipping, in five lessons."));
        Assert.Equal("AwaitingApproval", regenerated["status"]!.GetValue<string>());
        // The hand edits survive the regeneration, and the note says so.
        var keptCopy = regenerated["current"]!["copy"]!;
        Assert.Equal("A year of shipping, in five lessons.", keptCopy["body"]!.GetValue<string>());
        Assert.Equal(["Shipping"], keptCopy["hashtags"]!.AsArray().Select(h => h!.GetValue<string>()));
        Assert.Contains(regenerated["current"]!["notes"]!.AsArray(),
            n => n!.GetValue<string>().StartsWith("Kept your edits to caption, hashtags"));

        // Asked to replace them, the next regeneration writes every field anew.
        // (409 while the first regeneration's run is still finishing.)
        await Eventually.GetAsync(async () =>
        {
            var response = await _alice.PostAsJsonAsync($"/api/posts/{id}/regenerate",
                new { feedback = "Start over", replaceEdits = true });
            return response.StatusCode == System.Net.HttpStatusCode.Conflict ? null : await Json(response, 202);
        }, "the first regeneration to finish", 240);
        var replaced = await Eventually.GetAsync(async () =>
        {
            var p = await Json(await _alice.GetAsync($"/api/posts/{id}"), 200);
            return p["revisions"]!.AsArray().Count == 4 ? p : null;
        }, "revision 4", 240);
        Assert.NotEqual("A year of shipping, in five lessons.",
            replaced["current"]!["copy"]!["body"]!.GetValue<string>());
        await Problem(await _alice.PostAsJsonAsync($"/api/posts/{id}/regenerate",
            new { feedback = "x", replaceEdits = "yes" }), 400, "replaceEdits");

        // Download: the images of every size and the copy.
        var zipBytes = await _alice.GetByteArrayAsync($"/api/posts/{id}/download");
        using (var zip = new ZipArchive(new MemoryStream(zipBytes)))
        {
            Assert.Contains(zip.Entries, e => e.FullName == "portrait/slide-1.jpg");
            Assert.Contains(zip.Entries, e => e.FullName == "landscape/slide-5.jpg");
            Assert.Contains(zip.Entries, e => e.FullName == "copy.json");
            Assert.Contains(zip.Entries, e => e.FullName == "caption.txt");
        }

        // Scheduling before approval is refused; approval stages it.
        await Problem(await _alice.PostAsJsonAsync($"/api/posts/{id}/schedule", new { at = DateTimeOffset.UtcNow.AddHours(1) }), 409, "postId");
        await Json(await _alice.PostAsync($"/api/posts/{id}/approve", null), 202);
        await WaitForAsync(_alice, id, "Staged");

        // Scheduled an hour ahead on the test clock: nothing is published until the clock gets there.
        var at = host.Clock.GetUtcNow().AddHours(1);
        await Json(await _alice.PostAsJsonAsync($"/api/posts/{id}/schedule", new { at }), 202);
        var scheduled = await WaitForAsync(_alice, id, "Scheduled");
        Assert.Equal(at.ToUnixTimeSeconds(), scheduled["scheduledAt"]!.GetValue<DateTimeOffset>().ToUnixTimeSeconds());
        Assert.Empty(host.Social.InstagramMedia);
        host.Clock.Advance(TimeSpan.FromMinutes(61));
        var published = await WaitForAsync(_alice, id, "Published");

        var calls = host.Social.InstagramCalls.ToList();
        var children = calls.Where(c => c.Form.GetValueOrDefault("is_carousel_item") == "true").ToList();
        Assert.Equal(5, children.Count);
        Assert.All(children, c => Assert.Contains("/api/blobs/", c.Form["image_url"]));
        var parent = calls.Single(c => c.Form.GetValueOrDefault("media_type") == "CAROUSEL");
        Assert.Equal(5, parent.Form["children"].Split(',').Length);
        Assert.Contains("a year of shipping taught me. Shorter and warmer", parent.Form["caption"]); // revision 3, the regenerated one
        Assert.Single(host.Social.InstagramMedia);
        Assert.Equal("instagram", published["publication"]!["publisher"]!.GetValue<string>());
        Assert.StartsWith("https://www.instagram.com/p/", published["publication"]!["url"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_thread_whose_answer_times_out_after_x_accepted_it_is_posted_once()
    {
        var post = (await GenerateAsync(_alice, null, ["thread"], ["x"])).Single();
        var id = post["id"]!.GetValue<string>();
        Assert.Equal(4, post["current"]!["copy"]!["threadPosts"]!.AsArray().Count);
        await Json(await _alice.PostAsync($"/api/posts/{id}/approve", null), 202);
        await WaitForAsync(_alice, id, "Staged");

        var before = host.Social.Tweets.Count;
        host.Social.DelayNextTweet = TimeSpan.FromSeconds(3); // kept by X, answered after the 1 s timeout
        await Json(await _alice.PostAsync($"/api/posts/{id}/publish-now", null), 202);
        await Eventually.GetAsync(async () =>
        {
            var p = await Json(await _alice.GetAsync($"/api/posts/{id}"), 200);
            return p["attempts"]!.AsArray().Any(a => a!["error"] is not null) ? p : null;
        }, "the timed-out attempt");
        host.Clock.Advance(TimeSpan.FromSeconds(30)); // past the retry's back-off
        var published = await WaitForAsync(_alice, id, "Published");

        var tweets = host.Social.Tweets.Skip(before).ToList();
        Assert.Equal(4, tweets.Count); // not 5: the first was found, not posted again
        Assert.Equal(4, tweets.Select(t => t["text"]!.ToString()).Distinct().Count());
        Assert.NotNull(tweets[0]["media"]); // the hook card goes with the first post
        for (var i = 1; i < 4; i++) Assert.Equal(tweets[i - 1]["id"]!.ToString(), tweets[i]["reply"]!["in_reply_to_tweet_id"]!.ToString());
        Assert.Equal(tweets.Select(t => t["id"]!.ToString()), published["publication"]!["externalIds"]!.AsArray().Select(x => x!.GetValue<string>()));
        Assert.True(published["attempts"]!.AsArray().Count >= 2);
    }

    [Fact]
    public async Task A_post_never_approved_is_reminded_then_expires_and_is_never_published()
    {
        var post = (await GenerateAsync(_alice, null, ["single"], ["x"])).Single();
        var id = post["id"]!.GetValue<string>();
        await Problem(await _alice.PostAsync($"/api/posts/{id}/publish-now", null), 409, "postId");

        host.Clock.Advance(TimeSpan.FromHours(25));
        await Eventually.GetAsync(async () =>
        {
            var p = await Json(await _alice.GetAsync($"/api/posts/{id}"), 200);
            return p["history"]!.AsArray().Any(h => h!["what"]!.GetValue<string>().StartsWith("Reminder")) ? p : null;
        }, "the reminder");
        host.Clock.Advance(TimeSpan.FromDays(3));
        var expired = await WaitForAsync(_alice, id, "Expired");
        Assert.Empty(expired["attempts"]!.AsArray());
        await Problem(await _alice.PostAsync($"/api/posts/{id}/approve", null), 409, "postId");
        Assert.Null(expired["publication"]);
    }

    [Fact]
    public async Task Deleting_the_persona_removes_its_posts_their_files_workflows_and_outbox_copies()
    {
        var personaId = await GenerationApiTests.ReadyPersonaAsync(_alice, "zqxgone");
        var post = (await GenerateAsync(_alice, personaId, ["quote"], ["linkedin"])).Single(); // Alice has no LinkedIn account: the outbox
        var id = post["id"]!.GetValue<string>();
        await Json(await _alice.PostAsync($"/api/posts/{id}/approve", null), 202);
        await WaitForAsync(_alice, id, "Staged");
        await Json(await _alice.PostAsync($"/api/posts/{id}/publish-now", null), 202);
        var published = await WaitForAsync(_alice, id, "Published");
        Assert.Equal("outbox", published["publication"]!["publisher"]!.GetValue<string>());
        var outbox = Path.Combine(host.DataDir, "outbox", "alice", id);
        Assert.True(File.Exists(Path.Combine(outbox, "post.json")));

        await PersonaDeletion.DeleteAndWaitAsync(_alice, personaId);
        await Problem(await _alice.GetAsync($"/api/posts/{id}"), 404, "postId");
        Assert.False(Directory.Exists(outbox));
        Assert.Empty(PersonaDeletion.Leftovers(host.DataDir, personaId));
        Assert.Empty(PersonaDeletion.Leftovers(host.DataDir, id));
    }

    [Fact]
    public async Task Bulk_approve_and_publish_now_act_on_each_id_and_report_each()
    {
        var ids = (await GenerateAsync(_alice, null, ["single", "quote"], ["linkedin"])).Select(p => p["id"]!.GetValue<string>()).ToList();
        var approved = await Json(await _alice.PostAsJsonAsync("/api/posts/bulk/approve", new { ids = ids.Append("nope") }), 200);
        Assert.Equal(2, approved["accepted"]!.GetValue<int>());
        Assert.Equal(404, approved["results"]!.AsArray().Single(r => r!["id"]!.GetValue<string>() == "nope")!["status"]!.GetValue<int>());
        foreach (var id in ids) await WaitForAsync(_alice, id, "Staged");

        var published = await Json(await _alice.PostAsJsonAsync("/api/posts/bulk/publish-now", new { ids }), 200);
        Assert.Equal(2, published["accepted"]!.GetValue<int>());
        foreach (var id in ids) Assert.Equal("outbox", (await WaitForAsync(_alice, id, "Published"))["publication"]!["publisher"]!.GetValue<string>());
        var again = await Json(await _alice.PostAsJsonAsync("/api/posts/bulk/approve", new { ids }), 200);
        Assert.All(again["results"]!.AsArray(), r => Assert.Equal(409, r!["status"]!.GetValue<int>()));
    }

    [Fact]
    public async Task Bad_requests_name_the_field()
    {
        await Problem(await _alice.PostAsJsonAsync("/api/posts/generate-smart", new { projectTitle = "x", settings = new { contentTypes = new[] { "carousel" }, platforms = new[] { "x" } } }), 400, "transcript");
        await Problem(await _alice.PostAsJsonAsync("/api/posts/generate-smart", new { projectTitle = "x", transcript = "t", settings = new { contentTypes = new[] { "poem" }, platforms = new[] { "x" } } }), 400, "settings.contentTypes");
        await Problem(await _alice.PostAsJsonAsync("/api/posts/generate-smart", new { projectTitle = "x", transcript = "t", settings = new { contentTypes = new[] { "quote" }, platforms = new[] { "myspace" } } }), 400, "settings.platforms");
        await Problem(await _alice.PostAsJsonAsync("/api/posts/generate-smart", new { projectTitle = "x", transcript = "t", settings = new { contentTypes = new[] { "quote" }, platforms = new[] { "x" }, creativity = 2 } }), 400, "settings.creativity");
        await Problem(await _alice.PostAsJsonAsync("/api/posts/generate-smart", new { projectTitle = "x", transcript = "t", settings = new { contentTypes = new[] { "quote" }, platforms = new[] { "x" }, usePersona = true, personaId = "nope" } }), 404);
        await Problem(await _alice.PostAsJsonAsync("/api/posts/bulk/approve", new { ids = Array.Empty<string>() }), 400, "ids");
        await Problem(await _alice.PostAsJsonAsync("/api/posts/nope/schedule", new { at = "tomorrow" }), 400, "at");
        await Problem(await _alice.PutAsJsonAsync("/api/brand-kit", new { textColor = "white" }), 400, "textColor");
        Assert.Equal(0, (await Json(await _bob.GetAsync("/api/posts"), 200))["total"]!.GetValue<int>());
    }

    private static string DryRunLabel => global::Personas.Providers.Generation.DryRunImageGenerator.Label;
}
