using Personas.Api.Auth;
using Personas.Api.Paging;
using Personas.Api.Personas;
using Personas.Api.Posts;
using Personas.Domain.Stores;

namespace Personas.Api.Analytics;

/// <summary>
/// Engagement as time series, read from the samples the collector stored (CollectMetrics, at 1 h, 24 h and 7 d by
/// default). A post's series is its samples; a persona's is one point per UTC day (PersonaMetricsDay). Both only for
/// the owner: another owner's post or persona is a 404, as if it did not exist.
/// </summary>
public static class AnalyticsEndpoints
{
    public static void MapAnalyticsEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/analytics").WithTags("Analytics");
        group.MapGet("/posts/{postId}", PostAsync).WithName("PostAnalytics")
            .WithSummary("The post's engagement samples, oldest first: impressions, reach, likes, comments, shares, "
                + "saves and clicks (null where the platform gives none). Query: offset (0), limit (20, at most 100).")
            .Produces<Page<PostMetricsPoint>>().ProducesProblem(400).ProducesProblem(404);
        group.MapGet("/personas/{personaId}", PersonaAsync).WithName("PersonaAnalytics")
            .WithSummary("The persona's engagement per UTC day: each post's latest counters that day, summed over "
                + "its posts. Query: offset (0), limit (20, at most 100).")
            .Produces<Page<PersonaMetricsDay>>().ProducesProblem(400).ProducesProblem(404);
    }

    private static async Task<IResult> PostAsync(string postId, HttpContext http, IPostCatalog posts,
        IAnalyticsCatalog analytics, int? offset, int? limit)
    {
        var (page, problem) = PageRequest.Read(http, offset, limit);
        if (problem is not null) return problem;
        var owner = http.User.Owner();
        if (await posts.GetPostAsync(owner, postId, http.RequestAborted) is null)
            return PostEndpoints.NotFound(http, postId);
        var samples = await analytics.ListPostSamplesAsync(owner, postId, http.RequestAborted);
        return TypedResults.Ok(page.Of(samples, PostMetricsPoint.From,
            $"/api/analytics/posts/{Uri.EscapeDataString(postId)}"));
    }

    private static async Task<IResult> PersonaAsync(string personaId, HttpContext http, ICatalog catalog,
        IAnalyticsCatalog analytics, int? offset, int? limit)
    {
        var (page, problem) = PageRequest.Read(http, offset, limit);
        if (problem is not null) return problem;
        var owner = http.User.Owner();
        if (await catalog.GetPersonaAsync(owner, personaId, http.RequestAborted) is null)
            return PersonaEndpoints.NotFound(http, personaId);
        var days = PersonaMetricsDay.Of(await analytics.ListPersonaSamplesAsync(owner, personaId, http.RequestAborted));
        return TypedResults.Ok(page.Of(days, d => d, $"/api/analytics/personas/{Uri.EscapeDataString(personaId)}"));
    }
}
