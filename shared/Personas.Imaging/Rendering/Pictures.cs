using Personas.Imaging.Analysis;
using Personas.Imaging.Vips;
using static Personas.Imaging.Rendering.Canvas;

namespace Personas.Imaging.Rendering;

/// <summary>Whole-picture operations for generated images: fit to a platform's exact size, and label a stand-in.</summary>
public static class Pictures
{
    /// <summary>
    /// Scales the picture to cover width×height and cuts the overflow evenly from both sides, so every platform gets its
    /// exact size whatever size the provider returned. Metadata is dropped; the result is an sRGB JPEG.
    /// </summary>
    public static byte[] Cover(byte[] bytes, int width, int height, int quality = 90)
    {
        try
        {
            using var thumbnail = new VipsOperation("thumbnail_buffer").Set("buffer", bytes).Set("width", width).Set("height", height)
                .Set("crop", "centre").Set("size", "both").Build();
            using var image = thumbnail.Image();
            using var srgb = PhotoDecoder.ToSrgb(image);
            return Jpeg(srgb, quality);
        }
        catch (VipsException ex)
        {
            throw new InvalidDataException($"The generated image could not be decoded: {ex.Message.Split('\n')[0]}", ex);
        }
    }

    /// <summary>
    /// The dry-run stand-in for a generated picture: <paramref name="source"/> (one of the persona's own prepared photos)
    /// framed for the size around its face (<see cref="Framer"/>), with a dark band along the bottom that says what
    /// it is. <paramref name="obscured"/> blurs it heavily, standing in for "the base model without the LoRA", which
    /// does not know the face.
    /// </summary>
    public static byte[] DryRunStandIn(byte[] source, int width, int height, string label, bool obscured)
    {
        using var decoded = Decode(source);
        var (fitted, _) = Framer.Frame(decoded, Framer.FindFace(decoded), width, height);
        using var framed = fitted;
        using var picture = obscured ? Blur(framed, Math.Max(width, height) / 40.0) : PhotoDecoder.Copy(framed);
        using var labelled = Caption(picture, label, Math.Max(12, height / 40));
        return Jpeg(labelled, 90);
    }

    /// <summary>Adds the bottom label band to a finished JPEG (cards made from a dry-run picture say so too).</summary>
    public static byte[] Labelled(byte[] jpeg, string label)
    {
        using var picture = Decode(jpeg);
        using var labelled = Caption(picture, label, Math.Max(12, picture.Height / 60));
        return Jpeg(labelled, 90);
    }

    /// <summary>
    /// Darkens a band along the bottom and writes the label on it in white, on one line: readable on any photo. The
    /// font shrinks (to 10 px at least) until the line fits the width.
    /// </summary>
    private static VipsImage Caption(VipsImage picture, string label, int fontPixels)
    {
        using var mask = OneLine(label, fontPixels, picture.Width);
        var padding = Math.Max(4, mask.Height / 3);
        var band = Math.Min(picture.Height, mask.Height + 2 * padding);
        var top = picture.Height - band;
        using var strip = Region(picture, 0, top, picture.Width, band);
        using var dark = Tint(strip, [0.0, 0.0, 0.0], 0.7);
        using var lettered = Paint(dark, mask, [255.0, 255.0, 255.0], Math.Max(0, (picture.Width - mask.Width) / 2), Math.Max(0, (band - mask.Height) / 2));
        return Insert(picture, lettered, 0, top);
    }

    /// <summary>
    /// The label as a single line (never wrapped), at the largest size up to the given one that fits the width.
    /// </summary>
    private static VipsImage OneLine(string label, int fontPixels, int width)
    {
        for (var size = fontPixels; ; size = Math.Max(10, size * 9 / 10))
        {
            // Wrapping width far beyond the picture: the mask's own width tells whether the line fits.
            var mask = Text(Escape(label), $"DejaVu Sans Bold {size}px", width * 4, "centre");
            if (mask.Width <= width - size * 2 || size == 10) return mask;
            mask.Dispose();
        }
    }
}
