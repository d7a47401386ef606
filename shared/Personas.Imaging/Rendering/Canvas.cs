using System.Security;
using Personas.Imaging.Analysis;
using Personas.Imaging.Vips;

namespace Personas.Imaging.Rendering;

/// <summary>The few libvips steps that rendering composes: solid fills, cut and paste, tint, blur, text masks, JPEG.</summary>
internal static class Canvas
{
    public static VipsImage Solid(int width, int height, double[] rgb)
    {
        using var black = new VipsOperation("black").Set("width", width).Set("height", height).Set("bands", 3).Build();
        using var zero = black.Image();
        using var fill = new VipsOperation("linear").Set("in", zero).Set("a", new[] { 1.0, 1.0, 1.0 }).Set("b", rgb).Set("uchar", true).Build();
        return fill.Image();
    }

    public static VipsImage Region(VipsImage image, int x, int y, int width, int height)
    {
        using var extract = new VipsOperation("extract_area").Set("input", image).Set("left", x).Set("top", y).Set("width", width).Set("height", height).Build();
        return extract.Image();
    }

    public static VipsImage Insert(VipsImage main, VipsImage sub, int x, int y)
    {
        using var insert = new VipsOperation("insert").Set("main", main).Set("sub", sub).Set("x", x).Set("y", y).Build();
        return insert.Image();
    }

    /// <summary>Mixes <paramref name="rgb"/> over the image at <paramref name="opacity"/> (0–1).</summary>
    public static VipsImage Tint(VipsImage image, double[] rgb, double opacity)
    {
        var keep = 1 - opacity;
        using var mix = new VipsOperation("linear").Set("in", image).Set("a", new[] { keep, keep, keep })
            .Set("b", rgb.Select(c => c * opacity).ToArray()).Set("uchar", true).Build();
        return mix.Image();
    }

    public static VipsImage Blur(VipsImage image, double sigma)
    {
        using var blur = new VipsOperation("gaussblur").Set("in", image).Set("sigma", sigma).Build();
        return blur.Image();
    }

    /// <summary>
    /// A one-band coverage mask of the text, wrapped to <paramref name="width"/>. <paramref name="markup"/> is Pango
    /// markup: callers escape their own text with <see cref="Escape"/>.
    /// </summary>
    public static VipsImage Text(string markup, string font, int width, string align = "low", int spacing = 0)
    {
        using var text = new VipsOperation("text").Set("text", markup).Set("font", font).Set("width", Math.Max(1, width)).Set("align", align);
        if (spacing > 0) text.Set("spacing", spacing);
        text.Build();
        return text.Image();
    }

    public static string Escape(string text) => SecurityElement.Escape(text) ?? "";

    /// <summary>Paints <paramref name="rgb"/> through the mask onto the image at (x, y), anti-aliased.</summary>
    public static VipsImage Paint(VipsImage image, VipsImage mask, double[] rgb, int x, int y)
    {
        var width = Math.Min(mask.Width, image.Width - x);
        var height = Math.Min(mask.Height, image.Height - y);
        if (width <= 0 || height <= 0) return PhotoDecoder.Copy(image);
        using var under = Region(image, x, y, width, height);
        using var cut = Region(mask, 0, 0, width, height);
        using var colour = Solid(width, height, rgb);
        using var blend = new VipsOperation("ifthenelse").Set("cond", cut).Set("in1", colour).Set("in2", under).Set("blend", true).Build();
        using var painted = blend.Image();
        return Insert(image, painted, x, y);
    }

    /// <summary>The luminance (0–255) below which <paramref name="percent"/> % of the region's pixels fall.</summary>
    public static int LuminancePercentile(VipsImage image, double percent)
    {
        using var grey = new VipsOperation("colourspace").Set("in", image).Set("space", "b-w").Build();
        using var mono = grey.Image();
        using var op = new VipsOperation("percent").Set("in", mono).Set("percent", percent).Build();
        return op.Int("threshold");
    }

    /// <summary>Decodes upright (EXIF applied) and sRGB, with random access: rendering reads the picture more than once and out of order.</summary>
    public static VipsImage Decode(byte[] bytes)
    {
        var format = PhotoFormats.Detect(bytes) ?? throw new InvalidDataException("The picture is not a JPEG, PNG, WebP or HEIC image.");
        using var load = new VipsOperation(format.Loader()).Set("buffer", bytes).Set("access", "random").Set("fail_on", "truncated").Build();
        using var loaded = load.Image();
        using var rotate = new VipsOperation("autorot").Set("in", loaded).Build();
        using var upright = rotate.Image();
        return PhotoDecoder.ToSrgb(upright);
    }

    public static byte[] Jpeg(VipsImage image, int quality)
    {
        using var save = new VipsOperation("jpegsave_buffer").Set("in", image).Set("Q", quality).Set("strip", true).Build();
        return save.Blob();
    }
}
