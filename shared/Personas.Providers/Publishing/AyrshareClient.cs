using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Personas.Domain.Posts;

namespace Personas.Providers.Publishing;

public sealed class AyrshareClientOptions
{
    public string ApiKey { get; set; } = "";
    /// <summary>The owner's Ayrshare user profile (Business plan); empty posts to the primary profile.</summary>
    public string? ProfileKey { get; set; }
    /// <summary>The operator's own X app keys, sent on every request when set (Ayrshare needs them for X).</summary>
    public AyrshareXKeys? XKeys { get; set; }
    public Uri Endpoint { get; set; } = new("https://api.ayrshare.com/");
    public TimeSpan CreateTimeout { get; set; } = TimeSpan.FromSeconds(60);
}

/// <summary>
/// Ayrshare's <c>POST /api/post</c> (providers.md §5.5), with the owner's <c>Profile-Key</c>. Several images to
/// Instagram become a carousel on Ayrshare's side. A thread is sent as one text with <c>twitterOptions.thread</c>, and
/// Ayrshare splits it. A lost answer is settled with <c>GET /api/history</c>, matched on the text.
/// </summary>
public sealed class AyrshareClient(HttpClient http, AyrshareClientOptions options) : IPublisher
{
    private readonly PublisherHttp _api = new(http, "ayrshare", () => new AuthenticationHeaderValue("Bearer", options.ApiKey), options.CreateTimeout);

    public string Name => "ayrshare";

    public async Task<PublishedPart> PostAsync(PublishRequest request, int part, string? replyTo, CancellationToken ct)
    {
        PublishMedia.RequireLinks(Name, request.Media);
        var body = new JsonObject
        {
            ["post"] = Text(request),
            ["platforms"] = new JsonArray(Platform(request.Platform)),
            ["shortenLinks"] = false,
        };
        if (request.Media.Count > 0) body["mediaUrls"] = new JsonArray([.. request.Media.Select(m => (JsonNode)m.PublicUrl.ToString())]);
        if (request.Platform == SocialPlatform.LinkedIn && request.Media.Count > 0)
            body["linkedInOptions"] = new JsonObject { ["altText"] = new JsonArray([.. request.Media.Select(m => (JsonNode)m.AltText)]) };
        if (request.Kind == PostKind.Thread && request.Platform == SocialPlatform.X)
            body["twitterOptions"] = new JsonObject { ["thread"] = true, ["threadNumber"] = false };
        var answer = await _api.SendAsync(HttpMethod.Post, new Uri(options.Endpoint, "api/post"), () => PublisherHttp.Json(body), ct, creates: true, configure: Profile);
        if (answer.Body?["status"]?.ToString() is { } status && status != "success")
            throw new PublishRefusedException(Name, 200, answer.Body["errors"]?.ToJsonString() ?? status);
        var target = (answer.Body?["postIds"] as JsonArray ?? []).FirstOrDefault();
        var id = target?["id"]?.ToString() ?? answer.Body?["id"]?.ToString() ?? throw new PublishException(Name, 200, "the answer has no post id");
        return new PublishedPart(id, target?["postUrl"]?.ToString());
    }

    public async Task<PublishedPart?> FindAsync(PublishRequest request, int part, CancellationToken ct)
    {
        var answer = await _api.SendAsync(HttpMethod.Get, new Uri(options.Endpoint, "api/history?lastRecords=25"), () => null, ct, configure: Profile);
        var items = answer.Body as JsonArray ?? answer.Body?["history"] as JsonArray ?? [];
        var wanted = PublisherHttp.Comparable(Text(request));
        var match = items.FirstOrDefault(h => PublisherHttp.Comparable(h?["post"]?.ToString() ?? "") == wanted);
        if (match is null) return null;
        var target = (match["postIds"] as JsonArray ?? []).FirstOrDefault();
        var id = target?["id"]?.ToString() ?? match["id"]?.ToString();
        return id is null ? null : new PublishedPart(id, target?["postUrl"]?.ToString());
    }

    private static string Text(PublishRequest request) => string.Join("\n\n", request.Texts);

    private static string Platform(SocialPlatform platform) => platform switch
    {
        SocialPlatform.Instagram => "instagram",
        SocialPlatform.LinkedIn => "linkedin",
        _ => "twitter",
    };

    private void Profile(HttpRequestMessage message) =>
        AyrshareHeaders.Apply(message, options.ProfileKey, options.XKeys);
}
