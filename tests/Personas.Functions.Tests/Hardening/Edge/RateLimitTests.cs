using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Personas.Api.Hosting;
using Personas.Local;

namespace Personas.Functions.Tests.Hardening.Edge;

/// <summary>
/// The real host with small limits over an hour's window, so no bucket refills while a test runs: each test counts
/// 429s against its own owner or its own client address (sent as X-Forwarded-For, which this host trusts).
/// </summary>
public sealed class RateLimitedHost : ApiHost
{
    public const int PerOwner = 40, PaidPerOwner = 3, PerAddress = 10, FailedAuthPerAddress = 5, Webhooks = 4;

    /// <summary>Owners beyond alice and bob, so each test spends its own buckets: key is "{owner}-key-0123456789".
    /// </summary>
    public static readonly string[] Owners =
        ["erin", "frank", "gina", "paid0", "paid1", "paid2", "paid3", "paid4", "paid5", "paid6", "paid7", "unpaid"];

    public static string KeyOf(string owner) => $"{owner}-key-0123456789";

    protected override Task<IDictionary<string, string?>> ExtraSettingsAsync() =>
        Task.FromResult<IDictionary<string, string?>>(new Dictionary<string, string?>
        {
            ["Personas:ApiKeys"] = string.Join(';',
                Owners.Select(o => $"{KeyOf(o)}={o}").Append($"{AliceKey}=alice").Append($"{BobKey}=bob")),
            ["Personas:RateLimits:WindowSeconds"] = "3600",
            ["Personas:RateLimits:PerOwner"] = $"{PerOwner}",
            ["Personas:RateLimits:PaidPerOwner"] = $"{PaidPerOwner}",
            ["Personas:RateLimits:PerAddress"] = $"{PerAddress}",
            ["Personas:RateLimits:FailedAuthPerAddress"] = $"{FailedAuthPerAddress}",
            ["Personas:RateLimits:WebhooksPerProvider"] = $"{Webhooks}",
            ["Personas:RateLimits:ClientAddressHeader"] = "X-Forwarded-For",
        });
}

public sealed class RateLimitTests(RateLimitedHost host) : IClassFixture<RateLimitedHost>
{
    private static HttpRequestMessage Request(HttpMethod method, string path, string? owner = null,
        string? forwardedFor = null, string? badKey = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (owner is not null) request.Headers.Add("X-Api-Key", RateLimitedHost.KeyOf(owner));
        if (badKey is not null) request.Headers.Add("X-Api-Key", badKey);
        if (forwardedFor is not null) request.Headers.Add("X-Forwarded-For", forwardedFor);
        if (method == HttpMethod.Post) request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
        return request;
    }

    private async Task<List<HttpResponseMessage>> SendAsync(int count, Func<int, HttpRequestMessage> request)
    {
        using var client = host.Client(apiKey: null);
        var responses = new List<HttpResponseMessage>();
        for (var i = 0; i < count; i++) responses.Add(await client.SendAsync(request(i)));
        return responses;
    }

    private static async Task AssertTooManyAsync(HttpResponseMessage response)
    {
        var problem = await HttpAssertions.Problem(response, 429);
        Assert.Equal("Too many requests", problem["title"]!.GetValue<string>());
        var wait = response.Headers.RetryAfter?.Delta;
        Assert.NotNull(wait);
        Assert.InRange(wait.Value.TotalSeconds, 1, 3600);
    }

    [Fact]
    public async Task A_burst_of_300_bad_keys_is_mostly_refused_with_429_and_spoofed_first_hops_do_not_help()
    {
        // Each request claims another origin in the first hop; only the last hop (our proxy's) counts.
        var responses = await SendAsync(300,
            i => Request(HttpMethod.Get, "/api/personas", forwardedFor: $"10.{i % 250}.0.1, 203.0.113.7",
                badKey: $"guess-{i:D4}-0123456789"));
        Assert.Equal(RateLimitedHost.FailedAuthPerAddress,
            responses.Count(r => r.StatusCode == HttpStatusCode.Unauthorized));
        Assert.Equal(300 - RateLimitedHost.FailedAuthPerAddress, responses.Count(r => (int)r.StatusCode == 429));
        await AssertTooManyAsync(responses[^1]);

        using var client = host.Client(apiKey: null);
        var elsewhere = await client.SendAsync(
            Request(HttpMethod.Get, "/api/personas", forwardedFor: "203.0.113.8", badKey: "guess-x-0123456789"));
        Assert.Equal(HttpStatusCode.Unauthorized, elsewhere.StatusCode);
        var valid = await client.SendAsync(Request(HttpMethod.Get, "/api/personas", "alice", "203.0.113.7"));
        Assert.Equal(HttpStatusCode.OK, valid.StatusCode);
    }

    [Fact]
    public async Task An_owner_over_its_limit_gets_429_and_another_owner_does_not()
    {
        var responses = await SendAsync(RateLimitedHost.PerOwner + 1,
            _ => Request(HttpMethod.Get, "/api/personas", "erin", "192.0.2.1"));
        Assert.All(responses.Take(RateLimitedHost.PerOwner), r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        await AssertTooManyAsync(responses[^1]);

        var other = await SendAsync(1, _ => Request(HttpMethod.Get, "/api/personas", "frank", "192.0.2.1"));
        Assert.Equal(HttpStatusCode.OK, other[0].StatusCode);
    }

    public static TheoryData<int, string> PaidRoutes => new()
    {
        { 0, "/api/personas/p-none/train" },
        { 1, "/api/personas/p-none/dataset" },
        { 2, "/api/personas/p-none/photos/import" },
        { 3, "/api/generate-with-persona" },
        { 4, "/api/posts/generate-smart" },
        { 5, "/api/posts/post-none/regenerate" },
        { 6, "/api/posts/post-none/publish-now" },
        { 7, "/api/posts/bulk/publish-now" },
    };

    [Theory]
    [MemberData(nameof(PaidRoutes))]
    public async Task A_paid_route_has_its_own_stricter_limit(int owner, string path)
    {
        var responses = await SendAsync(RateLimitedHost.PaidPerOwner + 1,
            _ => Request(HttpMethod.Post, path, $"paid{owner}", "192.0.2.2"));
        Assert.All(responses.Take(RateLimitedHost.PaidPerOwner), r => Assert.NotEqual(429, (int)r.StatusCode));
        await AssertTooManyAsync(responses[^1]);

        // The owner's other work goes on.
        var list = await SendAsync(1, _ => Request(HttpMethod.Get, "/api/personas", $"paid{owner}", "192.0.2.2"));
        Assert.Equal(HttpStatusCode.OK, list[0].StatusCode);
    }

    [Fact]
    public async Task Unpaid_routes_and_other_bulk_actions_are_not_held_to_the_paid_limit()
    {
        var responses = await SendAsync(3 * RateLimitedHost.PaidPerOwner, i => i % 3 == 0
            ? Request(HttpMethod.Post, "/api/posts/bulk/approve", "unpaid", "192.0.2.3")
            : Request(HttpMethod.Post, "/api/posts/post-none/approve", "unpaid", "192.0.2.3"));
        Assert.All(responses, r => Assert.NotEqual(429, (int)r.StatusCode));
    }

    [Fact]
    public async Task Calls_without_a_key_are_limited_per_address()
    {
        var responses = await SendAsync(RateLimitedHost.PerAddress + 1,
            _ => Request(HttpMethod.Get, "/api/personas", forwardedFor: "198.51.100.1"));
        Assert.All(responses.Take(RateLimitedHost.PerAddress),
            r => Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode));
        await AssertTooManyAsync(responses[^1]);
    }

    [Fact]
    public async Task Webhooks_have_a_limit_per_provider()
    {
        var fal = await SendAsync(RateLimitedHost.Webhooks + 1,
            i => Request(HttpMethod.Post, "/api/webhooks/fal", forwardedFor: $"198.51.100.{20 + i}"));
        Assert.All(fal.Take(RateLimitedHost.Webhooks), r => Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode));
        await AssertTooManyAsync(fal[^1]);

        var replicate = await SendAsync(1, _ => Request(HttpMethod.Post, "/api/webhooks/replicate"));
        Assert.Equal(HttpStatusCode.Unauthorized, replicate[0].StatusCode);
    }

    [Fact]
    public async Task The_health_probe_is_never_limited()
    {
        var keyed = await SendAsync(RateLimitedHost.PerOwner + 10,
            _ => Request(HttpMethod.Get, "/api/health", "gina", "192.0.2.4"));
        Assert.All(keyed, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var anonymous = await SendAsync(RateLimitedHost.PerAddress + 5,
            _ => Request(HttpMethod.Get, "/api/health", forwardedFor: "198.51.100.2"));
        Assert.All(anonymous, r => Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode));
    }

    [Fact]
    public void Every_route_the_limits_name_exists()
    {
        var names = ((IEndpointRouteBuilder)host.App).DataSources.SelectMany(d => d.Endpoints)
            .Select(e => e.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName).OfType<string>().ToHashSet();
        foreach (var name in RateLimits.PaidEndpoints.Concat(RateLimits.WebhookEndpoints)
                     .Concat(RateLimits.HealthEndpoints).Append(RateLimits.BulkPostsEndpoint))
            Assert.Contains(name, names);
    }
}

public sealed class RateLimitSettingsTests
{
    [Theory]
    [InlineData("PerOwner", "0")]
    [InlineData("WindowSeconds", "-5")]
    [InlineData("FailedAuthPerAddress", "0")]
    public void A_limit_below_one_stops_the_host_and_names_the_setting(string setting, string value)
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "personas-edge-tests", Guid.NewGuid().ToString("N"));
        try
        {
            var settings = new Dictionary<string, string?>
            {
                ["urls"] = "http://127.0.0.1:0",
                ["Personas:DataDir"] = dataDir,
                ["Personas:ApiKeys"] = $"{ApiHost.AliceKey}=alice",
                [$"Personas:RateLimits:{setting}"] = value,
            };
            var error = Assert.Throws<InvalidOperationException>(() => LocalHost.Build([], settings));
            Assert.Contains($"Personas:RateLimits:{setting}", error.Message);
        }
        finally
        {
            if (Directory.Exists(dataDir)) Directory.Delete(dataDir, recursive: true);
        }
    }

    [Theory]
    [InlineData(6000, 60, 1, 100)]
    [InlineData(30, 60, 2, 1)]
    [InlineData(5, 3600, 720, 1)]
    [InlineData(90, 60, 4.0 / 3, 2)]
    public void Buckets_refill_at_the_limit_per_window_at_most_once_a_second(int limit, int window,
        double periodSeconds, int tokensPerPeriod)
    {
        var options = ApiRateLimiter.BucketOptions(limit, window);
        Assert.Equal(limit, options.TokenLimit);
        Assert.Equal(periodSeconds, options.ReplenishmentPeriod.TotalSeconds, precision: 6);
        Assert.Equal(tokensPerPeriod, options.TokensPerPeriod);
        Assert.Equal(0, options.QueueLimit);
    }

    [Theory]
    [InlineData("203.0.113.5", "203.0.113.5")]
    [InlineData("::ffff:203.0.113.5", "203.0.113.5")]
    [InlineData("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64")]
    public void Addresses_partition_by_ipv4_or_ipv6_64(string address, string partition) =>
        Assert.Equal(partition, ClientAddress.Partition(IPAddress.Parse(address)));
}
