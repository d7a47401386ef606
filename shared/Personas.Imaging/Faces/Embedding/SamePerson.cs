using Personas.Imaging.Preparation;

namespace Personas.Imaging.Faces.Embedding;

/// <summary>
/// Whether faces belong to the persona: each is compared with the persona's faces (its stored photos, then the new
/// photos already let in) and refused when the median similarity is under the threshold. The median, so one odd
/// photo among the stored ones neither lets a stranger in nor shuts the right person out.
/// </summary>
public static class SamePerson
{
    public const string Gate = "samePerson";

    public static double MedianSimilarity(FaceEmbedding face, IReadOnlyList<FaceEmbedding> persona)
    {
        var sorted = persona.Select(face.Similarity).Order().ToList();
        if (sorted.Count == 0) return 1;
        var mid = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /// <summary>
    /// One answer per candidate (null: none to judge, or the same person). When the persona has no faces yet, the
    /// candidate most others agree with goes first (the earliest on a tie), so a stranger listed first in the very
    /// first upload does not become the persona and shut out everybody else.
    /// </summary>
    public static Rejection?[] Screen(IReadOnlyList<FaceEmbedding> persona, IReadOnlyList<FaceEmbedding?> candidates,
        double threshold)
    {
        var answers = new Rejection?[candidates.Count];
        var known = persona.ToList();
        var order = Enumerable.Range(0, candidates.Count).Where(i => candidates[i] is not null).ToList();
        if (known.Count == 0 && order.Count > 0)
        {
            var anchor = order.MaxBy(i => order.Count(j => j != i
                && candidates[i]!.Similarity(candidates[j]!) >= threshold))!;
            order.Remove(anchor);
            known.Add(candidates[anchor]!);
        }
        foreach (var i in order)
        {
            var similarity = MedianSimilarity(candidates[i]!, known);
            if (similarity >= threshold) known.Add(candidates[i]!);
            else answers[i] = new Rejection(Gate, $"The face does not look like the persona's other photos " +
                $"(similarity {similarity:0.00}; the same person scores at least {threshold:0.00}). " +
                "Use photos of one person only.");
        }
        return answers;
    }
}
