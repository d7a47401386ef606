using System.Text.Json.Nodes;

namespace Personas.Providers.Publishing;

public sealed class InstagramClientOptions
{
    /// <summary>The owner's Instagram professional account id.</summary>
    public string UserId { get; set; } = "";
    /// <summary>An Instagram User access token with instagram_business_content_publish.</summary>
    public string AccessToken { get; set; } = "";
    /// <summary>Instagram Login's host and Graph version; use https://graph.facebook.com/v24.0/ for Facebook Login.</summary>
    public Uri Endpoint { get; set; } = new("https://graph.instagram.com/v24.0/");
    public TimeSpan CreateTimeout { get; set; } = TimeSpan.FromSeconds(30);
    /// <summary>How long to wait for a container to finish processing before publishing it.</summary>
    public TimeSpan ContainerWait { get; set; } = TimeSpan.FromSeconds(60);
}

/// <summary>
/// The Instagram Content Publishing API (providers.md §5.1). It checks <c>content_publishing_limit</c> first, makes
/// one container per image (<c>is_carousel_item</c> for carousel children, then a CAROUSEL parent), waits for the
/// container to be FINISHED, then calls <c>media_publish</c>. Images are fetched by Instagram from their public links.
/// A lost answer is settled by reading the account's recent media and matching the caption.
/// </summary>
public sealed class InstagramClient(HttpClient http, InstagramClientOptions options, TimeProvider clock) : IPublisher
{
    public const int MaxCarouselItems = 10;
    private readonly PublisherHttp _api = new(http, "instagram", () => null, options.CreateTimeout);

    public string Name => "instagram";

    public async Task<PublishedPart> PostAsync(PublishRequest request, int part, string? replyTo, CancellationToken ct)
    {
        if (request.Media.Count == 0) throw new PublishRefusedException(Name, 400, "Instagram posts need at least one image.");
        PublishMedia.RequireLinks(Name, request.Media);
        await CheckQuotaAsync(ct);
        var caption = string.Join("\n\n", request.Texts);
        string container;
        if (request.Media.Count == 1)
            container = await CreateContainerAsync(ct, ("image_url", request.Media[0].PublicUrl.ToString()), ("caption", caption), ("alt_text", request.Media[0].AltText));
        else
        {
            var children = new List<string>();
            foreach (var media in request.Media.Take(MaxCarouselItems))
                children.Add(await CreateContainerAsync(ct, ("image_url", media.PublicUrl.ToString()), ("is_carousel_item", "true"), ("alt_text", media.AltText)));
            container = await CreateContainerAsync(ct, ("media_type", "CAROUSEL"), ("children", string.Join(',', children)), ("caption", caption));
        }
        await WaitFinishedAsync(container, ct);
        var published = await _api.SendAsync(HttpMethod.Post, Uri("media_publish"), () => PublisherHttp.Form(("creation_id", container), ("access_token", options.AccessToken)),
            ct, creates: true);
        var id = published.Body?["id"]?.ToString() ?? throw new PublishException(Name, 200, "media_publish answered without an id");
        return new PublishedPart(id, await PermalinkAsync(id, ct));
    }

    public async Task<PublishedPart?> FindAsync(PublishRequest request, int part, CancellationToken ct)
    {
        var recent = await _api.SendAsync(HttpMethod.Get, Uri("media", "fields=id,caption,permalink,timestamp&limit=25"), () => null, ct);
        var wanted = PublisherHttp.Comparable(string.Join("\n\n", request.Texts));
        var match = (recent.Body?["data"] as JsonArray ?? []).FirstOrDefault(m =>
            PublisherHttp.Comparable(m?["caption"]?.ToString() ?? "") == wanted
            && (!DateTimeOffset.TryParse(m?["timestamp"]?.ToString(), out var at) || at >= request.NotBefore.AddMinutes(-1)));
        return match?["id"]?.ToString() is { } id ? new PublishedPart(id, match["permalink"]?.ToString()) : null;
    }

    /// <summary>Refuses (retryable) when the rolling 24-hour quota is used up, rather than letting media_publish fail.</summary>
    private async Task CheckQuotaAsync(CancellationToken ct)
    {
        var limit = await _api.SendAsync(HttpMethod.Get, Uri("content_publishing_limit", "fields=config,quota_usage"), () => null, ct);
        var entry = limit.Body?["data"]?[0];
        var used = entry?["quota_usage"]?.GetValue<int>() ?? 0;
        var total = entry?["config"]?["quota_total"]?.GetValue<int>();
        if (total is { } max && used >= max)
            throw new PublishException(Name, 429, $"the account has used its {max} API posts for the last 24 hours");
    }

    private async Task<string> CreateContainerAsync(CancellationToken ct, params (string Name, string? Value)[] fields)
    {
        var answer = await _api.SendAsync(HttpMethod.Post, Uri("media"), () => PublisherHttp.Form([.. fields, ("access_token", options.AccessToken)]), ct);
        return answer.Body?["id"]?.ToString() ?? throw new PublishException(Name, 200, "the container answer has no id");
    }

    private async Task WaitFinishedAsync(string container, CancellationToken ct)
    {
        var deadline = clock.GetUtcNow() + options.ContainerWait;
        while (true)
        {
            var status = await _api.SendAsync(HttpMethod.Get, ObjectUri(container, "fields=status_code"), () => null, ct);
            var code = status.Body?["status_code"]?.ToString();
            if (code is null or "FINISHED") return;
            if (code is "ERROR" or "EXPIRED") throw new PublishRefusedException(Name, 200, $"the media container ended as {code}");
            if (clock.GetUtcNow() >= deadline) throw new PublishException(Name, 200, $"the media container was still {code} after {options.ContainerWait.TotalSeconds:0} s");
            await Task.Delay(TimeSpan.FromSeconds(2), clock, ct);
        }
    }

    private async Task<string?> PermalinkAsync(string mediaId, CancellationToken ct)
    {
        try { return (await _api.SendAsync(HttpMethod.Get, ObjectUri(mediaId, "fields=permalink"), () => null, ct)).Body?["permalink"]?.ToString(); }
        catch (PublishException) { return null; } // published already; the link is a nicety
    }

    private Uri Uri(string edge, string? query = null) => ObjectUri($"{options.UserId}/{edge}", query);

    private Uri ObjectUri(string path, string? query) =>
        new(options.Endpoint, $"{path}?{(query is null ? "" : query + "&")}access_token={System.Uri.EscapeDataString(options.AccessToken)}");
}
