using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Org.BouncyCastle.Crypto.Parameters;
using Personas.Providers.Webhooks;

namespace Personas.Functions.Tests;

internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;
    public override DateTimeOffset GetUtcNow() => Now;
}

public sealed class ReplicateWebhookVerifierTests
{
    private static readonly byte[] Key = RandomNumberGenerator.GetBytes(32);
    private static readonly string Secret = "whsec_" + Convert.ToBase64String(Key);
    private static readonly FixedClock Clock = new(DateTimeOffset.FromUnixTimeSeconds(1_800_000_000));
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"id":"tr_1","status":"succeeded"}""");

    private static string Sign(string id, string timestamp, byte[] body) =>
        "v1," + FakeReplicate.Signature(Key, id, timestamp, body);

    [Fact]
    public void A_delivery_signed_as_documented_is_accepted_even_among_other_signatures()
    {
        var verifier = new ReplicateWebhookVerifier(Secret, Clock);
        var verdict = verifier.Verify("msg_1", "1800000000", $"v1,AAAA {Sign("msg_1", "1800000000", Body)}", Body);
        Assert.True(verdict.Valid, verdict.Problem);
        Assert.Equal("msg_1", verdict.DeliveryId);
    }

    [Fact]
    public void Tampered_body_other_id_stale_timestamp_and_missing_headers_are_refused()
    {
        var verifier = new ReplicateWebhookVerifier(Secret, Clock);
        var signature = Sign("msg_1", "1800000000", Body);
        Assert.False(verifier.Verify("msg_1", "1800000000", signature, Encoding.UTF8.GetBytes("""{"id":"tr_1","status":"failed"}""")).Valid);
        Assert.False(verifier.Verify("msg_2", "1800000000", signature, Body).Valid);
        var old = Sign("msg_1", "1799999000", Body); // 1,000 s before now
        Assert.Contains("1000 s", verifier.Verify("msg_1", "1799999000", old, Body).Problem);
        Assert.False(verifier.Verify(null, "1800000000", signature, Body).Valid);
        Assert.False(verifier.Verify("msg_1", "1800000000", "v2," + signature[3..], Body).Valid);
    }
}

/// <summary>fal.ai verification against a JWKS served from 127.0.0.1, with keys made and signatures computed as fal does.</summary>
public sealed class FalWebhookVerifierTests : IAsyncLifetime
{

    private readonly Ed25519PrivateKeyParameters _falKey = FalSigning.NewKey();
    private string _jwks = "";
    private int _jwksFetches;
    private WebApplication _server = null!;
    private readonly FixedClock _clock = new(DateTimeOffset.FromUnixTimeSeconds(1_800_000_000));

    public async Task InitializeAsync()
    {
        _jwks = $$"""{"keys":[{{FalSigning.Jwk(FalSigning.NewKey())}},{{FalSigning.Jwk(_falKey)}}]}""";
        _server = await LoopbackServer.StartAsync(app =>
            app.MapGet("/.well-known/jwks.json", () => { Interlocked.Increment(ref _jwksFetches); return Results.Text(_jwks, "application/json"); }));
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private FalWebhookVerifier Verifier() => new(new HttpClient(), _clock, new Uri($"{_server.Urls.First()}/.well-known/jwks.json"));

    [Fact]
    public async Task A_delivery_signed_with_a_published_key_is_accepted_and_keys_are_cached()
    {
        var body = Encoding.UTF8.GetBytes("""{"request_id":"req_1","status":"OK","payload":{}}""");
        var verifier = Verifier();
        var first = await verifier.VerifyAsync("req_1", "user_9", "1800000000", FalSigning.Sign(_falKey, "req_1", "user_9", "1800000000", body), body, CancellationToken.None);
        Assert.True(first.Valid, first.Problem);
        Assert.Equal("req_1", first.DeliveryId);
        Assert.True((await verifier.VerifyAsync("req_1", "user_9", "1800000000", FalSigning.Sign(_falKey, "req_1", "user_9", "1800000000", body), body, CancellationToken.None)).Valid);
        Assert.Equal(1, _jwksFetches);
    }

    [Fact]
    public async Task Tampered_unknown_key_and_stale_deliveries_are_refused()
    {
        var body = Encoding.UTF8.GetBytes("""{"request_id":"req_1","status":"OK"}""");
        var signature = FalSigning.Sign(_falKey, "req_1", "user_9", "1800000000", body);
        var verifier = Verifier();
        Assert.False((await verifier.VerifyAsync("req_1", "user_9", "1800000000", signature, Encoding.UTF8.GetBytes("""{"request_id":"req_1","status":"ERROR"}"""), CancellationToken.None)).Valid);
        Assert.False((await verifier.VerifyAsync("req_2", "user_9", "1800000000", signature, body, CancellationToken.None)).Valid);
        var stranger = FalSigning.Sign(FalSigning.NewKey(), "req_1", "user_9", "1800000000", body);
        Assert.Contains("published keys", (await verifier.VerifyAsync("req_1", "user_9", "1800000000", stranger, body, CancellationToken.None)).Problem);
        Assert.Contains("timestamp", (await verifier.VerifyAsync("req_1", "user_9", "1799999000", FalSigning.Sign(_falKey, "req_1", "user_9", "1799999000", body), body, CancellationToken.None)).Problem);
        Assert.False((await verifier.VerifyAsync("req_1", "user_9", "1800000000", "zz", body, CancellationToken.None)).Valid);
    }

    [Fact]
    public async Task A_rotated_key_is_picked_up_by_refetching_the_jwks()
    {
        var body = Encoding.UTF8.GetBytes("{}");
        var verifier = Verifier();
        Assert.True((await verifier.VerifyAsync("r", "u", "1800000000", FalSigning.Sign(_falKey, "r", "u", "1800000000", body), body, CancellationToken.None)).Valid);
        var rotated = FalSigning.NewKey();
        _jwks = $$"""{"keys":[{{FalSigning.Jwk(rotated)}}]}""";
        _clock.Now += TimeSpan.FromMinutes(6);
        var stamp = _clock.Now.ToUnixTimeSeconds().ToString();
        Assert.True((await verifier.VerifyAsync("r", "u", stamp, FalSigning.Sign(rotated, "r", "u", stamp, body), body, CancellationToken.None)).Valid);
        Assert.Equal(2, _jwksFetches);
    }
}
