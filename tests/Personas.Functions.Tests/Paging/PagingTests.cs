using System.Net.Http.Json;
using static Personas.Functions.Tests.HttpAssertions;

namespace Personas.Functions.Tests.Paging;

/// <summary>Every list is paged alike: offset, limit (1–100), and { items, total, offset, limit, next }.</summary>
public sealed class PagingTests(ApiHost host) : IClassFixture<ApiHost>
{
    private readonly HttpClient _bob = host.Client(ApiHost.BobKey);

    [Fact]
    public async Task Personas_come_in_pages_with_a_link_to_the_next()
    {
        // Bob's other tests in this class may have made personas first: page from where these start.
        var before = (await Json(await _bob.GetAsync("/api/personas"), 200))["total"]!.GetValue<int>();
        var ids = new List<string>();
        for (var i = 0; i < 3; i++) ids.Add(await PersonaApiTests.CreateAsync(_bob));

        var first = await Json(await _bob.GetAsync($"/api/personas?offset={before}&limit=2"), 200);
        Assert.Equal(before + 3, first["total"]!.GetValue<int>());
        Assert.Equal((before, 2), (first["offset"]!.GetValue<int>(), first["limit"]!.GetValue<int>()));
        Assert.Equal(ids[..2], first["items"]!.AsArray().Select(p => p!["id"]!.GetValue<string>()));
        Assert.Equal($"/api/personas?offset={before + 2}&limit=2", first["next"]!.GetValue<string>());

        var last = await Json(await _bob.GetAsync(first["next"]!.GetValue<string>()), 200);
        Assert.Equal([ids[2]], last["items"]!.AsArray().Select(p => p!["id"]!.GetValue<string>()));
        Assert.True(last.ContainsKey("next") && last["next"] is null);
        Assert.Equal(20, (await Json(await _bob.GetAsync("/api/personas"), 200))["limit"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("/api/personas?limit=0", "limit")]
    [InlineData("/api/personas?limit=101", "limit")]
    [InlineData("/api/audit?offset=-1", "offset")]
    [InlineData("/api/posts?limit=500", "limit")]
    public async Task A_bad_offset_or_limit_is_a_400_naming_it(string path, string field) =>
        await Problem(await _bob.GetAsync(path), 400, field);

    [Fact]
    public async Task Photos_generations_and_audit_answer_the_same_envelope()
    {
        var id = await PersonaApiTests.CreateAsync(_bob);
        foreach (var path in new[] { $"/api/personas/{id}/photos", $"/api/personas/{id}/generations", "/api/audit" })
        {
            var page = await Json(await _bob.GetAsync(path + "?limit=5"), 200);
            Assert.Equal(["items", "total", "offset", "limit", "next"], page.Select(p => p.Key));
            Assert.Null(page["next"]);
            Assert.Equal(5, page["limit"]!.GetValue<int>());
        }
        await Problem(await _bob.GetAsync($"/api/personas/{id}/photos?limit=0"), 400, "limit");
    }
}
