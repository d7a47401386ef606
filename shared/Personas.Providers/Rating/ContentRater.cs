using Personas.Domain.Rating;
using Personas.Providers.Llm;

namespace Personas.Providers.Rating;

/// <summary>
/// Rates prompts, captions and chat answers: with the configured text model when there is one, else (or when the
/// model fails) with the word list. A restricted topic named in so many words always counts, whoever rates.
/// </summary>
public sealed class ContentRater(ModelRater? model)
{
    public bool UsesModel => model is not null;

    public async Task<ContentRating> RateAsync(string text, IReadOnlyList<string> restrictions, CancellationToken ct)
    {
        var listed = WordListRater.Rate(text, restrictions);
        if (model is null || string.IsNullOrWhiteSpace(text)) return listed;
        try
        {
            var rated = await model.RateAsync(text, restrictions, ct);
            return rated with
            {
                RestrictionHits = rated.RestrictionHits.Union(listed.RestrictionHits, StringComparer.OrdinalIgnoreCase)
                    .ToList(),
            };
        }
        catch (Exception ex) when (StructuredChat.IsModelFailure(ex, ct))
        {
            return listed with { Reasons = [.. listed.Reasons,
                $"the model could not rate it ({ex.Message.Split('\n')[0]})"] };
        }
    }
}
