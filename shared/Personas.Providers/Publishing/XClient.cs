using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace Personas.Providers.Publishing;

public sealed class XClientOptions
{
    /// <summary>The owner's OAuth 2.0 user token (scopes tweet.write, tweet.read, users.read, media.write).</summary>
    public string UserToken { get; set; } = "";
    public Uri Endpoint { get; set; } = new("https://api.x.com/");
    public TimeSpan CreateTimeout { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>
/// X API v2 (providers.md §5.3): images through <c>POST /2/media/upload</c>, then <c>POST /2/tweets</c>; a thread's
/// later posts reply to the one before. X has no idempotency key, so a lost answer is settled by reading the user's
/// posts since the attempt began and matching the text.
/// </summary>
public sealed class XClient(HttpClient http, XClientOptions options) : IPublisher
{
    public const int MaxImages = 4;
    private readonly PublisherHttp _api = new(http, "x", () => new AuthenticationHeaderValue("Bearer", options.UserToken), options.CreateTimeout);

    public string Name => "x";

    public async Task<PublishedPart> PostAsync(PublishRequest request, int part, string? replyTo, CancellationToken ct)
    {
        var body = new JsonObject { ["text"] = request.Texts[part] };
        if (part == 0 && request.Media.Count > 0)
        {
            var ids = new JsonArray();
            foreach (var media in request.Media.Take(MaxImages)) ids.Add(await UploadAsync(media, ct));
            body["media"] = new JsonObject { ["media_ids"] = ids };
        }
        if (replyTo is not null) body["reply"] = new JsonObject { ["in_reply_to_tweet_id"] = replyTo };
        var answer = await _api.SendAsync(HttpMethod.Post, new Uri(options.Endpoint, "2/tweets"), () => PublisherHttp.Json(body), ct, creates: true);
        var id = answer.Body?["data"]?["id"]?.ToString() ?? throw new PublishException(Name, 201, "the answer has no data.id");
        return new PublishedPart(id, Link(id));
    }

    public async Task<PublishedPart?> FindAsync(PublishRequest request, int part, CancellationToken ct)
    {
        var me = await _api.SendAsync(HttpMethod.Get, new Uri(options.Endpoint, "2/users/me"), () => null, ct);
        var userId = me.Body?["data"]?["id"]?.ToString() ?? throw new PublishException(Name, 200, "users/me has no data.id");
        var since = Uri.EscapeDataString(request.NotBefore.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ"));
        var recent = await _api.SendAsync(HttpMethod.Get, new Uri(options.Endpoint, $"2/users/{userId}/tweets?max_results=100&start_time={since}&tweet.fields=created_at"),
            () => null, ct);
        var wanted = PublisherHttp.Comparable(request.Texts[part]);
        var match = (recent.Body?["data"] as JsonArray ?? []).FirstOrDefault(t => PublisherHttp.Comparable(t?["text"]?.ToString() ?? "") == wanted);
        return match?["id"]?.ToString() is { } id ? new PublishedPart(id, Link(id)) : null;
    }

    private async Task<string> UploadAsync(PublishMedia media, CancellationToken ct)
    {
        var bytes = await media.ReadAsync(ct);
        var body = new JsonObject { ["media"] = Convert.ToBase64String(bytes), ["media_category"] = "tweet_image", ["media_type"] = "image/jpeg", ["shared"] = false };
        var answer = await _api.SendAsync(HttpMethod.Post, new Uri(options.Endpoint, "2/media/upload"), () => PublisherHttp.Json(body), ct);
        return answer.Body?["data"]?["id"]?.ToString() ?? throw new PublishException(Name, 200, "the media upload answer has no data.id");
    }

    private static string Link(string id) => $"https://x.com/i/web/status/{id}";
}
