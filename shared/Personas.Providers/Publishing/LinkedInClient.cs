using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Personas.Providers.Publishing;

public sealed class LinkedInClientOptions
{
    /// <summary>The author: urn:li:person:{id} for a member, urn:li:organization:{id} for a page.</summary>
    public string AuthorUrn { get; set; } = "";
    /// <summary>A token with w_member_social (or w_organization_social).</summary>
    public string AccessToken { get; set; } = "";
    /// <summary>The LinkedIn-Version header (YYYYMM); sunset versions are refused with 426.</summary>
    public string Version { get; set; } = "202508";
    public Uri Endpoint { get; set; } = new("https://api.linkedin.com/");
    public TimeSpan CreateTimeout { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>
/// LinkedIn's versioned REST API (providers.md §5.2): each image through <c>images?action=initializeUpload</c> and a PUT
/// of its bytes, then <c>POST /rest/posts</c> (one image as media, several as multiImage). The post's URN comes back
/// in <c>x-restli-id</c>. A lost answer is settled by the author's recent posts, matched on commentary.
/// </summary>
public sealed partial class LinkedInClient(HttpClient http, LinkedInClientOptions options) : IPublisher
{
    public const int MaxImages = 20;
    private readonly PublisherHttp _api = new(http, "linkedin", () => new AuthenticationHeaderValue("Bearer", options.AccessToken), options.CreateTimeout);

    public string Name => "linkedin";

    public async Task<PublishedPart> PostAsync(PublishRequest request, int part, string? replyTo, CancellationToken ct)
    {
        var images = new List<(string Urn, string Alt)>();
        foreach (var media in request.Media.Take(MaxImages)) images.Add((await UploadAsync(media, ct), media.AltText));
        var body = new JsonObject
        {
            ["author"] = options.AuthorUrn,
            ["commentary"] = LittleText(string.Join("\n\n", request.Texts)),
            ["visibility"] = "PUBLIC",
            ["distribution"] = new JsonObject { ["feedDistribution"] = "MAIN_FEED", ["targetEntities"] = new JsonArray(), ["thirdPartyDistributionChannels"] = new JsonArray() },
            ["lifecycleState"] = "PUBLISHED",
            ["isReshareDisabledByAuthor"] = false,
        };
        if (images.Count == 1) body["content"] = new JsonObject { ["media"] = Image(images[0]) };
        else if (images.Count > 1) body["content"] = new JsonObject { ["multiImage"] = new JsonObject { ["images"] = new JsonArray([.. images.Select(Image)]) } };
        var answer = await _api.SendAsync(HttpMethod.Post, new Uri(options.Endpoint, "rest/posts"), () => PublisherHttp.Json(body), ct, creates: true, configure: Versioned);
        var urn = answer.Headers.TryGetValues("x-restli-id", out var ids) ? ids.First() : throw new PublishException(Name, 201, "the answer has no x-restli-id");
        return new PublishedPart(urn, Link(urn));
    }

    public async Task<PublishedPart?> FindAsync(PublishRequest request, int part, CancellationToken ct)
    {
        var answer = await _api.SendAsync(HttpMethod.Get, new Uri(options.Endpoint, $"rest/posts?author={Uri.EscapeDataString(options.AuthorUrn)}&q=author&count=20"),
            () => null, ct, configure: m => { Versioned(m); m.Headers.Add("X-RestLi-Method", "FINDER"); });
        var wanted = PublisherHttp.Comparable(LittleText(string.Join("\n\n", request.Texts)));
        var match = (answer.Body?["elements"] as JsonArray ?? []).FirstOrDefault(p => PublisherHttp.Comparable(p?["commentary"]?.ToString() ?? "") == wanted);
        return match?["id"]?.ToString() is { } urn ? new PublishedPart(urn, Link(urn)) : null;
    }

    private async Task<string> UploadAsync(PublishMedia media, CancellationToken ct)
    {
        var init = new JsonObject { ["initializeUploadRequest"] = new JsonObject { ["owner"] = options.AuthorUrn } };
        var answer = await _api.SendAsync(HttpMethod.Post, new Uri(options.Endpoint, "rest/images?action=initializeUpload"), () => PublisherHttp.Json(init), ct, configure: Versioned);
        var uploadUrl = answer.Body?["value"]?["uploadUrl"]?.ToString() ?? throw new PublishException(Name, 200, "initializeUpload has no value.uploadUrl");
        var urn = answer.Body?["value"]?["image"]?.ToString() ?? throw new PublishException(Name, 200, "initializeUpload has no value.image");
        var upload = new Uri(uploadUrl);
        if (upload.Scheme != Uri.UriSchemeHttps && !upload.IsLoopback) throw new PublishException(Name, 200, "the upload link is not https");
        var bytes = await media.ReadAsync(ct);
        await _api.SendAsync(HttpMethod.Put, upload, () => new ByteArrayContent(bytes) { Headers = { ContentType = new MediaTypeHeaderValue("image/jpeg") } }, ct);
        return urn;
    }

    private void Versioned(HttpRequestMessage message)
    {
        message.Headers.Add("LinkedIn-Version", options.Version);
        message.Headers.Add("X-Restli-Protocol-Version", "2.0.0");
    }

    private static JsonObject Image((string Urn, string Alt) image) => new() { ["id"] = image.Urn, ["altText"] = image.Alt };

    private static string Link(string urn) => $"https://www.linkedin.com/feed/update/{urn}/";

    /// <summary>
    /// Commentary is LinkedIn's "little text": its reserved characters are escaped with a backslash, and #word becomes
    /// a hashtag element so it stays a hashtag.
    /// </summary>
    internal static string LittleText(string text)
    {
        var escaped = new StringBuilder();
        foreach (var c in text) escaped.Append(@"\|{}@[]()<>#*_~".Contains(c) ? "\\" + c : c.ToString());
        return Hashtag().Replace(escaped.ToString(), m => $"{{hashtag|\\#|{m.Groups[1].Value}}}");
    }

    [GeneratedRegex(@"\\#([\p{L}\p{N}_]+)")]
    private static partial Regex Hashtag();
}
