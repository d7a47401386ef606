using System.Security;
using Personas.Imaging.Analysis;
using Personas.Imaging.Vips;

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
    /// fitted to the size, with a dark band along the bottom that says what it is. <paramref name="obscured"/> blurs it
    /// heavily, standing in for "the base model without the LoRA", which does not know the face.
    /// </summary>
    public static byte[] DryRunStandIn(byte[] source, int width, int height, string label, bool obscured)
    {
        using var fitted = Decode(Cover(source, width, height));
        using var picture = obscured ? Blur(fitted, Math.Max(width, height) / 40.0) : PhotoDecoder.Copy(fitted);
        using var labelled = Caption(picture, label, Math.Max(12, height / 40));
        return Jpeg(labelled, 90);
    }

    /// <summary>Darkens a band along the bottom, as tall as the wrapped label needs, and writes the label on it in white: readable on any photo.</summary>
    private static VipsImage Caption(VipsImage picture, string label, int fontPixels)
    {
        var padding = fontPixels / 2;
        using var text = new VipsOperation("text").Set("text", SecurityElement.Escape(label)).Set("font", $"DejaVu Sans Bold {fontPixels}px")
            .Set("width", picture.Width - 4 * padding).Set("align", "centre").Build();
        using var mask = text.Image();
        var band = Math.Min(picture.Height, mask.Height + 2 * padding);
        var top = picture.Height - band;
        using var strip = Region(picture, 0, top, picture.Width, band);
        using var darken = new VipsOperation("linear").Set("in", strip).Set("a", new[] { 0.3 }).Set("b", new[] { 0.0 }).Set("uchar", true).Build();
        using var dark = darken.Image();

        var x = Math.Max(0, (picture.Width - mask.Width) / 2);
        var y = Math.Max(0, (band - mask.Height) / 2);
        using var under = Region(dark, x, y, Math.Min(mask.Width, dark.Width - x), Math.Min(mask.Height, dark.Height - y));
        using var fittedMask = Region(mask, 0, 0, under.Width, under.Height);
        using var white = Solid(under.Width, under.Height, 255);
        using var blend = new VipsOperation("ifthenelse").Set("cond", fittedMask).Set("in1", white).Set("in2", under).Set("blend", true).Build();
        using var lettered = blend.Image();
        using var withText = Insert(dark, lettered, x, y);
        return Insert(picture, withText, 0, top);
    }

    private static VipsImage Solid(int width, int height, double value)
    {
        using var black = new VipsOperation("black").Set("width", width).Set("height", height).Set("bands", 3).Build();
        using var zero = black.Image();
        using var fill = new VipsOperation("linear").Set("in", zero).Set("a", new[] { 1.0 }).Set("b", new[] { value }).Set("uchar", true).Build();
        return fill.Image();
    }

    private static VipsImage Region(VipsImage image, int x, int y, int width, int height)
    {
        using var extract = new VipsOperation("extract_area").Set("input", image).Set("left", x).Set("top", y).Set("width", width).Set("height", height).Build();
        return extract.Image();
    }

    private static VipsImage Insert(VipsImage main, VipsImage sub, int x, int y)
    {
        using var insert = new VipsOperation("insert").Set("main", main).Set("sub", sub).Set("x", x).Set("y", y).Build();
        return insert.Image();
    }

    private static VipsImage Blur(VipsImage image, double sigma)
    {
        using var blur = new VipsOperation("gaussblur").Set("in", image).Set("sigma", sigma).Build();
        return blur.Image();
    }

    private static VipsImage Decode(byte[] jpeg)
    {
        using var load = new VipsOperation("jpegload_buffer").Set("buffer", jpeg).Build();
        return load.Image();
    }

    private static byte[] Jpeg(VipsImage image, int quality)
    {
        using var save = new VipsOperation("jpegsave_buffer").Set("in", image).Set("Q", quality).Set("strip", true).Build();
        return save.Blob();
    }
}
