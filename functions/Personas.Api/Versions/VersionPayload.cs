using Personas.Domain.Personas;
using Personas.Domain.Training;

namespace Personas.Api.Versions;

/// <summary>One validation picture of a version: its blob <c>path</c>, a signed <c>url</c> and the prompt.</summary>
public sealed record VersionImage(string Path, string Url, string Prompt);

/// <summary>
/// A trained version as <c>/versions</c> shows it. <c>scores</c> are the kept candidate's validation scores (0–1,
/// null where one could not be measured; empty when the version was never validated) and their mean as
/// <c>overall</c>. <c>usable</c>: it passed validation or was never validated, so it may be active.
/// </summary>
public sealed record VersionPayload(int Version, DateTimeOffset CreatedAt, bool Active, bool Usable, string Provider,
    string? TrainingInstanceId, string? LoraUrl, IReadOnlyDictionary<string, double?> Scores,
    IReadOnlyList<VersionImage> ValidationImages)
{
    public static VersionPayload From(Persona persona, PersonaModel m, Func<string, string> link)
    {
        var chosen = m.Validation?.Candidates.FirstOrDefault(c => c.Label == m.Validation.ChosenLabel);
        var scores = new Dictionary<string, double?>();
        if (chosen is not null)
        {
            scores["faceDetected"] = chosen.FaceDetected.Value;
            scores["quality"] = chosen.Quality.Value;
            scores["triggerEffectiveness"] = chosen.TriggerEffectiveness.Value;
            scores["faceConsistency"] = chosen.FaceConsistency.Value;
            scores["overall"] = chosen.Score;
        }
        var images = chosen?.Images.Select(i => new VersionImage(i.Blob, link(i.Blob), i.Prompt)).ToList() ?? [];
        return new(m.Version, m.TrainedAt, persona.ActiveModel?.Version == m.Version, m.Usable, m.Provider,
            m.TrainingInstanceId, link(m.ActiveWeightsBlob), scores, images);
    }
}

/// <summary>Two versions side by side; <c>scoreDeltas</c>: b minus a per score (null where either lacks it).</summary>
public sealed record VersionComparison(VersionPayload A, VersionPayload B,
    IReadOnlyDictionary<string, double?> ScoreDeltas)
{
    public static VersionComparison Of(VersionPayload a, VersionPayload b) =>
        new(a, b, a.Scores.Keys.Union(b.Scores.Keys).ToDictionary(k => k,
            k => a.Scores.GetValueOrDefault(k) is { } x && b.Scores.GetValueOrDefault(k) is { } y
                ? y - x : (double?)null));
}

