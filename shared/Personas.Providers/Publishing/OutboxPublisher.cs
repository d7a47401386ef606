using System.Text.Json;
using System.Text.Json.Nodes;

namespace Personas.Providers.Publishing;

public sealed class OutboxOptions
{
    /// <summary>Where published posts are written, one folder per post.</summary>
    public string Directory { get; set; } = "outbox";
    /// <summary>Optional: each part is also POSTed here as JSON, with an Idempotency-Key header.</summary>
    public Uri? WebhookUrl { get; set; }
}

/// <summary>
/// The local default publisher: writes each post to <c>{outbox}/{owner}/{post}/</c> as post.json (texts, platform,
/// attempt) plus its images, and optionally POSTs it to a webhook with <c>Idempotency-Key: {post}-{part}</c>. The
/// folder is written through a temporary name and renamed, so a post is either wholly there or not, and a second
/// try finds it.
/// </summary>
public sealed class OutboxPublisher(HttpClient http, OutboxOptions options) : IPublisher
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public string Name => "outbox";

    public string FolderFor(string owner, string postId) => Path.Combine(Path.GetFullPath(options.Directory), owner, postId);

    public async Task<PublishedPart> PostAsync(PublishRequest request, int part, string? replyTo, CancellationToken ct)
    {
        var folder = FolderFor(request.Owner, request.PostId);
        if (part == 0 && !File.Exists(Path.Combine(folder, "post.json")))
        {
            var staging = folder + ".writing-" + request.AttemptId;
            Directory.CreateDirectory(staging);
            var files = new JsonArray();
            for (var i = 0; i < request.Media.Count; i++)
            {
                var name = $"{i + 1:00}.jpg";
                await File.WriteAllBytesAsync(Path.Combine(staging, name), await request.Media[i].ReadAsync(ct), ct);
                files.Add(new JsonObject { ["file"] = name, ["altText"] = request.Media[i].AltText });
            }
            var post = new JsonObject
            {
                ["postId"] = request.PostId, ["platform"] = request.Platform.ToString().ToLowerInvariant(), ["kind"] = request.Kind.ToString().ToLowerInvariant(),
                ["attemptId"] = request.AttemptId, ["texts"] = new JsonArray([.. request.Texts.Select(t => (JsonNode)t)]), ["images"] = files,
            };
            await File.WriteAllTextAsync(Path.Combine(staging, "post.json"), post.ToJsonString(Indented), ct);
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
            Directory.Move(staging, folder);
        }
        if (options.WebhookUrl is { } url) await NotifyAsync(url, request, part, ct);
        return new PublishedPart($"outbox:{request.PostId}:{part}", new Uri(Path.Combine(folder, "post.json")).ToString());
    }

    public Task<PublishedPart?> FindAsync(PublishRequest request, int part, CancellationToken ct)
    {
        var file = Path.Combine(FolderFor(request.Owner, request.PostId), "post.json");
        return Task.FromResult(File.Exists(file) && options.WebhookUrl is null ? new PublishedPart($"outbox:{request.PostId}:{part}", new Uri(file).ToString()) : null);
    }

    private async Task NotifyAsync(Uri url, PublishRequest request, int part, CancellationToken ct)
    {
        var body = new JsonObject
        {
            ["postId"] = request.PostId, ["part"] = part, ["platform"] = request.Platform.ToString().ToLowerInvariant(), ["text"] = request.Texts[part],
            ["images"] = part == 0 ? new JsonArray([.. request.Media.Select(m => (JsonNode)m.PublicUrl.ToString())]) : new JsonArray(),
        };
        var api = new PublisherHttp(http, Name, () => null, TimeSpan.FromSeconds(30));
        await api.SendAsync(HttpMethod.Post, url, () => PublisherHttp.Json(body), ct, creates: true,
            configure: m => m.Headers.Add("Idempotency-Key", $"{request.PostId}-{part}"));
    }
}
