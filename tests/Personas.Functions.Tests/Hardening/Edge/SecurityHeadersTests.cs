using System.Net;
using Personas.Api.Auth;
using Personas.Api.Hosting;
using Personas.TestEmulators;

namespace Personas.Functions.Tests.Hardening.Edge;

/// <summary>Security headers over real Kestrel, on successes, refusals and errors alike.</summary>
public sealed class SecurityHeadersTests(ApiHost host) : IClassFixture<ApiHost>
{
    private static void AssertHardened(HttpResponseMessage response)
    {
        string Header(string name) => response.Headers.TryGetValues(name, out var values)
            ? string.Join(",", values)
            : response.Content.Headers.TryGetValues(name, out var content) ? string.Join(",", content) : "";
        Assert.Equal("nosniff", Header("X-Content-Type-Options"));
        Assert.Equal("DENY", Header("X-Frame-Options"));
        Assert.Equal("no-referrer", Header("Referrer-Policy"));
        Assert.Equal("default-src 'none'; frame-ancestors 'none'", Header("Content-Security-Policy"));
        Assert.Equal(SecurityHeaders.PermissionsPolicy, Header("Permissions-Policy"));
        Assert.False(response.Headers.Contains("Server"), "Kestrel announced itself");
    }

    [Fact]
    public async Task An_authenticated_answer_is_hardened_and_never_cached()
    {
        using var client = host.Client(ApiHost.AliceKey);
        var response = await client.GetAsync("/api/personas");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        AssertHardened(response);
        Assert.True(response.Headers.CacheControl?.NoStore, "authenticated answers must not be stored");
        Assert.False(response.Headers.Contains("Strict-Transport-Security"), "HSTS is for HTTPS only");
    }

    [Fact]
    public async Task Refusals_and_unknown_routes_are_hardened_too()
    {
        using var anonymous = host.Client(apiKey: null);
        AssertHardened(await anonymous.GetAsync("/api/personas"));
        using var guessing = host.Client("not-a-key-0123456789");
        var refused = await guessing.GetAsync("/api/personas");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        AssertHardened(refused);
        Assert.True(refused.Headers.CacheControl?.NoStore);
        using var alice = host.Client(ApiHost.AliceKey);
        var missing = await alice.GetAsync("/api/no-such-route");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        AssertHardened(missing);
    }

    [Fact]
    public async Task Behind_a_tls_proxy_the_answer_asks_for_https_only()
    {
        using var client = host.Client(ApiHost.AliceKey);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/personas");
        request.Headers.Add("X-Forwarded-Proto", "https");
        var response = await client.SendAsync(request);
        Assert.Equal(SecurityHeaders.StrictTransportSecurity,
            string.Join(",", response.Headers.GetValues("Strict-Transport-Security")));
    }
}

/// <summary>The real host serving HTTPS itself (Kestrel with a loopback certificate): HSTS is sent.</summary>
public sealed class HttpsSecurityHeadersTests : IAsyncLifetime
{
    private sealed class HttpsHost(TestCertificate certificate) : ApiHost
    {
        protected override Task<IDictionary<string, string?>> ExtraSettingsAsync()
        {
            var (certificateFile, keyFile) = certificate.WritePemFiles(Directory.CreateDirectory(DataDir).FullName);
            return Task.FromResult<IDictionary<string, string?>>(new Dictionary<string, string?>
            {
                ["urls"] = "https://127.0.0.1:0",
                ["Kestrel:Certificates:Default:Path"] = certificateFile,
                ["Kestrel:Certificates:Default:KeyPath"] = keyFile,
            });
        }
    }

    private readonly TestCertificate _certificate = TestCertificate.ForLoopback();
    private HttpsHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = new HttpsHost(_certificate);
        await _host.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _certificate.Dispose();
    }

    [Fact]
    public async Task An_answer_over_https_asks_for_https_only_and_names_no_server()
    {
        Assert.Equal("https", _host.BaseAddress.Scheme);
        using var client = new HttpClient(_certificate.TrustingHandler()) { BaseAddress = _host.BaseAddress };
        client.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, ApiHost.AliceKey);
        var response = await client.GetAsync("/api/personas");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(SecurityHeaders.StrictTransportSecurity,
            string.Join(",", response.Headers.GetValues("Strict-Transport-Security")));
        Assert.False(response.Headers.Contains("Server"));
    }
}
