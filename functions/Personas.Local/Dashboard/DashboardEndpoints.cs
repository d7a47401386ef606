using System.Collections.Frozen;
using System.Reflection;
using System.Security.Cryptography;
using Microsoft.Net.Http.Headers;
using Personas.Api.Hosting;

namespace Personas.Local.Dashboard;

/// <summary>
/// The dashboard: static files embedded in this assembly (wwwroot/), served at <c>/</c> and <c>/assets/…</c>
/// without a key. The page signs in with an API key kept in sessionStorage and calls the API like any client. Only
/// the local host serves it (docs/decisions.md).
/// </summary>
public static class DashboardEndpoints
{
    private const string Prefix = "dashboard/";

    private sealed record StaticFile(byte[] Content, string ContentType, string ETag);

    private static readonly FrozenDictionary<string, StaticFile> Files = Load();

    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", (HttpContext http) => Serve(http, "index.html"))
            .AllowAnonymous().ExcludeFromDescription().WithName("Dashboard");
        app.MapGet("/assets/{**path}", (string path, HttpContext http) => Serve(http, "assets/" + path))
            .AllowAnonymous().ExcludeFromDescription().WithName("DashboardAssets");
        return app;
    }

    private static IResult Serve(HttpContext http, string path)
    {
        if (!Files.TryGetValue(path, out var file)) return Results.NotFound();
        SecurityHeaders.UsePagePolicy(http);
        // Revalidated on every load (cheap 304s), so a rebuilt host never serves a stale script beside a new page.
        http.Response.Headers.CacheControl = "no-cache";
        http.Response.Headers.ETag = file.ETag;
        if (http.Request.Headers.IfNoneMatch == file.ETag) return Results.StatusCode(StatusCodes.Status304NotModified);
        return Results.Bytes(file.Content, file.ContentType);
    }

    private static FrozenDictionary<string, StaticFile> Load()
    {
        var assembly = Assembly.GetExecutingAssembly();
        return assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal))
            .ToFrozenDictionary(n => n[Prefix.Length..].Replace('\\', '/'), n =>
            {
                using var stream = assembly.GetManifestResourceStream(n)!;
                using var copy = new MemoryStream();
                stream.CopyTo(copy);
                var content = copy.ToArray();
                var etag = $"\"{Convert.ToHexString(SHA256.HashData(content))[..16]}\"";
                return new StaticFile(content, ContentType(n), etag);
            });
    }

    private static string ContentType(string name) => Path.GetExtension(name) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".svg" => "image/svg+xml",
        ".png" => "image/png",
        _ => "application/octet-stream",
    };
}
