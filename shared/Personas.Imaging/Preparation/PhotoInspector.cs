using System.Security.Cryptography;
using Personas.Imaging.Analysis;
using Personas.Imaging.Faces;
using Personas.Imaging.Rendering;

namespace Personas.Imaging.Preparation;

/// <summary>Everything learned about one photo: identity, size, face, where to frame it, scores, and why it was refused (if it was).</summary>
public sealed record PhotoInspection(
    string Sha256,
    PhotoFormat? Format,
    int Width,
    int Height,
    ulong DifferenceHash,
    DetectedFaceInfo? Face,
    CropRegion? Frame,
    PhotoScores? Scores,
    IReadOnlyList<Rejection> Rejections)
{
    public bool Accepted => Rejections.Count == 0;

    /// <summary>The header as read before decoding, for framing without reading it again; null when the file was refused before that.</summary>
    public PhotoHeader? Header { get; init; }
}

/// <summary>
/// Checks one photo against the gates and scores it. Cheap checks run first (size, format, header, pixel count), so
/// a bad file is refused before it is decoded. Analysis runs on a small gray copy; only framing touches full size.
/// Thread-safe: photos can be inspected in parallel.
/// </summary>
public sealed class PhotoInspector(PhotoGates gates, FaceDetector detector)
{
    /// <summary>Analysis size: portraits have big faces, so 480 px (a 1/8 JPEG decode of 12 MP) is enough; full-body faces are small.</summary>
    public static int AnalysisLongSide(PersonaMode mode) => mode == PersonaMode.Portrait ? 360 : 640;
    public const int ClearFaceNeighbours = 10;
    /// <summary>The head's share of a portrait training frame's height: enough room above it for the hair.</summary>
    public const double TrainingHeadShare = 0.55;

    public static (int Width, int Height) OutputSize(PersonaMode mode) => mode == PersonaMode.Portrait ? (1024, 1024) : (768, 1024);

    public PhotoInspection Inspect(byte[] bytes, PersonaMode mode)
    {
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        if (bytes.Length == 0) return Refused(sha, new Rejection("size", "The file is empty."));
        if (bytes.Length < gates.MinBytes) return Refused(sha, new Rejection("size", $"The file is {bytes.Length:N0} bytes; photos must be at least {gates.MinBytes / 1024} KB."));
        if (bytes.Length > gates.MaxBytes) return Refused(sha, new Rejection("size", $"The file is {bytes.Length / 1048576.0:0.#} MB; photos may be at most {gates.MaxBytes / 1048576} MB."));

        PhotoHeader header;
        GrayImage gray;
        try
        {
            header = PhotoDecoder.ReadHeader(bytes, gates.MaxPixels);
            if (Math.Min(header.Width, header.Height) < gates.MinSide)
                return Refused(sha, new Rejection("resolution", $"The photo is {header.Width}×{header.Height}; both sides must be at least {gates.MinSide} px."), header);
            gray = PhotoDecoder.AnalysisImage(bytes, AnalysisLongSide(mode), header);
        }
        catch (PhotoRejectedException ex)
        {
            return Refused(sha, new Rejection(ex.Gate, ex.Message));
        }

        var toPhoto = (double)header.Width / gray.Width;
        var faces = DetectFaces(gray, mode).Select(f => new DetectedFaceInfo(f.Box.Scale(toPhoto), f.Neighbours)).ToList();
        var clear = faces.Where(f => f.Neighbours >= ClearFaceNeighbours).OrderByDescending(f => f.Box.Width).ToList();
        var face = clear.FirstOrDefault() ?? faces.FirstOrDefault();
        var rejections = new List<Rejection>();
        rejections.AddRange(mode == PersonaMode.Portrait ? PortraitRules(header, clear) : FullBodyRules(header, clear));

        var frame = face is null ? (CropRegion?)null : FrameFor(header, face.Box, mode);
        var subject = SubjectRegion(header, face?.Box, mode).Scale(1 / toPhoto);
        var subjectPixels = gray.Crop(subject);
        var (outW, outH) = OutputSize(mode);
        var resolution = PhotoScoring.Resolution(frame is { } f ? Math.Min(f.Width * 1024 / outW, f.Height * 1024 / outH) : Math.Min(header.Width, header.Height), 1024);
        var partial = new PhotoScores(resolution, PhotoScoring.Sharpness(PhotoMetrics.LaplacianVariance(subjectPixels)),
            PhotoScoring.Lighting(PhotoMetrics.Exposure(subjectPixels)), PhotoScoring.Face(face, clear.Count, mode), new Score(0, ""));
        var scores = partial with { Overall = PhotoScoring.Overall(partial, mode) };
        if (scores.Overall.Value < gates.MinOverallScore)
            rejections.Add(new Rejection("quality", $"Overall quality {scores.Overall.Value} is below {gates.MinOverallScore}. Weakest: {Weakest(scores)}"));

        return new PhotoInspection(sha, header.Format, header.Width, header.Height, PhotoMetrics.DifferenceHash(gray), face, frame, scores, rejections) { Header = header };
    }

    /// <summary>
    /// Portraits need a face of at least 15 % of the short side, so the image is scaled to a 240 px short side (that
    /// minimum is then 36 px) and searched at every scale. Smaller does not pay: at 200 px, NASA's Eileen Collins portrait
    /// (tests/testdata/faces/astronaut.png) got 5 agreeing hits instead of 23 and was refused.
    /// Windows smaller than 12.5 % of the short side (30 px) are not searched: such a face fails the size gate anyway,
    /// and those smallest scales hold over a third of all windows. A second face that small goes unseen, so the
    /// "one face only" rule applies to faces of at least that size (docs/photo-quality.md).
    /// Full-body faces are small, so they are searched on the whole analysis image, at every scale.
    /// </summary>
    private IReadOnlyList<DetectedFace> DetectFaces(GrayImage gray, PersonaMode mode)
    {
        if (mode != PersonaMode.Portrait) return detector.Detect(gray);
        var image = gray.FitWithin((int)Math.Ceiling(PortraitDetectionShortSide * Math.Max(gray.Width, gray.Height) / Math.Min(gray.Width, gray.Height)));
        var back = (double)gray.Width / image.Width;
        var smallest = (int)(MinSearchedFaceShare * Math.Min(image.Width, image.Height));
        return detector.Detect(image, smallest).Select(f => f with { Box = f.Box.Scale(back) }).ToList();
    }

    private const double PortraitDetectionShortSide = 240;
    private const double MinSearchedFaceShare = 0.125;

    private static IEnumerable<Rejection> PortraitRules(PhotoHeader header, List<DetectedFaceInfo> clear)
    {
        if (clear.Count == 0) { yield return new Rejection("face", "No face was clearly detected. Use a well-lit photo that looks at the camera."); yield break; }
        if (clear.Count > 1) yield return new Rejection("face", $"{clear.Count} faces were detected; a portrait must show only the persona.");
        var face = clear[0].Box;
        if (face.Width < 0.15 * Math.Min(header.Width, header.Height) || face.Width < 128)
            yield return new Rejection("face", $"The face is {face.Width} px wide, too small in the frame; move closer or crop the photo.");
    }

    /// <summary>
    /// Full body, by heuristics (docs/photo-quality.md): one clear face, in the top third, a plausible head size for a
    /// whole person (4–16 % of the height), a portrait-oriented frame, and room below the face for a body of about
    /// 7½ heads. It cannot see feet, so a photo cut at the knees with the same proportions can pass.
    /// </summary>
    internal static IEnumerable<Rejection> FullBodyRules(PhotoHeader header, List<DetectedFaceInfo> clear)
    {
        if (clear.Count == 0) { yield return new Rejection("face", "No face was clearly detected; full-body photos still need the face visible."); yield break; }
        if (clear.Count > 1) yield return new Rejection("face", $"{clear.Count} faces were detected; the photo must show only the persona.");
        var face = clear[0].Box;
        var height = (double)header.Height;
        if (header.Height < 1.2 * header.Width) yield return new Rejection("fullBody", "Full-body photos must be upright (taller than wide).");
        if (face.Y + face.Height / 2.0 > height / 3) yield return new Rejection("fullBody", "The face is not in the top third; the whole person should be in frame, standing.");
        if (face.Height < 0.04 * height) yield return new Rejection("fullBody", "The face is very small; the person is too far away.");
        if (face.Height > 0.16 * height) yield return new Rejection("fullBody", "The face is too large for a full-body shot; step back so the whole body is in frame.");
        if (height - (face.Y + face.Height) < 5.5 * face.Height) yield return new Rejection("fullBody", "There is not enough room below the face for the whole body.");
    }

    /// <summary>
    /// Portrait: a square, head and shoulders, with the eyes on its upper third and the whole head inside (the head
    /// fills <see cref="TrainingHeadShare"/> of it). Full body: 3:4 around the person.
    /// </summary>
    internal static CropRegion FrameFor(PhotoHeader header, CropRegion face, PersonaMode mode)
    {
        var centreX = face.X + face.Width / 2.0;
        if (mode == PersonaMode.Portrait)
        {
            var head = FaceFraming.Head(face);
            var eyes = FaceFraming.Eyes(face);
            var side = Math.Min(head.Height / TrainingHeadShare, Math.Min(header.Width, header.Height));
            // Too little photo above the eyes for a third of the square: a tighter one keeps them on the upper third.
            if (eyes < side * FaceFraming.EyeLine) side = Math.Min(side, Math.Max(eyes / FaceFraming.EyeLine,
                head.Y + head.Height));
            // Eyes on the upper third, or lower (to 40 %) when that is what keeps the hair in a narrow photo's square.
            var y = Math.Min(eyes - side * FaceFraming.EyeLine, Math.Max(head.Y,
                eyes - side * FaceFraming.EyeLineHigh));
            return new CropRegion((int)Math.Round(centreX - side / 2.0), (int)Math.Round(y), (int)side, (int)side)
                .ClampTo(header.Width, header.Height);
        }
        var h = (int)Math.Min(header.Height, Math.Floor(header.Width * 4 / 3.0));
        var w = h * 3 / 4;
        var top = Math.Max(0, face.Y - face.Height); // a head's height of headroom, then as much body as fits
        return new CropRegion((int)Math.Round(centreX - w / 2.0), top, w, h).ClampTo(header.Width, header.Height);
    }

    /// <summary>Where sharpness and lighting are judged: the face (with a margin) for portraits, the body column for full body.</summary>
    private static CropRegion SubjectRegion(PhotoHeader header, CropRegion? face, PersonaMode mode)
    {
        if (face is not { } f) return new CropRegion(0, 0, header.Width, header.Height);
        if (mode == PersonaMode.Portrait)
            return new CropRegion(f.X - f.Width / 5, f.Y - f.Height / 5, f.Width * 7 / 5, f.Height * 7 / 5).ClampTo(header.Width, header.Height);
        return new CropRegion(f.X - f.Width, f.Y, f.Width * 3, header.Height - f.Y).ClampTo(header.Width, header.Height);
    }

    private static string Weakest(PhotoScores s) =>
        new[] { ("resolution", s.Resolution), ("sharpness", s.Sharpness), ("lighting", s.Lighting), ("face", s.FaceDetection) }
            .MinBy(p => p.Item2.Value) is var (name, score) ? $"{name} {score.Value}: {score.Explanation}" : "";

    private static PhotoInspection Refused(string sha, Rejection rejection, PhotoHeader? header = null) =>
        new(sha, header?.Format, header?.Width ?? 0, header?.Height ?? 0, 0, null, null, null, [rejection]);
}
