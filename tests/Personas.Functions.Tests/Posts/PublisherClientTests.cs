using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Personas.Domain.Posts;
using Personas.Providers.Publishing;

namespace Personas.Functions.Tests.Posts;

/// <summary>The LinkedIn and Ayrshare clients against local servers that speak their documented formats (providers.md §5.2, §5.5).</summary>
public sealed class PublisherClientTests : IAsyncLifetime
{
    private WebApplication _fake = null!;
    private readonly ConcurrentQueue<(string Path, Dictionary<string, string> Headers, JsonNode? Body, long Bytes)> _calls = new();
    private readonly List<JsonObject> _linkedInPosts = [];
    private readonly List<JsonObject> _ayrsharePosts = [];
    private int _ids;

    public async Task InitializeAsync() => _fake = await LoopbackServer.StartAsync(app =>
    {
        app.MapPost("/rest/images", async (HttpContext http) =>
        {
            var body = await JsonNode.ParseAsync(http.Request.Body);
            _calls.Enqueue(("images", Copy(http.Request.Headers), body, 0));
            var n = Interlocked.Increment(ref _ids);
            return Results.Json(new { value = new { uploadUrl = $"{_fake.Urls.First()}/upload/{n}", image = $"urn:li:image:{n}", uploadUrlExpiresAt = 0 } });
        });
        app.MapPut("/upload/{n}", async (HttpContext http) =>
        {
            using var bytes = new MemoryStream();
            await http.Request.Body.CopyToAsync(bytes);
            _calls.Enqueue(("upload", Copy(http.Request.Headers), null, bytes.Length));
            return Results.Created();
        });
        app.MapPost("/rest/posts", async (HttpContext http) =>
        {
            var body = (JsonObject)(await JsonNode.ParseAsync(http.Request.Body))!;
            _calls.Enqueue(("posts", Copy(http.Request.Headers), body, 0));
            var urn = $"urn:li:share:{Interlocked.Increment(ref _ids)}";
            body["id"] = urn;
            lock (_linkedInPosts) _linkedInPosts.Add(body);
            http.Response.Headers["x-restli-id"] = urn;
            return Results.StatusCode(201);
        });
        app.MapGet("/rest/posts", (HttpContext http) =>
        {
            _calls.Enqueue(("finder", Copy(http.Request.Headers), null, 0));
            lock (_linkedInPosts) return Results.Json(new { elements = _linkedInPosts.ToArray() });
        });
        app.MapPost("/api/post", async (HttpContext http) =>
        {
            var body = (JsonObject)(await JsonNode.ParseAsync(http.Request.Body))!;
            _calls.Enqueue(("ayrshare", Copy(http.Request.Headers), body, 0));
            var id = $"ay{Interlocked.Increment(ref _ids)}";
            lock (_ayrsharePosts) _ayrsharePosts.Add(new JsonObject { ["id"] = id, ["post"] = body["post"]!.ToString() });
            return Results.Json(new { status = "success", errors = Array.Empty<object>(), id, postIds = new[] { new { status = "success", id = $"urn:li:share:{id}", postUrl = $"https://www.linkedin.com/feed/update/urn:li:share:{id}", platform = "linkedin" } } });
        });
        app.MapGet("/api/history", (HttpContext http) =>
        {
            _calls.Enqueue(("ayrshare-history", Copy(http.Request.Headers), null, 0));
            lock (_ayrsharePosts) return Results.Json(_ayrsharePosts.ToArray());
        });
    });

    // Kestrel reuses a request's header collection once it has been answered.
    private static Dictionary<string, string> Copy(IHeaderDictionary headers) => headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    private static PublishRequest Request(SocialPlatform platform, int images) => new("p1", "ann", platform, PostKind.Carousel,
        ["Consistency beats intensity\n\nFive lessons. #BuildInPublic (and more)"],
        Enumerable.Range(1, images).Select(i => new PublishMedia(new Uri($"https://cdn.example/{i}.jpg"), $"slide {i}",
            _ => Task.FromResult(new byte[2048 + i]))).ToList(), "a1", DateTimeOffset.UtcNow.AddMinutes(-1));

    [Fact]
    public async Task LinkedIn_uploads_each_image_then_posts_a_multi_image_post_with_versioned_headers_and_finds_it_again()
    {
        var client = new LinkedInClient(new HttpClient(), new LinkedInClientOptions
        {
            AuthorUrn = "urn:li:person:abc", AccessToken = "li-token", Endpoint = new Uri(_fake.Urls.First() + "/"), Version = "202508",
        });
        var request = Request(SocialPlatform.LinkedIn, 3);
        var posted = await client.PostAsync(request, 0, null, CancellationToken.None);

        Assert.StartsWith("urn:li:share:", posted.ExternalId);
        Assert.Equal($"https://www.linkedin.com/feed/update/{posted.ExternalId}/", posted.Url);
        var calls = _calls.ToList();
        Assert.Equal(3, calls.Count(c => c.Path == "images"));
        Assert.Equal([2049L, 2050L, 2051L], calls.Where(c => c.Path == "upload").Select(c => c.Bytes).Order());
        var init = calls.First(c => c.Path == "images");
        Assert.Equal("urn:li:person:abc", init.Body!["initializeUploadRequest"]!["owner"]!.ToString());
        Assert.Equal("202508", init.Headers["LinkedIn-Version"]);
        Assert.Equal("2.0.0", init.Headers["X-Restli-Protocol-Version"]);
        Assert.Equal("Bearer li-token", init.Headers["Authorization"]);
        var post = calls.Single(c => c.Path == "posts").Body!;
        Assert.Equal("PUBLISHED", post["lifecycleState"]!.ToString());
        Assert.Equal(3, post["content"]!["multiImage"]!["images"]!.AsArray().Count);
        Assert.Equal("slide 2", post["content"]!["multiImage"]!["images"]![1]!["altText"]!.ToString());
        // Little text: reserved characters escaped, the hashtag kept as a hashtag element.
        Assert.Contains(@"{hashtag|\#|BuildInPublic} \(and more\)", post["commentary"]!.ToString());

        var found = await client.FindAsync(request, 0, CancellationToken.None);
        Assert.Equal(posted.ExternalId, found!.ExternalId);
        Assert.Equal("FINDER", _calls.Last(c => c.Path == "finder").Headers["X-RestLi-Method"]);
        Assert.Null(await client.FindAsync(request with { Texts = ["something never posted"] }, 0, CancellationToken.None));
    }

    [Fact]
    public async Task Ayrshare_posts_with_the_owners_profile_key_and_media_links_and_finds_it_in_history()
    {
        var client = new AyrshareClient(new HttpClient(), new AyrshareClientOptions
        {
            ApiKey = "ay-key", ProfileKey = "ann-profile", Endpoint = new Uri(_fake.Urls.First() + "/"),
            XKeys = AyrshareXKeys.From("x-app-key", "x-app-secret"),
        });
        var request = Request(SocialPlatform.Instagram, 2);
        var posted = await client.PostAsync(request, 0, null, CancellationToken.None);

        var call = _calls.Single(c => c.Path == "ayrshare");
        Assert.Equal("Bearer ay-key", call.Headers["Authorization"]);
        Assert.Equal("ann-profile", call.Headers["Profile-Key"]);
        Assert.Equal(("x-app-key", "x-app-secret"),
            (call.Headers[AyrshareXKeys.KeyHeader], call.Headers[AyrshareXKeys.SecretHeader]));
        Assert.Equal(["instagram"], call.Body!["platforms"]!.AsArray().Select(p => p!.ToString()));
        Assert.Equal(["https://cdn.example/1.jpg", "https://cdn.example/2.jpg"], call.Body["mediaUrls"]!.AsArray().Select(p => p!.ToString()));
        Assert.StartsWith("urn:li:share:ay", posted.ExternalId);

        Assert.Equal(posted.ExternalId.Replace("urn:li:share:", ""), (await client.FindAsync(request, 0, CancellationToken.None))!.ExternalId);
        Assert.Equal("x-app-secret",
            _calls.Last(c => c.Path == "ayrshare-history").Headers[AyrshareXKeys.SecretHeader]);
        var withoutLinks = request with { Media = [new PublishMedia(new Uri("about:blank"), "x", _ => Task.FromResult(Array.Empty<byte>()))] };
        await Assert.ThrowsAsync<PublishRefusedException>(() => client.PostAsync(withoutLinks, 0, null, CancellationToken.None));
    }
}
