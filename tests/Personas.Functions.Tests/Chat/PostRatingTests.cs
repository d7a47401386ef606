using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Personas.Functions.Tests.Posts;
using static Personas.Functions.Tests.HttpAssertions;

namespace Personas.Functions.Tests.Chat;

/// <summary>
/// Ratings on a trained persona's posts and pictures: its restricted topics refused in prompts, transcripts, edits
/// and feedback; written copy rated on its revision.
/// </summary>
public sealed class PostRatingTests(PostsApiHost host) : IClassFixture<PostsApiHost>
{
    private readonly HttpClient _alice = host.Client(ApiHost.AliceKey);

    [Fact]
    public async Task A_trained_personas_restrictions_are_refused_in_prompts_posts_edits_and_feedback()
    {
        var id = await GenerationApiTests.ReadyPersonaAsync(_alice, "zqxrated");
        var patched = await Json(await _alice.PatchAsJsonAsync($"/api/personas/{id}/profile",
            new { restrictions = new[] { "crypto" }, voice = "Calm" }), 200);
        Assert.Equal("Calm", patched["voice"]!.GetValue<string>());
        await Problem(await _alice.PatchAsJsonAsync($"/api/personas/{id}/profile", new { colour = "red" }),
            400, "colour");

        await Problem(await _alice.PostAsJsonAsync("/api/generate-with-persona",
            new { personaId = id, prompt = "zqxrated explaining crypto wallets", platform = "square" }), 422, "prompt");
        await Problem(await _alice.PostAsJsonAsync("/api/posts/generate-smart", new
        {
            projectTitle = "Weekly notes", transcript = "This week I finally bought crypto for the first time.",
            settings = new { contentTypes = new[] { "quote" }, platforms = new[] { "x" }, usePersona = true,
                personaId = id },
        }), 422, "transcript");
        Assert.Equal(0, (await Json(await _alice.GetAsync($"/api/posts?personaId={id}"), 200))["total"]!
            .GetValue<int>());

        var post = (await PostFlowTests.GenerateAsync(_alice, id, ["quote"], ["x"])).Single();
        var postId = post["id"]!.GetValue<string>();
        Assert.Equal("sfw", post["current"]!["rating"]!["rating"]!.GetValue<string>());
        Assert.Empty(post["current"]!["rating"]!["restrictionHits"]!.AsArray());

        await Problem(await _alice.PatchAsJsonAsync($"/api/posts/{postId}", new { caption = "Going nude today." }),
            422, "caption");
        await Problem(await _alice.PostAsJsonAsync($"/api/posts/{postId}/regenerate",
            new { feedback = "Mention my crypto portfolio" }), 422, "feedback");
        var unchanged = await Json(await _alice.GetAsync($"/api/posts/{postId}"), 200);
        Assert.Single(unchanged["revisions"]!.AsArray());
    }

    [Fact]
    public async Task Approval_rates_the_copy_again_against_the_personas_restrictions_as_they_are_now()
    {
        var id = await GenerationApiTests.ReadyPersonaAsync(_alice, "zqxreapprove");
        var post = (await PostFlowTests.GenerateAsync(_alice, id, ["quote"], ["x"])).Single();
        var postId = post["id"]!.GetValue<string>();
        var body = post["current"]!["copy"]!["body"]!.GetValue<string>();
        var topic = Regex.Matches(body, "[A-Za-z]{6,}").First().Value.ToLowerInvariant();
        await Json(await _alice.PatchAsJsonAsync($"/api/personas/{id}/profile", new { restrictions = new[] { topic } }),
            200);

        var refused = await Problem(await _alice.PostAsync($"/api/posts/{postId}/approve", null), 422, "rating");
        Assert.Contains(topic, refused["detail"]!.GetValue<string>());
        Assert.Equal("AwaitingApproval",
            (await Json(await _alice.GetAsync($"/api/posts/{postId}"), 200))["status"]!.GetValue<string>());

        await Json(await _alice.PatchAsJsonAsync($"/api/personas/{id}/profile",
            new { restrictions = Array.Empty<string>() }), 200);
        Assert.Equal(202, (int)(await _alice.PostAsync($"/api/posts/{postId}/approve", null)).StatusCode);
    }
}
