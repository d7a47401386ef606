using Personas.Api.Problems;
using Personas.Domain.Rating;
using Personas.Domain.Stores;
using Personas.Providers.Rating;

namespace Personas.Api.Rating;

/// <summary>
/// The content check every entry point runs before it generates or spends: a prompt, caption or message rated NSFW,
/// or naming one of the persona's restricted topics, is refused with 422 naming the field, with the rating attached.
/// </summary>
public static class RatingGate
{
    /// <summary>The 422 for a refused text, or null when it may go on (blank text has nothing to rate).</summary>
    public static async Task<IResult?> CheckAsync(HttpContext http, ContentRater rater, string field, string? text,
        IReadOnlyList<string> restrictions) => (await RateAsync(http, rater, field, text, restrictions)).Refusal;

    /// <summary>The rating (null for blank text) and, when it refuses the text, the 422.</summary>
    public static async Task<(ContentRating? Rating, IResult? Refusal)> RateAsync(HttpContext http,
        ContentRater rater, string field, string? text, IReadOnlyList<string> restrictions)
    {
        if (string.IsNullOrWhiteSpace(text)) return (null, null);
        var rating = await rater.RateAsync(text, restrictions, http.RequestAborted);
        return (rating, rating.Refused ? Refusal(http, field, rating) : null);
    }

    /// <summary>The restricted topics of a post's persona; none for a post without one.</summary>
    public static async Task<IReadOnlyList<string>> RestrictionsAsync(ICatalog catalog, string owner,
        string? personaId, CancellationToken ct) =>
        personaId is not null && await catalog.GetPersonaAsync(owner, personaId, ct) is { } persona
            ? persona.Restrictions : [];

    public static IResult Refusal(HttpContext http, string field, ContentRating rating)
    {
        var problem = ProblemWriter.Create(http, StatusCodes.Status422UnprocessableEntity,
            rating.Rating == ContentRating.Nsfw ? "Content rated NSFW" : "Against the persona's restrictions",
            $"{rating.Explanation} Nothing was generated.", field);
        problem.Extensions["rating"] = rating;
        return TypedResults.Problem(problem);
    }
}
