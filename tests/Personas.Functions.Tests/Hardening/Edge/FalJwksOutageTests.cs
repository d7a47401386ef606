using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Personas.Providers.Webhooks;

namespace Personas.Functions.Tests.Hardening.Edge;

/// <summary>
/// fal's JWKS on 127.0.0.1, counting fetches; it can be switched to fail (HTTP 503) or to serve a key set.
/// </summary>
internal sealed class CountingJwks : IAsyncDisposable
{
    private WebApplication _app = null!;
    private int _fetches;

    public Org.BouncyCastle.Crypto.Parameters.Ed25519PrivateKeyParameters Key { get; } = FalSigning.NewKey();
    public volatile bool Down;
    public int Fetches => Volatile.Read(ref _fetches);
    public Uri Url { get; private set; } = null!;

    public static async Task<CountingJwks> StartAsync(bool down)
    {
        var jwks = new CountingJwks { Down = down };
        jwks._app = await LoopbackServer.StartAsync(app => app.MapGet("/.well-known/jwks.json", () =>
        {
            Interlocked.Increment(ref jwks._fetches);
            return jwks.Down
                ? Results.StatusCode(StatusCodes.Status503ServiceUnavailable)
                : Results.Text($$"""{"keys":[{{FalSigning.Jwk(jwks.Key)}}]}""", "application/json");
        }));
        jwks.Url = new Uri($"{jwks._app.Urls.First()}/.well-known/jwks.json");
        return jwks;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}

/// <summary>The fal webhook through the real host: forged calls do not refetch the JWKS; an outage answers 503.
/// </summary>
public sealed class FalJwksOutageTests
{
    private sealed class Host(CountingJwks jwks) : ApiHost
    {
        protected override Task<IDictionary<string, string?>> ExtraSettingsAsync() =>
            Task.FromResult<IDictionary<string, string?>>(
                new Dictionary<string, string?> { ["Personas:Fal:JwksUrl"] = jwks.Url.ToString() });
    }

    private static async Task<(Host Host, CountingJwks Jwks)> StartAsync(bool jwksDown)
    {
        var jwks = await CountingJwks.StartAsync(jwksDown);
        var host = new Host(jwks);
        await host.InitializeAsync();
        return (host, jwks);
    }

    /// <summary>A delivery signed with <paramref name="key"/>, timestamped now.</summary>
    private static HttpRequestMessage Delivery(Org.BouncyCastle.Crypto.Parameters.Ed25519PrivateKeyParameters key,
        string requestId)
    {
        var body = Encoding.UTF8.GetBytes($$$"""{"request_id":"{{{requestId}}}","status":"OK","payload":{}}""");
        var stamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString();
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/webhooks/fal")
        {
            Content = new ByteArrayContent(body) { Headers = { { "Content-Type", "application/json" } } },
        };
        request.Headers.Add("X-Fal-Webhook-Request-Id", requestId);
        request.Headers.Add("X-Fal-Webhook-User-Id", "user_1");
        request.Headers.Add("X-Fal-Webhook-Timestamp", stamp);
        request.Headers.Add("X-Fal-Webhook-Signature", FalSigning.Sign(key, requestId, "user_1", stamp, body));
        return request;
    }

    [Fact]
    public async Task Ten_forged_deliveries_cause_at_most_one_jwks_fetch()
    {
        var (host, jwks) = await StartAsync(jwksDown: false);
        try
        {
            using var client = host.Client(apiKey: null);
            var forger = FalSigning.NewKey();
            for (var i = 0; i < 10; i++)
                await HttpAssertions.Problem(await client.SendAsync(Delivery(forger, $"req_{i}")), 401, "signature");
            Assert.Equal(1, jwks.Fetches);

            // Headers that cannot be right are refused before any key is needed.
            var unsigned = new HttpRequestMessage(HttpMethod.Post, "/api/webhooks/fal")
            {
                Content = new StringContent("{}"),
            };
            await HttpAssertions.Problem(await client.SendAsync(unsigned), 401, "signature");
            Assert.Equal(1, jwks.Fetches);

            // fal's own key still verifies from the cache: the refusals did not poison it.
            var genuine = await client.SendAsync(Delivery(jwks.Key, "req_unknown"));
            Assert.Equal(HttpStatusCode.NotFound, genuine.StatusCode); // verified; no training waits on it
            Assert.Equal(1, jwks.Fetches);
        }
        finally
        {
            await host.DisposeAsync();
            await jwks.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_jwks_outage_answers_503_with_retry_after_and_is_not_refetched_per_call()
    {
        var (host, jwks) = await StartAsync(jwksDown: true);
        try
        {
            using var client = host.Client(apiKey: null);
            for (var i = 0; i < 5; i++)
            {
                var response = await client.SendAsync(Delivery(jwks.Key, $"req_{i}"));
                var problem = await HttpAssertions.Problem(response, 503);
                var wait = response.Headers.RetryAfter?.Delta;
                Assert.NotNull(wait);
                Assert.InRange(wait.Value.TotalSeconds, 1, FalWebhookVerifier.MinimumRefetchInterval.TotalSeconds);
                Assert.DoesNotContain(jwks.Url.Host, problem.ToJsonString()); // the reason is logged, not answered
            }
            Assert.Equal(1, jwks.Fetches);
        }
        finally
        {
            await host.DisposeAsync();
            await jwks.DisposeAsync();
        }
    }
}

/// <summary>The verifier's key cache on an injected clock: when refetches happen, and recovery after an outage.
/// </summary>
public sealed class FalSigningKeyCacheTests : IAsyncLifetime
{
    private readonly FixedClock _clock = new(DateTimeOffset.FromUnixTimeSeconds(1_800_000_000));
    private CountingJwks _jwks = null!;

    public async Task InitializeAsync() => _jwks = await CountingJwks.StartAsync(down: true);

    public async Task DisposeAsync() => await _jwks.DisposeAsync();

    private Task<WebhookVerdict> VerifyAsync(FalWebhookVerifier verifier)
    {
        var body = Encoding.UTF8.GetBytes("{}");
        var stamp = _clock.Now.ToUnixTimeSeconds().ToString();
        return verifier.VerifyAsync("r", "u", stamp, FalSigning.Sign(_jwks.Key, "r", "u", stamp, body), body,
            CancellationToken.None);
    }

    [Fact]
    public async Task After_an_outage_the_next_fetch_waits_for_the_interval_then_recovers()
    {
        var verifier = new FalWebhookVerifier(new HttpClient(), _clock, _jwks.Url);
        var down = await VerifyAsync(verifier);
        Assert.False(down.Valid);
        Assert.Equal(FalWebhookVerifier.MinimumRefetchInterval, down.RetryAfter);
        Assert.Contains("503", down.Problem);

        _jwks.Down = false;
        _clock.Now += TimeSpan.FromSeconds(59);
        var stillWaiting = await VerifyAsync(verifier);
        Assert.Equal(TimeSpan.FromSeconds(1), stillWaiting.RetryAfter);
        Assert.Equal(1, _jwks.Fetches);

        _clock.Now += TimeSpan.FromSeconds(1);
        var recovered = await VerifyAsync(verifier);
        Assert.True(recovered.Valid, recovered.Problem);
        Assert.Equal(2, _jwks.Fetches);
    }

    [Fact]
    public async Task A_failed_refresh_keeps_the_keys_already_held()
    {
        _jwks.Down = false;
        var verifier = new FalWebhookVerifier(new HttpClient(), _clock, _jwks.Url);
        Assert.True((await VerifyAsync(verifier)).Valid);
        _jwks.Down = true;
        _clock.Now += TimeSpan.FromHours(25); // the cache is old: a refetch is tried, fails, and the old key serves
        var verdict = await VerifyAsync(verifier);
        Assert.True(verdict.Valid, verdict.Problem);
        Assert.Equal(2, _jwks.Fetches);
    }

    [Fact]
    public async Task A_jwks_that_is_not_a_key_set_is_an_outage_not_a_crash()
    {
        await using var broken = await LoopbackServer.StartAsync(app => app.MapGet("/jwks",
            () => Results.Text("""{"keys":[{"kty":"OKP","crv":"Ed25519","x":"!!"}, 7]}""", "application/json")));
        var verifier = new FalWebhookVerifier(new HttpClient(), _clock, new Uri($"{broken.Urls.First()}/jwks"));
        var verdict = await VerifyAsync(verifier);
        Assert.NotNull(verdict.RetryAfter);
        Assert.Contains("no Ed25519 key", verdict.Problem);
    }
}
