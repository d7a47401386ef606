using System.Net;
using Personas.Api.Hosting;
using Personas.Functions.Tests;

namespace Personas.Browser.Tests;

/// <summary>The dashboard's files over HTTP: anonymous, with the page's own CSP; the API keeps its key.</summary>
public sealed class DashboardServingTests(DashboardHost host) : IClassFixture<DashboardHost>
{
    private static string Csp(HttpResponseMessage response) =>
        string.Join(",", response.Headers.GetValues("Content-Security-Policy"));

    [Theory]
    [InlineData("/", "text/html")]
    [InlineData("/assets/main.js", "text/javascript")]
    [InlineData("/assets/app.css", "text/css")]
    public async Task The_page_and_its_assets_need_no_key_and_allow_only_their_own_scripts(string path, string type)
    {
        using var anonymous = host.Client(apiKey: null);
        var response = await anonymous.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(type, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(SecurityHeaders.PageContentSecurityPolicy, Csp(response));
        Assert.DoesNotContain("unsafe-inline", Csp(response));
        Assert.Equal("DENY", string.Join(",", response.Headers.GetValues("X-Frame-Options")));
    }

    [Fact]
    public async Task The_api_keeps_its_strict_policy_and_its_key()
    {
        using var anonymous = host.Client(apiKey: null);
        var refused = await anonymous.GetAsync("/api/personas");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(SecurityHeaders.ContentSecurityPolicy, Csp(refused));
        using var alice = host.Client(ApiHost.AliceKey);
        Assert.Equal(SecurityHeaders.ContentSecurityPolicy, Csp(await alice.GetAsync("/api/personas")));
    }

    [Fact]
    public async Task An_unknown_asset_is_not_found_and_a_known_one_revalidates()
    {
        using var anonymous = host.Client(apiKey: null);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/assets/nope.js")).StatusCode);
        var first = await anonymous.GetAsync("/assets/main.js");
        using var again = new HttpRequestMessage(HttpMethod.Get, "/assets/main.js");
        again.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        Assert.Equal(HttpStatusCode.NotModified, (await anonymous.SendAsync(again)).StatusCode);
    }

    [Fact]
    public async Task The_page_loads_no_inline_script()
    {
        using var anonymous = host.Client(apiKey: null);
        var html = await anonymous.GetStringAsync("/");
        Assert.Matches("<script type=\"module\" src=\"/assets/main.js\"></script>", html);
        Assert.Equal(1, System.Text.RegularExpressions.Regex.Count(html, "<script"));
    }
}
