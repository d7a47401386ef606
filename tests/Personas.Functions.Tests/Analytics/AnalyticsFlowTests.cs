using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Personas.Domain.Analytics;
using Personas.Domain.Posts;
using Personas.Domain.Stores;
using Personas.Functions.Tests.Posts;
using static Personas.Functions.Tests.HttpAssertions;

namespace Personas.Functions.Tests.Analytics;

/// <summary>
/// The collector on the test clock (1 h, 24 h and 7 d reached by moving the clock, not by waiting), the time-series
/// routes, deletion with the persona, and bestTime switching from the default slots to the owner's learned hours.
/// </summary>
public sealed class AnalyticsFlowTests(PostsApiHost host) : IClassFixture<PostsApiHost>
{
    private readonly HttpClient _alice = host.Client(ApiHost.AliceKey);
    private readonly HttpClient _bob = host.Client(ApiHost.BobKey);

    private Task<JsonArray> WaitForSamplesAsync(string postId, int count) => Eventually.GetAsync(async () =>
    {
        var page = await Json(await _alice.GetAsync($"/api/analytics/posts/{postId}"), 200);
        return page["total"]!.GetValue<int>() >= count ? page["items"]!.AsArray() : null;
    }, $"{count} samples of {postId}");

    [Fact]
    public async Task A_published_post_is_sampled_at_1_h_24_h_and_7_d_served_as_series_and_deleted_with_its_persona()
    {
        var personaId = await GenerationApiTests.ReadyPersonaAsync(_alice, "zqxstats");
        var id = (await PostFlowTests.GenerateAsync(_alice, personaId, ["quote"], ["linkedin"])).Single()["id"]!
            .GetValue<string>(); // Alice has no LinkedIn account: the outbox, and so the dry run's metrics
        await Json(await _alice.PostAsync($"/api/posts/{id}/approve", null), 202);
        await PostFlowTests.WaitForAsync(_alice, id, "Staged");
        await Json(await _alice.PostAsync($"/api/posts/{id}/publish-now", null), 202);
        await PostFlowTests.WaitForAsync(_alice, id, "Published");

        var none = await Json(await _alice.GetAsync($"/api/analytics/posts/{id}"), 200);
        Assert.Equal(0, none["total"]!.GetValue<int>()); // nothing before the first hour
        host.Clock.Advance(TimeSpan.FromMinutes(61));
        var first = await WaitForSamplesAsync(id, 1);
        host.Clock.Advance(TimeSpan.FromHours(23));
        await WaitForSamplesAsync(id, 2);
        host.Clock.Advance(TimeSpan.FromDays(6));
        var samples = await WaitForSamplesAsync(id, 3);

        Assert.Equal([1.0, 24.0, 168.0], samples.Select(s => s!["afterHours"]!.GetValue<double>()));
        Assert.All(samples, s =>
        {
            Assert.Equal("outbox", s!["source"]!.GetValue<string>());
            Assert.Equal("LinkedIn", s["platform"]!.GetValue<string>());
            Assert.StartsWith("dry-run", s["label"]!.GetValue<string>());
        });
        Assert.Equal(first[0]!["counts"]!["likes"]!.GetValue<long>(),
            samples[0]!["counts"]!["likes"]!.GetValue<long>());
        var engagement = samples.Select(s => s!["counts"]!["engagement"]!.GetValue<long>()).ToList();
        Assert.True(engagement[0] < engagement[1] && engagement[1] < engagement[2], string.Join(",", engagement));
        await Problem(await _bob.GetAsync($"/api/analytics/posts/{id}"), 404, "postId");
        await Problem(await _alice.GetAsync($"/api/analytics/posts/{id}?limit=0"), 400, "limit");

        // The persona's series: one point a UTC day, the post's latest counters that day. The test clock starts at
        // the real time, so the 1 h and 24 h samples share a day when the post is published after 23:00 UTC.
        var sampleDays = samples.Select(s => s!["at"]!.GetValue<DateTimeOffset>().UtcDateTime.Date).Distinct()
            .Count();
        var days = await Json(await _alice.GetAsync($"/api/analytics/personas/{personaId}"), 200);
        Assert.Equal(sampleDays, days["total"]!.GetValue<int>());
        Assert.InRange(sampleDays, 2, 3);
        Assert.All(days["items"]!.AsArray(), d => Assert.Equal(1, d!["posts"]!.GetValue<int>()));
        Assert.Equal(samples[2]!["counts"]!["likes"]!.GetValue<long>(),
            days["items"]![sampleDays - 1]!["counts"]!["likes"]!.GetValue<long>());
        await Problem(await _bob.GetAsync($"/api/analytics/personas/{personaId}"), 404, "personaId");

        await PersonaDeletion.DeleteAndWaitAsync(_alice, personaId);
        var analytics = host.App.Services.GetRequiredService<IAnalyticsCatalog>();
        Assert.Empty(await analytics.ListPostSamplesAsync("alice", id));
        Assert.Empty(PersonaDeletion.Leftovers(host.DataDir, personaId));
        Assert.Empty(PersonaDeletion.Leftovers(host.DataDir, id)); // the collector's workflow too
    }

    [Fact]
    public async Task BestTime_uses_the_owners_learned_hours_once_enough_posts_have_samples_and_says_which()
    {
        var id = (await PostFlowTests.GenerateAsync(_alice, null, ["single"], ["x"])).Single()["id"]!
            .GetValue<string>();
        await Json(await _alice.PostAsync($"/api/posts/{id}/approve", null), 202);
        await PostFlowTests.WaitForAsync(_alice, id, "Staged");
        var analytics = host.App.Services.GetRequiredService<IAnalyticsCatalog>();
        var day = new DateTimeOffset(2026, 11, 2, 0, 0, 0, TimeSpan.Zero);
        Task Sample(string post, int hour, long likes, string? label = null) => analytics.SaveSampleAsync(
            new EngagementSample("alice", post, null, SocialPlatform.X, "x", day.AddHours(hour), 24,
                day.AddHours(hour + 24), EngagementCounts.None with { Likes = likes }) { Label = label });
        // 07:00 does best, 15:00 next, 21:00 worst; a synthetic 03:00 outlier must not count.
        for (var i = 0; i < 4; i++) await Sample($"learn-7-{i}", 7, 400 + i);
        for (var i = 0; i < 3; i++) await Sample($"learn-15-{i}", 15, 200 + i);
        for (var i = 0; i < 2; i++) await Sample($"learn-21-{i}", 21, 5);
        await Sample("dry", 3, 100_000, "dry-run: synthetic");

        var before = await Json(await _alice.PostAsJsonAsync($"/api/posts/{id}/schedule",
            new { bestTime = true, timeZone = "UTC" }), 202);
        Assert.Equal("default", before["bestTime"]!.GetValue<string>());
        Assert.Contains("9 of your X posts have engagement samples; 10 are needed",
            before["detail"]!.GetValue<string>());
        Assert.Contains(before["at"]!.GetValue<DateTimeOffset>().UtcDateTime.Hour, new[] { 9, 12, 17 });

        await Sample("learn-21-2", 21, 6); // the tenth post
        var after = await Json(await _alice.PostAsJsonAsync($"/api/posts/{id}/schedule",
            new { bestTime = true, timeZone = "UTC" }), 202);
        Assert.Equal("learned", after["bestTime"]!.GetValue<string>());
        Assert.Contains("learned from the engagement of your 10 X posts (best hours 07:00, 15:00)",
            after["detail"]!.GetValue<string>());
        var at = after["at"]!.GetValue<DateTimeOffset>();
        Assert.Contains(at.UtcDateTime.Hour, new[] { 7, 15 });
        Assert.Equal(0, at.Minute);
        await Eventually.GetAsync(async () =>
        {
            var post = await Json(await _alice.GetAsync($"/api/posts/{id}"), 200);
            return post["scheduledAt"]?.GetValue<DateTimeOffset>() == at ? post : null;
        }, "the learned time on the post");
    }
}
