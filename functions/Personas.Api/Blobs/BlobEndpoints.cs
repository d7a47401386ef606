using Personas.Domain.Blobs;
using Personas.Api.Problems;

namespace Personas.Api.Blobs;

/// <summary>Downloads by signed link. No API key: the signature is the credential, and it covers one path until it expires.</summary>
public static class BlobEndpoints
{
    public static void MapBlobEndpoints(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/blobs/{**path}", async (string path, string? expires, string? signature, HttpContext http, IBlobStore blobs, BlobUrlSigner signer) =>
        {
            if (signer.Problem(path, expires, signature) is { } problem)
                return ProblemWriter.Result(http, 401, "Link not valid", problem, "signature");
            Stream? content;
            try { content = await blobs.OpenReadAsync(path, http.RequestAborted); }
            catch (ArgumentException) { content = null; }
            if (content is null) return ProblemWriter.Result(http, 404, "Not found", "The file no longer exists.", "path");
            return Results.Stream(content, ContentType(path), Path.GetFileName(path), enableRangeProcessing: true);
        }).AllowAnonymous().WithName("DownloadBlob").WithTags("Blobs")
            .WithSummary("Downloads a file by a signed, expiring link. Anonymous: the signature is the credential.")
            .Produces<Stream>(200, FileTypes[0], FileTypes[1..]).Produces<Stream>(206, FileTypes[0], FileTypes[1..])
            .ProducesProblem(401).ProducesProblem(404);

    private static readonly string[] FileTypes =
        ["image/jpeg", "image/png", "application/zip", "text/plain", "application/toml", "application/octet-stream"];

    private static string ContentType(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".zip" => "application/zip",
        ".jpg" or ".jpeg" => "image/jpeg",
        ".png" => "image/png",
        ".webp" => "image/webp", // uploaded originals keep their format, and pages show them by this link
        ".heic" => "image/heic",
        ".txt" => "text/plain; charset=utf-8",
        ".toml" => "application/toml",
        ".safetensors" => "application/octet-stream",
        _ => "application/octet-stream",
    };
}
