using Personas.Api.Auth;

namespace Personas.Api.Hosting;

/// <summary>
/// Response headers that keep browsers from doing anything with our answers beyond reading them: no sniffing, no
/// framing, no referrer, no scripts or features, HTTPS only once seen over HTTPS, and no caching of anything a key
/// was presented for. Added when the response starts, so error, 401 and 429 answers carry them too.
/// </summary>
public static class SecurityHeaders
{
    public const string ContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'";

    /// <summary>
    /// The dashboard's pages: its own scripts, styles and API calls only (no inline script or style), and images from
    /// itself, object URLs (blobs fetched with the key) and data URIs.
    /// </summary>
    public const string PageContentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; " +
        "img-src 'self' blob: data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private static readonly object PageMarker = new();

    /// <summary>Answers this request with <see cref="PageContentSecurityPolicy"/>: the dashboard's files.</summary>
    public static void UsePagePolicy(HttpContext http) => http.Items[PageMarker] = true;
    public const string PermissionsPolicy =
        "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()";
    public const string StrictTransportSecurity = "max-age=31536000";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((http, next) =>
    {
        http.Response.OnStarting(() =>
        {
            Apply(http);
            return Task.CompletedTask;
        });
        return next(http);
    });

    private static void Apply(HttpContext http)
    {
        var headers = http.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers.ContentSecurityPolicy = http.Items.ContainsKey(PageMarker)
            ? PageContentSecurityPolicy
            : ContentSecurityPolicy;
        headers["Permissions-Policy"] = PermissionsPolicy;
        // Browsers ignore this header over plain HTTP, so trusting a proxy's X-Forwarded-Proto costs nothing.
        if (http.Request.IsHttps || string.Equals(http.Request.Headers["X-Forwarded-Proto"], "https",
                StringComparison.OrdinalIgnoreCase))
            headers.StrictTransportSecurity = StrictTransportSecurity;
        if (http.User.Identity?.IsAuthenticated == true
            || !string.IsNullOrEmpty(http.Request.Headers[ApiKeyAuthenticationHandler.HeaderName]))
            headers.CacheControl = "no-store";
    }
}
