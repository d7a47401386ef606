using Personas.Imaging.Analysis;
using Personas.Imaging.Faces;
using Personas.Imaging.Vips;
using static Personas.Imaging.Rendering.Canvas;

namespace Personas.Imaging.Rendering;

/// <summary>
/// Cuts a photo to a frame as <see cref="FaceFraming"/> says. Where the crop reaches past the photo (a square photo
/// in a 16:9 frame), the frame is filled with a blurred, enlarged copy of the same photo and the photo's edges fade
/// into it, so there is no hard seam between sharp and blurred.
/// </summary>
public static class Framer
{
    /// <summary>The largest face the frontal detector finds on a 480 px copy, in the source's pixels.</summary>
    public static CropRegion? FindFace(VipsImage source)
    {
        var gray = PhotoDecoder.AnalysisImage(Jpeg(source, 85), 480);
        var faces = FaceDetector.FrontalFace.Detect(gray, Math.Min(gray.Width, gray.Height) / 10);
        if (faces.Count == 0) return null;
        var best = faces.MaxBy(f => f.Box.Width * f.Box.Height)!;
        return best.Box.Scale((double)source.Width / gray.Width);
    }

    /// <summary>The framed picture and the face's box on it (null without a face).</summary>
    public static (VipsImage Canvas, CropRegion? Face) Frame(VipsImage source, CropRegion? face, int width, int height,
        double centreX = 0.5)
    {
        var crop = FaceFraming.Crop(source.Width, source.Height, face, width, height, centreX);
        var scale = width / crop.Width;
        var x = (int)Math.Round(-crop.Left * scale);
        var y = (int)Math.Round(-crop.Top * scale);
        var faceOut = face is { } f
            ? new CropRegion((int)Math.Round(f.X * scale) + x, (int)Math.Round(f.Y * scale) + y,
                (int)Math.Round(f.Width * scale), (int)Math.Round(f.Height * scale))
            : (CropRegion?)null;
        using var scaled = Resize(source, scale);
        if (crop.Inside(source.Width, source.Height))
        {
            var left = Math.Clamp(-x, 0, Math.Max(0, scaled.Width - width));
            var top = Math.Clamp(-y, 0, Math.Max(0, scaled.Height - height));
            using var cut = Region(scaled, left, top, Math.Min(width, scaled.Width - left), Math.Min(height,
                scaled.Height - top));
            using var exact = cut.Width == width && cut.Height == height ? PhotoDecoder.Copy(cut) : Stretch(cut,
                width, height);
            return (exact.InMemory(), faceOut);
        }
        // Computed once: a card reads its picture many times (text contrast, scrim, paint, encode), and the blurred
        // fill recomputed for each read cost seconds a card on a busy machine.
        using var blended = Blend(scaled, x, y, width, height);
        return (blended.InMemory(), faceOut);
    }

    /// <summary>
    /// The scaled photo at (x, y) over its own edge pixels drawn outwards and heavily blurred, so the fill continues
    /// the colours that meet it (a blurred copy or mirror of the photo would show a second, ghostly face). The photo's
    /// inner edges fade into the fill over a tenth of the frame's short side.
    /// </summary>
    private static VipsImage Blend(VipsImage scaled, int x, int y, int width, int height)
    {
        using var embed = new VipsOperation("embed").Set("in", scaled).Set("x", x).Set("y", y).Set("width", width)
            .Set("height", height).Set("extend", "copy").Build();
        using var mirrored = embed.Image();
        using var background = Blur(mirrored, Math.Max(width, height) / 40.0);
        var left = Math.Max(0, x);
        var top = Math.Max(0, y);
        var right = Math.Min(width, x + scaled.Width);
        var bottom = Math.Min(height, y + scaled.Height);
        using var piece = Region(scaled, left - x, top - y, right - left, bottom - top);
        var feather = Math.Max(8, Math.Min(width, height) / 10);
        using var mask = Fade(piece.Width, piece.Height, feather, left > 0, top > 0, right < width, bottom < height);
        using var under = Region(background, left, top, piece.Width, piece.Height);
        using var mix = new VipsOperation("ifthenelse").Set("cond", mask).Set("in1", piece).Set("in2", under)
            .Set("blend", true).Build();
        using var mixed = mix.Image();
        return Insert(background, mixed, left, top);
    }

    /// <summary>
    /// An opacity mask, 255 inside, falling smoothly to 0 over <paramref name="feather"/> px at the named edges.
    /// </summary>
    private static unsafe VipsImage Fade(int width, int height, int feather, bool left, bool top, bool right,
        bool bottom)
    {
        static byte[] Ramp(int length, int feather, bool start, bool end)
        {
            var ramp = new byte[length];
            for (var i = 0; i < length; i++)
            {
                var a = start ? Math.Min(1.0, (i + 0.5) / feather) : 1.0;
                var b = end ? Math.Min(1.0, (length - i - 0.5) / feather) : 1.0;
                var t = Math.Min(a, b);
                // Smoothstep: no visible start or end of the fade.
                ramp[i] = (byte)Math.Round(255 * t * t * (3 - 2 * t));
            }
            return ramp;
        }
        var columns = Ramp(width, feather, left, right);
        var rows = Ramp(height, feather, top, bottom);
        var pixels = new byte[width * height];
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++) pixels[y * width + x] = (byte)(columns[x] * rows[y] / 255);
        fixed (byte* p = pixels) return VipsImage.FromPixels(p, (nuint)pixels.Length, width, height, 1);
    }

    private static VipsImage Resize(VipsImage image, double scale)
    {
        using var resize = new VipsOperation("resize").Set("in", image).Set("scale", scale).Set("kernel",
            "lanczos3").Build();
        return resize.Image();
    }

    /// <summary>A pixel or two short after rounding: stretched to the exact size.</summary>
    private static VipsImage Stretch(VipsImage image, int width, int height)
    {
        using var resize = new VipsOperation("resize").Set("in", image).Set("scale", (double)width / image.Width)
            .Set("vscale", (double)height / image.Height).Build();
        return resize.Image();
    }
}
