using Personas.Domain.Posts;
using Personas.Providers.Analytics;
using Personas.Providers.Publishing;

namespace Personas.Functions.Tests.Analytics;

/// <summary>The per-publisher metrics clients against local fakes of their formats, errors and rate limits.</summary>
public sealed class MetricsClientTests : IAsyncLifetime
{
    private FakeMetrics _fake = null!;
    private readonly HttpClient _http = new();

    public async Task InitializeAsync() => _fake = await FakeMetrics.StartAsync();

    public async Task DisposeAsync()
    {
        await _fake.DisposeAsync();
        _http.Dispose();
    }

    private static long?[] L(params long?[] values) => values;

    private static MetricsRequest Request(SocialPlatform platform, params string[] ids) =>
        new("p1", platform, ids, DateTimeOffset.UtcNow.AddHours(-1), 1);

    private InstagramInsightsClient Instagram(string token = FakeMetrics.Token) => new(_http,
        new InstagramClientOptions { AccessToken = token, Endpoint = new Uri(_fake.BaseUrl + "v24.0/") });

    private XMetricsClient X(string token = FakeMetrics.Token) => new(_http,
        new XClientOptions { UserToken = token, Endpoint = new Uri(_fake.BaseUrl) });

    private LinkedInMetricsClient LinkedIn(string author, string token = FakeMetrics.Token) => new(_http,
        new LinkedInClientOptions
        {
            AuthorUrn = author, AccessToken = token, Version = "202508", Endpoint = new Uri(_fake.BaseUrl),
        });

    private AyrshareAnalyticsClient Ayrshare(string key = FakeMetrics.Token) => new(_http,
        new AyrshareClientOptions
        {
            ApiKey = key, ProfileKey = "profile-1", Endpoint = new Uri(_fake.BaseUrl),
            XKeys = AyrshareXKeys.From("x-app-key", "x-app-secret"),
        });

    [Fact]
    public async Task Instagram_reads_media_insights_views_as_impressions_and_leaves_missing_metrics_null()
    {
        var counts = (await Instagram().FetchAsync(Request(SocialPlatform.Instagram, "17890"), default)).Counts;
        Assert.Equal(L(900, 700, 80, 9, 4, 12), L(counts.Impressions, counts.Reach, counts.Likes, counts.Comments,
            counts.Shares, counts.Saves));
        Assert.Null(counts.Clicks);
        var call = _fake.Calls.Single(c => c.Path == "/v24.0/17890/insights");
        Assert.Contains("metric=views,reach,likes,comments,shares,saved,total_interactions",
            Uri.UnescapeDataString(call.Query));
    }

    [Fact]
    public async Task Instagram_asks_again_without_the_metrics_meta_refuses_for_the_media_type()
    {
        var counts = (await Instagram().FetchAsync(Request(SocialPlatform.Instagram, "story-1"), default)).Counts;
        Assert.Equal(L(900, 700, 4), L(counts.Impressions, counts.Reach, counts.Shares));
        Assert.Equal(L(null, null, null), L(counts.Likes, counts.Comments, counts.Saves));
        var calls = _fake.Calls.Where(c => c.Path == "/v24.0/story-1/insights")
            .Select(c => Uri.UnescapeDataString(c.Query)).ToList();
        Assert.Equal(2, calls.Count);
        Assert.Contains("metric=views,reach,shares,total_interactions&", calls[1]);
    }

    [Theory]
    [InlineData("(#100) The Media Insights API does not support the likes, saved metric for this media product type.",
        "views,reach,comments,shares,total_interactions")]
    [InlineData("(#100) metric[0] must be one of the following values: reach, views, shares, replies",
        "views,reach,shares")]
    [InlineData("(#100) Tried accessing nonexisting field (insights)", "")]
    [InlineData("(#10) Not enough viewers for the media to show insights", "")]
    public void Instagram_reads_which_metrics_remain_from_either_wording_of_a_refusal(string message, string rest) =>
        Assert.Equal(rest, InstagramInsightsClient.Applicable(message));

    [Fact]
    public async Task X_sums_a_threads_public_metrics_in_one_lookup()
    {
        var counts = (await X().FetchAsync(Request(SocialPlatform.X, "11", "12"), default)).Counts;
        Assert.Equal(1000, counts.Impressions);
        Assert.Equal(30, counts.Likes); // 10 + 20
        Assert.Equal(4, counts.Comments); // replies
        Assert.Equal(8, counts.Shares); // (3 retweets + 1 quote) × 2
        Assert.Equal(8, counts.Saves); // bookmarks
        Assert.Null(counts.Reach);
        var call = _fake.Calls.Single(c => c.Path == "/2/tweets");
        Assert.Equal("?ids=11,12&tweet.fields=public_metrics", Uri.UnescapeDataString(call.Query));
        Assert.Equal($"Bearer {FakeMetrics.Token}", call.Headers["Authorization"]);
        // A deleted part is named in errors beside the others' data: the rest still counts.
        var partial = (await X().FetchAsync(Request(SocialPlatform.X, "11", "gone"), default)).Counts;
        Assert.Equal(L(500, 10), L(partial.Impressions, partial.Likes));
    }

    [Fact]
    public async Task LinkedIn_reads_a_members_social_actions_and_a_pages_share_statistics_with_versioned_headers()
    {
        var share = Request(SocialPlatform.LinkedIn, "urn:li:share:1");
        var member = (await LinkedIn("urn:li:person:abc").FetchAsync(share, default)).Counts;
        Assert.Equal(L(31, 7), L(member.Likes, member.Comments));
        Assert.Null(member.Impressions);
        var page = (await LinkedIn("urn:li:organization:9").FetchAsync(share, default)).Counts;
        Assert.Equal(L(300, 120, 22, 3, 6, 15),
            L(page.Impressions, page.Reach, page.Likes, page.Comments, page.Shares, page.Clicks));
        Assert.Null(page.Saves);
        var statistics = _fake.Calls.Single(c => c.Path == "/rest/organizationalEntityShareStatistics");
        Assert.Contains("q=organizationalEntity&organizationalEntity=urn%3Ali%3Aorganization%3A9"
            + "&shares=List(urn%3Ali%3Ashare%3A1)", statistics.Query);
        Assert.All(_fake.Calls, c => Assert.Equal(("202508", "2.0.0"),
            (c.Headers["LinkedIn-Version"], c.Headers["X-Restli-Protocol-Version"])));
    }

    [Fact]
    public async Task Ayrshare_asks_by_social_post_id_with_the_profile_key_and_reads_each_platforms_analytics()
    {
        var instagram = (await Ayrshare().FetchAsync(Request(SocialPlatform.Instagram, "ig-1"), default)).Counts;
        Assert.Equal(L(800, 600, 70, 8, 5, 11), L(instagram.Impressions, instagram.Reach, instagram.Likes,
            instagram.Comments, instagram.Shares, instagram.Saves));
        var x = (await Ayrshare().FetchAsync(Request(SocialPlatform.X, "tw-1"), default)).Counts;
        Assert.Equal(L(450, 15, 3, 3, 6), L(x.Impressions, x.Likes, x.Comments, x.Shares, x.Saves));
        var linkedIn = (await Ayrshare().FetchAsync(Request(SocialPlatform.LinkedIn, "li-2"), default)).Counts;
        Assert.Equal(L(260, 110, 21, 4, 2, 9), L(linkedIn.Impressions, linkedIn.Reach, linkedIn.Likes,
            linkedIn.Comments, linkedIn.Shares, linkedIn.Clicks));
        var call = _fake.Calls.First(c => c.Path == "/api/analytics/post");
        Assert.Equal("ig-1", call.Body!["id"]!.ToString());
        Assert.Equal("instagram", call.Body["platforms"]![0]!.ToString());
        Assert.True(call.Body["searchPlatformId"]!.GetValue<bool>());
        Assert.Equal("profile-1", call.Headers["Profile-Key"]);
        Assert.Equal("x-app-secret", call.Headers[AyrshareXKeys.SecretHeader]);
    }

    [Fact]
    public async Task Ayrshare_names_every_part_of_a_thread_in_post_ids_and_sums_them()
    {
        var thread = (await Ayrshare().FetchAsync(Request(SocialPlatform.X, "tw-1", "tw-2"), default)).Counts;
        Assert.Equal(L(900, 30, 6, 6, 12), L(thread.Impressions, thread.Likes, thread.Comments, thread.Shares,
            thread.Saves));
        var body = _fake.Calls.Single(c => c.Path == "/api/analytics/post").Body!;
        Assert.Equal(new[] { "tw-1", "tw-2" }, body["postIds"]!.AsArray().Select(i => i!.ToString()));
        Assert.Null(body["id"]);
    }

    [Fact]
    public async Task A_refusal_is_typed_with_the_status_and_the_platforms_own_message()
    {
        var instagram = await Assert.ThrowsAsync<MetricsRefusedException>(() =>
            Instagram("bad").FetchAsync(Request(SocialPlatform.Instagram, "1"), default));
        Assert.Equal((400, "Invalid OAuth access token."), (instagram.Status, instagram.ProviderMessage));
        var x = await Assert.ThrowsAsync<MetricsRefusedException>(() =>
            X("bad").FetchAsync(Request(SocialPlatform.X, "1"), default));
        Assert.Equal(401, x.Status);
        var linkedIn = await Assert.ThrowsAsync<MetricsRefusedException>(() =>
            LinkedIn("urn:li:person:abc", "bad").FetchAsync(Request(SocialPlatform.LinkedIn, "urn:li:share:1"),
                default));
        Assert.Equal((401, "Invalid access token"), (linkedIn.Status, linkedIn.ProviderMessage));
        var ayrshare = await Assert.ThrowsAsync<MetricsRefusedException>(() =>
            Ayrshare("bad").FetchAsync(Request(SocialPlatform.Instagram, "1"), default));
        Assert.Equal((403, "API Key not valid."), (ayrshare.Status, ayrshare.ProviderMessage));
        // A deleted post comes back as a 200 with errors only.
        var gone = await Assert.ThrowsAsync<MetricsRefusedException>(() =>
            X().FetchAsync(Request(SocialPlatform.X, "gone"), default));
        Assert.Contains("Could not find tweet", gone.ProviderMessage);
    }

    [Fact]
    public async Task A_rate_limit_is_retryable_with_the_platforms_wait_and_is_not_a_refusal()
    {
        var x = await Assert.ThrowsAsync<MetricsException>(() =>
            X().FetchAsync(Request(SocialPlatform.X, "limited"), default));
        Assert.IsNotType<MetricsRefusedException>(x);
        Assert.True(x.RateLimited);
        Assert.InRange(x.RetryAfter!.Value.TotalMinutes, 14, 15.1); // from x-rate-limit-reset
        var linkedIn = await Assert.ThrowsAsync<MetricsException>(() =>
            LinkedIn("urn:li:person:abc").FetchAsync(Request(SocialPlatform.LinkedIn, "urn:li:share:limited"),
                default));
        Assert.Equal(429, linkedIn.Status);
        Assert.Equal(TimeSpan.FromSeconds(120), linkedIn.RetryAfter);
        Assert.Contains("throttle", linkedIn.ProviderMessage);
        // Meta throttles with a 400 and a throttling code: still a rate limit, not a refusal.
        var instagram = await Assert.ThrowsAsync<MetricsException>(() =>
            Instagram().FetchAsync(Request(SocialPlatform.Instagram, "limited"), default));
        Assert.IsNotType<MetricsRefusedException>(instagram);
        Assert.True(instagram.RateLimited);
        Assert.Equal((400, FakeMetrics.ThrottledMessage), (instagram.Status, instagram.ProviderMessage));
        var ayrshare = await Assert.ThrowsAsync<MetricsException>(() =>
            Ayrshare().FetchAsync(Request(SocialPlatform.X, "limited-1"), default));
        Assert.Equal((429, "Too many requests."), (ayrshare.Status, ayrshare.ProviderMessage));
        // One quick retry in the pipeline, then the collector's durable retry takes over.
        Assert.Equal(2, _fake.Calls.Count(c => c.Path == "/2/tweets" && c.Query.Contains("limited")));
    }

    [Fact]
    public async Task The_dry_run_is_labelled_deterministic_per_post_and_grows_with_time()
    {
        var dry = new DryRunMetricsClient();
        var first = await dry.FetchAsync(Request(SocialPlatform.LinkedIn), default);
        var again = await dry.FetchAsync(Request(SocialPlatform.LinkedIn), default);
        var other = await dry.FetchAsync(Request(SocialPlatform.LinkedIn) with { PostId = "p2" }, default);
        var week = await dry.FetchAsync(Request(SocialPlatform.LinkedIn) with { AfterHours = 168 }, default);
        Assert.Equal(first, again);
        Assert.NotEqual(first.Counts, other.Counts);
        Assert.True(week.Counts.Engagement > first.Counts.Engagement);
        Assert.StartsWith("dry-run", first.Label);
    }
}
