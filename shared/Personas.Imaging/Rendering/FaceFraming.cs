using Personas.Imaging.Analysis;

namespace Personas.Imaging.Rendering;

/// <summary>
/// A crop in source pixels; it may reach past the photo, where the frame is filled (see <see cref="Framer"/>).
/// </summary>
public readonly record struct SourceCrop(double Left, double Top, double Width, double Height)
{
    public bool Inside(int width, int height) =>
        Left >= -0.5 && Top >= -0.5 && Left + Width <= width + 0.5 && Top + Height <= height + 0.5;
}

/// <summary>
/// Where to cut a photo for one output size so a person looks framed, not cropped: eyes on the upper third, the whole
/// head (the detector's box reaches from the brows to the mouth, so it is grown for hair and chin) inside with room
/// above it, and never enlarged more than <see cref="MaxUpscale"/> times when a wider crop can avoid it.
/// </summary>
public static class FaceFraming
{
    /// <summary>The eye line's place from the top of the frame, and how far it may drift when the photo runs out.
    /// </summary>
    public const double EyeLine = 1 / 3.0, EyeLineLow = 0.28, EyeLineHigh = 0.40;

    /// <summary>More than this makes a soft, pixelated face; the crop widens instead.</summary>
    public const double MaxUpscale = 1.5;

    /// <summary>
    /// The head around a frontal Haar box: 0.4 of the box above it for forehead and hair, 0.2 below for the chin, 15 %
    /// on each side for ears. On the repo's sample portraits the hair ends about 0.25 above and the chin 0.12 below.
    /// </summary>
    public static CropRegion Head(CropRegion face) => new(face.X - face.Width * 15 / 100, face.Y - face.Height * 2 / 5,
        face.Width * 130 / 100, face.Height * 160 / 100);

    /// <summary>The eye line of a frontal Haar box: 40 % of the way down it.</summary>
    public static double Eyes(CropRegion face) => face.Y + 0.4 * face.Height;

    /// <summary>
    /// The share of the frame's height the head fills: most on wide frames (which are short), least on a 9:16 story,
    /// whose height is mostly background and text.
    /// </summary>
    public static double HeadShare(int width, int height)
    {
        var aspect = (double)width / height;
        return aspect >= 1.2 ? 0.55 : aspect <= 0.7 ? 0.3 : 0.45;
    }

    /// <summary>
    /// The crop of a <paramref name="sourceWidth"/>×<paramref name="sourceHeight"/> photo for a width×height frame:
    /// sized by the head (never enlarged past <see cref="MaxUpscale"/> unless the photo is too small for that), the
    /// eyes on the upper third and the face centre at <paramref name="centreX"/> of the width. It is moved to stay
    /// inside the photo as far as the eye line may drift; beyond that it reaches past the photo's edges. Without a
    /// face the crop is the centred cover.
    /// </summary>
    public static SourceCrop Crop(int sourceWidth, int sourceHeight, CropRegion? face, int width, int height,
        double centreX = 0.5)
    {
        var aspect = (double)width / height;
        if (face is not { } f)
        {
            var cover = Math.Min(sourceWidth / aspect, sourceHeight);
            return new SourceCrop((sourceWidth - cover * aspect) / 2, (sourceHeight - cover) / 2, cover * aspect,
                cover);
        }
        var head = Head(f);
        var cropHeight = Math.Max(head.Height / HeadShare(width, height), head.Width / 0.8 / aspect);
        cropHeight = Math.Max(cropHeight, height / MaxUpscale);
        // A photo smaller than the frame needs, in both directions, is used whole rather than padded all round.
        cropHeight = Math.Min(cropHeight, Math.Max(sourceHeight, sourceWidth / aspect));
        var cropWidth = cropHeight * aspect;

        var eyes = Eyes(f);
        // Eyes on the upper third, or lower (to 40 %) when that keeps the hair in the frame.
        var wanted = Math.Min(eyes - EyeLine * cropHeight, Math.Max(head.Y, eyes - EyeLineHigh * cropHeight));
        var top = Place(wanted, cropHeight, sourceHeight,
            eyes - EyeLineHigh * cropHeight, eyes - EyeLineLow * cropHeight);
        var faceCentre = f.X + f.Width / 2.0;
        var left = Place(faceCentre - centreX * cropWidth, cropWidth, sourceWidth,
            faceCentre - (centreX + 0.15) * cropWidth, faceCentre - (centreX - 0.15) * cropWidth);
        return new SourceCrop(left, top, cropWidth, cropHeight);
    }

    /// <summary>
    /// The wanted start, moved to keep the span inside 0..<paramref name="limit"/> (or covering it, when the span is
    /// longer), but no further than <paramref name="low"/>..<paramref name="high"/> allow.
    /// </summary>
    private static double Place(double wanted, double span, double limit, double low, double high)
    {
        var (min, max) = span <= limit ? (0.0, limit - span) : (limit - span, 0.0);
        return Math.Clamp(Math.Clamp(wanted, min, max), low, high);
    }
}
