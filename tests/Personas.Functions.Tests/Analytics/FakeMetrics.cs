using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Personas.Functions.Tests.Analytics;

/// <summary>
/// Local fakes, on one 127.0.0.1 port, of the engagement APIs in their documented formats: Instagram media insights,
/// X's tweets lookup with public_metrics, LinkedIn's socialActions and organizationalEntityShareStatistics, and
/// Ayrshare's analytics by social post id. Each answers with the platform's own error shape for a bad token, and a
/// media, tweet, URN or id starting with "limited" gets the platform's rate limit (Meta's: a 400 with a throttling
/// code; the others a 429 with their rate-limit headers). A media id starting with "story" refuses feed metrics.
/// </summary>
public sealed class FakeMetrics : IAsyncDisposable
{
    public const string Token = "metrics-token";
    public const string ThrottledMessage =
        "(#80002) There have been too many calls to this Instagram account. Wait a bit and try again.";
    private WebApplication _app = null!;

    public string BaseUrl => _app.Urls.First() + "/";
    public ConcurrentQueue<(string Path, string Query, Dictionary<string, string> Headers, JsonNode? Body)> Calls
    {
        get;
    } = new();

    public static async Task<FakeMetrics> StartAsync()
    {
        var fake = new FakeMetrics();
        fake._app = await LoopbackServer.StartAsync(app =>
        {
            app.MapGet("/v24.0/{media}/insights", (string media, HttpContext http) =>
            {
                fake.Record(http, null);
                if (http.Request.Query["access_token"] != Token)
                    return Results.Json(new
                    {
                        error = new { message = "Invalid OAuth access token.", type = "OAuthException", code = 190 },
                    }, statusCode: 400);
                // Meta's throttling is a 400 naming a throttling code, not a 429 (here the Instagram BUC's).
                if (media.StartsWith("limited"))
                    return Results.Json(new
                    {
                        error = new { message = ThrottledMessage, type = "OAuthException", code = 80002 },
                    }, statusCode: 400);
                var wanted = http.Request.Query["metric"].ToString().Split(',');
                // A metric the media type does not take fails the whole call (#100), naming it; a story's here.
                var refused = media.StartsWith("story") ? wanted.Intersect(["likes", "comments", "saved"]).ToList()
                    : [];
                if (refused.Count > 0)
                    return Results.Json(new
                    {
                        error = new
                        {
                            message = $"(#100) The Media Insights API does not support the {string.Join(", ", refused)}"
                                + " metric for this media product type.",
                            type = "OAuthException", code = 100,
                        },
                    }, statusCode: 400);
                var values = new Dictionary<string, long>
                {
                    ["views"] = 900, ["reach"] = 700, ["likes"] = 80, ["comments"] = 9, ["shares"] = 4, ["saved"] = 12,
                };
                // Meta leaves a metric out (not 0) when it has no data for it: total_interactions here.
                return Results.Json(new
                {
                    data = wanted.Where(values.ContainsKey).Select(m => new
                    {
                        name = m, period = "lifetime", values = new[] { new { value = values[m] } },
                        title = m, id = $"{media}/insights/{m}/lifetime",
                    }),
                });
            });
            app.MapGet("/2/tweets", (HttpContext http) =>
            {
                fake.Record(http, null);
                if (http.Request.Headers.Authorization != $"Bearer {Token}")
                    return Results.Json(new { title = "Unauthorized", status = 401, detail = "Unauthorized" },
                        statusCode: 401);
                var ids = http.Request.Query["ids"].ToString().Split(',');
                if (ids.Any(i => i.StartsWith("limited")))
                {
                    http.Response.Headers["x-rate-limit-limit"] = "300";
                    http.Response.Headers["x-rate-limit-remaining"] = "0";
                    http.Response.Headers["x-rate-limit-reset"] =
                        DateTimeOffset.UtcNow.AddMinutes(15).ToUnixTimeSeconds().ToString();
                    return Results.Json(new { title = "Too Many Requests", detail = "Too Many Requests", status = 429 },
                        statusCode: 429);
                }
                if (http.Request.Query["tweet.fields"] != "public_metrics")
                    return Results.Json(new { data = Array.Empty<object>() });
                var found = ids.Where(i => i != "gone").Select((id, n) => new
                {
                    id, text = $"part {n}",
                    public_metrics = new
                    {
                        retweet_count = 3, reply_count = 2, like_count = 10 * (n + 1), quote_count = 1,
                        bookmark_count = 4, impression_count = 500,
                    },
                }).ToArray();
                var errors = ids.Where(i => i == "gone").Select(i => new
                {
                    value = i, detail = $"Could not find tweet with ids: [{i}].", title = "Not Found Error",
                    resource_type = "tweet", parameter = "ids", resource_id = i,
                    type = "https://api.twitter.com/2/problems/resource-not-found",
                }).ToArray();
                // A lookup with some ids gone answers 200 with data for the rest and errors for those.
                return found.Length == 0 ? Results.Json(new { errors })
                    : errors.Length == 0 ? Results.Json(new { data = found })
                    : Results.Json(new { data = found, errors });
            });
            app.MapGet("/rest/socialActions/{urn}", (string urn, HttpContext http) =>
            {
                fake.Record(http, null);
                if (LinkedInProblem(http) is { } problem) return problem;
                return Results.Json(new
                {
                    commentsSummary = new { totalFirstLevelComments = 5, aggregatedTotalComments = 7 },
                    likesSummary = new { likedByCurrentUser = false, totalLikes = 31 },
                    target = urn,
                });
            });
            app.MapGet("/rest/organizationalEntityShareStatistics", (HttpContext http) =>
            {
                fake.Record(http, null);
                if (LinkedInProblem(http) is { } problem) return problem;
                return Results.Json(new
                {
                    paging = new { count = 10, start = 0 },
                    elements = new[]
                    {
                        new
                        {
                            totalShareStatistics = new
                            {
                                uniqueImpressionsCount = 120, shareCount = 6, engagement = 0.2, clickCount = 15,
                                likeCount = 22, impressionCount = 300, commentCount = 3,
                            },
                            organizationalEntity = http.Request.Query["organizationalEntity"].ToString(),
                            share = "urn:li:share:1",
                        },
                    },
                });
            });
            app.MapPost("/api/analytics/post", async (HttpContext http) =>
            {
                var body = await JsonNode.ParseAsync(http.Request.Body);
                fake.Record(http, body);
                if (http.Request.Headers.Authorization != $"Bearer {Token}")
                    return Results.Json(new { status = "error", code = 102, message = "API Key not valid." },
                        statusCode: 403);
                var ids = body!["postIds"] is JsonArray many ? many.Select(i => i!.ToString()).ToList()
                    : [body["id"]!.ToString()];
                var id = ids[0];
                if (id.StartsWith("limited"))
                    return Results.Json(new { status = "error", code = 429, message = "Too many requests." },
                        statusCode: 429);
                var platform = body["platforms"]![0]!.ToString();
                object analytics = platform switch
                {
                    "instagram" => new
                    {
                        impressionsCount = 800, reachCount = 600, likeCount = 70, commentsCount = 8, savedCount = 11,
                        sharesCount = 5,
                    },
                    "linkedin" => new
                    {
                        likeCount = 21, commentCount = 4, shareCount = 2, impressionCount = 260, clickCount = 9,
                        uniqueImpressionsCount = 110,
                    },
                    _ => new
                    {
                        publicMetrics = new
                        {
                            retweetCount = 2, quoteCount = 1, likeCount = 15, replyCount = 3, impressionCount = 450,
                            bookmarkCount = 6,
                        },
                    },
                };
                object Entry(string one) => new { id = one, analytics, postUrl = $"https://example.com/{one}" };
                // Several ids (a thread's, by postIds) come back as an array, one object per post.
                return Results.Json(new Dictionary<string, object>
                {
                    [platform] = ids.Count > 1 ? ids.Select(Entry).ToArray() : Entry(id), ["status"] = "success",
                });
            });
        });
        return fake;
    }

    /// <summary>LinkedIn's error body ({ status, serviceErrorCode, message }); a 429 for "limited" URNs.</summary>
    private static IResult? LinkedInProblem(HttpContext http)
    {
        if (http.Request.Headers.Authorization != $"Bearer {Token}")
            return Results.Json(new
            {
                status = 401, serviceErrorCode = 65600, code = "INVALID_ACCESS_TOKEN", message = "Invalid access token",
            }, statusCode: 401);
        if (http.Request.Path.Value!.Contains("limited") || http.Request.QueryString.Value!.Contains("limited"))
        {
            http.Response.Headers["Retry-After"] = "120";
            return Results.Json(new
            {
                status = 429,
                message = "Resource level throttle APPLICATION DAY limit for calls to this resource is reached.",
            }, statusCode: 429);
        }
        return null;
    }

    private void Record(HttpContext http, JsonNode? body) => Calls.Enqueue((http.Request.Path.Value!,
        http.Request.QueryString.Value ?? "",
        http.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
        body));

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
