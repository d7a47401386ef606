using System.Text.Json.Serialization;

namespace Personas.Domain.Rating;

/// <summary>
/// A text's rating: <c>sfw</c> or <c>nsfw</c>, why, which of the persona's restricted topics it touches, and who
/// rated it (<c>model</c>, or <c>wordlist</c> when no model is configured or the model could not answer).
/// </summary>
public sealed record ContentRating(string Rating, IReadOnlyList<string> Reasons, IReadOnlyList<string> RestrictionHits,
    string Source)
{
    public const string Sfw = "sfw", Nsfw = "nsfw", ModelSource = "model", WordListSource = "wordlist";

    /// <summary>NSFW, or against the persona's restrictions: refused before anything is generated or spent.</summary>
    [JsonIgnore]
    public bool Refused => Rating == Nsfw || RestrictionHits.Count > 0;

    /// <summary>The sentence a refusal gives.</summary>
    [JsonIgnore]
    public string Explanation => Rating == Nsfw
        ? $"The text was rated NSFW ({Source}): {string.Join("; ", Reasons)}."
        : $"The text touches the persona's restricted topics: {string.Join(", ", RestrictionHits)}.";
}
