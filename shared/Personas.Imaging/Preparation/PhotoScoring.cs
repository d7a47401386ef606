using Personas.Imaging.Analysis;

namespace Personas.Imaging.Preparation;

/// <summary>
/// Turns measurements into 0–100 scores with explanations. The curves are documented in docs/photo-quality.md and
/// were set on the sample portraits: a sharp studio portrait scores in the 90s, a blurred or dark one below the gate.
/// </summary>
internal static class PhotoScoring
{
    /// <summary>How well the framed region covers the training resolution: 100 at native size or more, 60 at half.</summary>
    public static Score Resolution(int regionSide, int targetSide)
    {
        var ratio = (double)regionSide / targetSide;
        var value = ratio >= 1 ? 100 : ratio >= 0.5 ? 60 + (ratio - 0.5) / 0.5 * 40 : ratio / 0.5 * 60;
        return new((int)Math.Round(value), ratio >= 1
            ? $"The framed area is {regionSide} px, enough for {targetSide} px training images."
            : $"The framed area is {regionSide} px and will be enlarged to {targetSide} px ({ratio:P0} of native); a closer or higher-resolution photo would be sharper.");
    }

    /// <summary>Laplacian variance on the subject at the analysis size: 30 or less is blurred, 250 or more is crisp; log scale between.</summary>
    public static Score Sharpness(double laplacianVariance)
    {
        var value = Math.Clamp((Math.Log(Math.Max(laplacianVariance, 1)) - Math.Log(30)) / (Math.Log(250) - Math.Log(30)) * 100, 0, 100);
        var verdict = value >= 80 ? "crisp" : value >= 50 ? "slightly soft" : "blurred or out of focus";
        return new((int)Math.Round(value), $"Edge contrast (Laplacian variance {laplacianVariance:0}) on the subject: {verdict}.");
    }

    /// <summary>Exposure of the subject: brightness near mid-grey, enough contrast, little clipped to black or white.</summary>
    public static Score Lighting(Exposure subject)
    {
        var problems = new List<string>();
        double penalty = 0;
        if (subject.Mean < 60) { penalty += (60 - subject.Mean) * 1.2; problems.Add("too dark"); }
        if (subject.Mean > 200) { penalty += (subject.Mean - 200) * 1.2; problems.Add("too bright"); }
        if (subject.StandardDeviation < 25) { penalty += (25 - subject.StandardDeviation) * 2; problems.Add("flat, low contrast"); }
        if (subject.CrushedFraction > 0.05) { penalty += (subject.CrushedFraction - 0.05) * 200; problems.Add($"{subject.CrushedFraction:P0} crushed to black"); }
        if (subject.BlownFraction > 0.05) { penalty += (subject.BlownFraction - 0.05) * 200; problems.Add($"{subject.BlownFraction:P0} blown to white"); }
        var value = (int)Math.Round(Math.Clamp(100 - penalty, 0, 100));
        return new(value, problems.Count == 0
            ? $"Well exposed (mean brightness {subject.Mean:0}, contrast {subject.StandardDeviation:0})."
            : $"Lighting: {string.Join(", ", problems)} (mean brightness {subject.Mean:0}, contrast {subject.StandardDeviation:0}).");
    }

    /// <summary>Detector confidence from how many overlapping windows agreed: 4 is a guess, 10 is clear, 20 or more is certain.</summary>
    public static Score Face(DetectedFaceInfo? face, int clearFaces, PersonaMode mode)
    {
        if (face is null) return new(0, "No face was found.");
        var n = face.Neighbours;
        var value = n >= 20 ? 100 : n >= 10 ? 70 + (n - 10) * 3 : Math.Max(0, 40 + (n - 4) * 5);
        var extra = clearFaces > 1 ? $" {clearFaces} faces were found; {(mode == PersonaMode.Portrait ? "a portrait must show one person" : "the photo must show one person")}." : "";
        return new(value, $"Face found with {n} agreeing detections.{extra}");
    }

    public static Score Overall(PhotoScores parts, PersonaMode mode)
    {
        var (r, s, l, f) = mode == PersonaMode.Portrait ? (0.2, 0.3, 0.25, 0.25) : (0.25, 0.3, 0.25, 0.2);
        var value = (int)Math.Round(parts.Resolution.Value * r + parts.Sharpness.Value * s + parts.Lighting.Value * l + parts.FaceDetection.Value * f);
        return new(value, $"Weighted: resolution {r:P0}, sharpness {s:P0}, lighting {l:P0}, face {f:P0}.");
    }
}

/// <summary>A face in the photo's own upright pixel coordinates.</summary>
public sealed record DetectedFaceInfo(CropRegion Box, int Neighbours);
