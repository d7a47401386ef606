using Personas.Imaging.Analysis;
using Personas.Imaging.Preparation;

namespace Personas.Imaging.Validation;

/// <summary>What the intake checks see in one generated picture: a clear face (and where), and its overall quality (0–100).</summary>
public sealed record GeneratedImageCheck(bool ClearFace, CropRegion? Face, int Quality, string Note);

/// <summary>
/// Scores generated pictures with the same detector and quality measures that gate uploaded photos, and measures how
/// much the LoRA changed the face against a control rendered with the same seed at LoRA scale 0 (docs/training.md).
/// </summary>
public sealed class GeneratedImageScorer(PhotoInspector inspector)
{
    public GeneratedImageCheck Check(byte[] image, PersonaMode mode)
    {
        var inspection = inspector.Inspect(image, mode);
        var clear = inspection.Face is { Neighbours: >= PhotoInspector.ClearFaceNeighbours };
        var quality = inspection.Scores?.Overall.Value ?? 0;
        var note = inspection.Scores is null ? string.Join(" ", inspection.Rejections.Select(r => r.Reason))
            : clear ? $"Face found; quality {quality}." : $"No clear face; quality {quality}.";
        return new GeneratedImageCheck(clear, inspection.Face?.Box, quality, note);
    }

    /// <summary>
    /// How many of the 64 difference-hash bits differ between the face region of the LoRA picture and the same region
    /// of the control. Identical regions give 0; unrelated ones about 32.
    /// </summary>
    public static int FaceChangeBits(byte[] withLora, byte[] control, CropRegion face, int imageWidth)
    {
        var a = PhotoDecoder.AnalysisImage(withLora, 360);
        var b = PhotoDecoder.AnalysisImage(control, 360).Resize(a.Width, a.Height);
        var region = face.Scale((double)a.Width / imageWidth).ClampTo(a.Width, a.Height);
        return PhotoMetrics.HammingDistance(PhotoMetrics.DifferenceHash(a.Crop(region)), PhotoMetrics.DifferenceHash(b.Crop(region)));
    }
}
