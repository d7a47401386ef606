using Personas.Imaging.Analysis;
using Personas.Imaging.Faces;
using Personas.Imaging.Vips;
using static Personas.Imaging.Rendering.Canvas;

namespace Personas.Imaging.Rendering;

/// <summary>Colours as 0–255 RGB triples, a fontconfig family, and an optional watermark line and logo (PNG/JPEG bytes).</summary>
public sealed record GraphicStyle(double[] Text, double[] Accent, double[] Scrim, string Font, string? Watermark = null, byte[]? Logo = null);

/// <summary>The words on one card: a headline (the quote, or the slide's title), an optional body, and a corner badge such as "2/5".</summary>
public sealed record GraphicText(string Headline, string? Body = null, string? Badge = null);

/// <summary>
/// A rendered card and how it was laid out: where the face is, where the text went (never overlapping the face), the
/// layout used and the worst-case WCAG contrast between the text colour and what lies behind it.
/// </summary>
public sealed record RenderedGraphic(byte[] Jpeg, int Width, int Height, string Layout, CropRegion? Face, CropRegion TextArea, double Contrast, int HeadlinePixels);

/// <summary>
/// Quote cards and carousel slides. The photo is cut around the detected face; the text goes into the largest band
/// beside the face inside safe margins, or, when the face leaves no such band, onto a brand-coloured panel next to
/// the photo. Font size is the largest that fits; a scrim is darkened until the text reaches 4.5:1 contrast.
/// </summary>
public static class PostGraphics
{
    public const double SafeMargin = 0.06, MinContrast = 4.5;
    private const int Quality = 90;

    /// <summary>A card of <paramref name="photo"/> (framed around its face) or, without a photo, a text card.</summary>
    public static RenderedGraphic Render(CardPhoto? photo, GraphicText text, GraphicStyle style, int width, int height)
    {
        try
        {
            using var source = photo is null ? null : Decode(photo.Bytes);
            var face = photo?.Face;
            var safe = SafeArea(width, height);
            var overlay = face is null ? null : OverlayArea(source!, face.Value, width, height, safe);
            if (source is not null && overlay is not null)
            {
                var (placed, area, faceOut) = overlay.Value;
                using var canvas = placed;
                return Letter(canvas, text, style, area, faceOut, "overlay", scrimmed: true);
            }
            return Panel(source, face, text, style, width, height, safe);
        }
        catch (VipsException ex)
        {
            throw Unrenderable(ex);
        }
    }

    internal static InvalidDataException Unrenderable(VipsException ex) =>
        new($"The picture for the card could not be rendered: {ex.Message.Split('\n')[0]}", ex);

    /// <summary>
    /// Instagram's story UI covers the top 14 % (profile, progress bar) and the bottom 20 % (reply bar, buttons) of a
    /// 9:16 frame: Meta's guidance for Stories keeps text and logos out of the top and bottom 14 % (250 px of 1920),
    /// and the bottom is widened for the reply bar.
    /// </summary>
    public const double StoryTopZone = 0.14, StoryBottomZone = 0.20;

    /// <summary>
    /// Where text, watermark and logo may go: inside the safe margins, and on a story (9:16 or taller) also outside
    /// the UI zones at the top and bottom.
    /// </summary>
    public static CropRegion SafeArea(int width, int height)
    {
        var margin = (int)(SafeMargin * Math.Min(width, height));
        var story = height >= width * 1.7;
        var top = story ? Math.Max(margin, (int)Math.Ceiling(StoryTopZone * height)) : margin;
        var bottom = story ? Math.Max(margin, (int)Math.Ceiling(StoryBottomZone * height)) : margin;
        return new CropRegion(margin, top, width - 2 * margin, height - top - bottom);
    }

    /// <summary>
    /// Frames the photo around the face (<see cref="Framer"/>; face on the left third when wide), then looks for a
    /// text band above, below, left or right of the face inside the safe area. A band must be at least 22 % of the
    /// height and 45 % of the width, else null (the panel layout is used).
    /// </summary>
    private static (VipsImage Placed, CropRegion Area, CropRegion Face)? OverlayArea(VipsImage source, CropRegion face,
        int width, int height, CropRegion safe)
    {
        var wide = width > height * 1.2;
        var (placed, framedFace) = Framer.Frame(source, face, width, height, wide ? 0.3 : 0.5);
        var faceOut = framedFace!.Value.ClampTo(width, height);
        var pad = (int)(SafeMargin * Math.Min(width, height)) / 2;
        var (right, bottom) = (safe.X + safe.Width, safe.Y + safe.Height);
        CropRegion[] bands =
        [
            new(safe.X, safe.Y, safe.Width, faceOut.Y - pad - safe.Y),
            new(safe.X, faceOut.Y + faceOut.Height + pad, safe.Width, bottom - (faceOut.Y + faceOut.Height + pad)),
            new(safe.X, safe.Y, faceOut.X - pad - safe.X, safe.Height),
            new(faceOut.X + faceOut.Width + pad, safe.Y, right - (faceOut.X + faceOut.Width + pad), safe.Height),
        ];
        var usable = bands.Where(b => b.Height >= 0.22 * height && b.Width >= 0.45 * width)
            .OrderByDescending(b => (long)b.Width * b.Height).ToList();
        if (usable.Count > 0) return (placed, usable[0], faceOut);
        placed.Dispose();
        return null;
    }

    /// <summary>
    /// A brand-coloured panel for the text beside the photo: below it on tall and square canvases, to its right on
    /// wide ones. Without a photo the whole canvas is the panel. The text stays inside the safe area.
    /// </summary>
    private static RenderedGraphic Panel(VipsImage? source, CropRegion? face, GraphicText text, GraphicStyle style,
        int width, int height, CropRegion safe)
    {
        var wide = width > height * 1.2;
        var margin = (int)(SafeMargin * Math.Min(width, height));
        using var background = Solid(width, height, style.Scrim);
        if (source is null) return Letter(background, text, style, safe, null, "panel", scrimmed: false);

        var (photoWidth, photoHeight) = wide ? (width / 2, height) : (width, (int)(height * 0.52));
        var (photo, faceOut) = Framer.Frame(source, face, photoWidth, photoHeight);
        using (photo)
        {
            using var canvas = Insert(background, photo, 0, 0);
            var area = wide
                ? new CropRegion(photoWidth + margin, safe.Y, safe.X + safe.Width - photoWidth - margin, safe.Height)
                : new CropRegion(safe.X, photoHeight + margin, safe.Width, safe.Y + safe.Height - photoHeight - margin);
            return Letter(canvas, text, style, area, faceOut?.ClampTo(width, height), "panel", scrimmed: false);
        }
    }

    /// <summary>
    /// Lays the text into <paramref name="area"/> at the largest size that fits (badge on top, headline, body, then
    /// the watermark and logo), darkening the area first when it lies on the photo.
    /// </summary>
    private static RenderedGraphic Letter(VipsImage canvas, GraphicText text, GraphicStyle style, CropRegion area, CropRegion? face, string layout, bool scrimmed)
    {
        var bar = Math.Max(6, area.Width / 90);
        var indent = bar * 3; // the accent bar, then a gap, sit inside the area so they can never reach the face
        var (mask, pixels) = FitText(text, style.Font, area.Width - indent, area.Height);
        using (mask)
        {
            var top = area.Y + Math.Max(0, (area.Height - Footer(area.Height) - mask.Height) / 2);
            var block = new CropRegion(area.X, top, Math.Min(area.Width, mask.Width + indent), Math.Min(mask.Height, area.Height));
            using var shaded = scrimmed ? Scrim(canvas, ToEdges(area, face, canvas.Width, canvas.Height), block, style)
                : PhotoDecoder.Copy(canvas);
            var contrast = ContrastBehind(shaded, block, style.Text);
            using var accent = Solid(bar, block.Height, style.Accent);
            using var barred = Insert(shaded, accent, block.X, block.Y);
            using var lettered = Paint(barred, mask, style.Text, block.X + indent, block.Y);
            using var signed = Sign(lettered, style, area, pixels);
            return new RenderedGraphic(Jpeg(signed, Quality), signed.Width, signed.Height, layout, face, block, contrast, pixels);
        }
    }

    /// <summary>Binary search for the largest headline size (body at 0.55 of it) whose wrapped text fits the area.</summary>
    private static (VipsImage Mask, int Pixels) FitText(GraphicText text, string font, int width, int height)
    {
        var footer = Footer(height);
        int low = 14, high = Math.Clamp(height / 3, 15, 140);
        VipsImage? best = null;
        var bestPixels = low;
        while (low <= high)
        {
            var size = (low + high) / 2;
            var mask = Text(Markup(text, font, size), $"{font} {size}px", width, spacing: size / 6);
            if (mask.Width <= width && mask.Height <= height - footer)
            {
                best?.Dispose();
                (best, bestPixels, low) = (mask, size, size + 1);
            }
            else { mask.Dispose(); high = size - 1; }
        }
        return (best ?? Text(Markup(text, font, 14), $"{font} 14px", width), bestPixels);
    }

    /// <summary>Room kept at the bottom of the text area for the watermark line and logo.</summary>
    private static int Footer(int areaHeight) => Math.Min(areaHeight / 8, 64);

    private static string Markup(GraphicText text, string font, int size)
    {
        var parts = new List<string>();
        if (text.Badge is { Length: > 0 } badge) parts.Add($"<span font_desc=\"{font} Bold {Math.Max(12, size * 45 / 100)}px\">{Escape(badge)}</span>");
        parts.Add($"<span font_desc=\"{font} Bold {size}px\">{Escape(text.Headline)}</span>");
        if (text.Body is { Length: > 0 } body) parts.Add($"<span font_desc=\"{font} {Math.Max(12, size * 55 / 100)}px\">{Escape(body)}</span>");
        return string.Join("\n", parts);
    }

    /// <summary>
    /// Darkens the text area (which never includes the face) with the scrim colour, raising the opacity from 45 %
    /// until the brightest 5 % of it reach 4.5:1 against the text colour.
    /// </summary>
    private static VipsImage Scrim(VipsImage canvas, CropRegion area, CropRegion block, GraphicStyle style)
    {
        using var under = Region(canvas, area.X, area.Y, area.Width, area.Height);
        // Judged where the letters are: a bright patch (a white collar) under them is not averaged away by the rest.
        var text = new CropRegion(block.X - area.X, block.Y - area.Y, block.Width, block.Height).ClampTo(area.Width,
            area.Height);
        for (var opacity = 0.45; ; opacity += 0.1)
        {
            using var tint = Tint(under, style.Scrim, Math.Min(opacity, 0.95));
            using var tinted = tint.InMemory(); // measured twice, then pasted
            using var behind = Region(tinted, text.X, text.Y, text.Width, text.Height);
            if (opacity >= 0.95 || (WorstContrast(tinted, style.Text) >= MinContrast && WorstContrast(behind,
                style.Text) >= MinContrast))
                return Insert(canvas, tinted, area.X, area.Y);
        }
    }

    /// <summary>
    /// The text band stretched to the canvas edges on every side except the one facing the face, so the scrim reads
    /// as a clean band rather than a box floating in the margins.
    /// </summary>
    private static CropRegion ToEdges(CropRegion area, CropRegion? face, int width, int height)
    {
        if (face is not { } f) return area;
        var left = area.X + area.Width <= f.X ? 0 : area.X >= f.X + f.Width ? area.X : 0;
        var right = area.X >= f.X + f.Width ? width : area.X + area.Width <= f.X ? area.X + area.Width : width;
        var top = area.Y + area.Height <= f.Y ? 0 : area.Y >= f.Y + f.Height ? area.Y : 0;
        var bottom = area.Y >= f.Y + f.Height ? height : area.Y + area.Height <= f.Y ? area.Y + area.Height : height;
        return new CropRegion(left, top, right - left, bottom - top);
    }

    private static double ContrastBehind(VipsImage image, CropRegion block, double[] textColour)
    {
        using var under = Region(image, block.X, block.Y, Math.Max(1, Math.Min(block.Width, image.Width - block.X)), Math.Max(1, Math.Min(block.Height, image.Height - block.Y)));
        return WorstContrast(under, textColour);
    }

    /// <summary>WCAG contrast of the text colour against the 5 % of the background closest to it in brightness.</summary>
    private static double WorstContrast(VipsImage background, double[] textColour)
    {
        var text = Luminance(textColour);
        var light = text > 0.5;
        var grey = LuminancePercentile(background, light ? 95 : 5);
        var back = Luminance([grey, grey, grey]);
        return (Math.Max(text, back) + 0.05) / (Math.Min(text, back) + 0.05);
    }

    public static double Luminance(double[] rgb)
    {
        static double Linear(double c) { c /= 255; return c <= 0.03928 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4); }
        return 0.2126 * Linear(rgb[0]) + 0.7152 * Linear(rgb[1]) + 0.0722 * Linear(rgb[2]);
    }

    /// <summary>The watermark line and logo along the bottom of the text area, inside the safe margins.</summary>
    private static VipsImage Sign(VipsImage image, GraphicStyle style, CropRegion area, int pixels)
    {
        var line = Math.Clamp(pixels * 4 / 10, 12, 32);
        var bottom = area.Y + area.Height;
        var current = PhotoDecoder.Copy(image);
        var x = area.X;
        if (style.Logo is { Length: > 0 } logoBytes)
        {
            using var load = new VipsOperation("thumbnail_buffer").Set("buffer", logoBytes).Set("width", line * 4).Set("height", line * 2).Build();
            using var logo = load.Image();
            using var flat = logo.Bands is 2 or 4 ? Flatten(logo, current, x, bottom - logo.Height) : PhotoDecoder.ToSrgb(logo);
            var next = Insert(current, flat, x, Math.Max(0, bottom - flat.Height));
            current.Dispose();
            current = next;
            x += flat.Width + line / 2;
        }
        if (style.Watermark is { Length: > 0 } watermark)
        {
            using var mask = Text(Escape(watermark), $"{style.Font} {line}px", Math.Max(1, area.X + area.Width - x));
            var next = Paint(current, mask, style.Text, x, Math.Max(0, bottom - mask.Height));
            current.Dispose();
            current = next;
        }
        return current;
    }

    /// <summary>A transparent logo laid onto what is under it, so its edges stay clean.</summary>
    private static VipsImage Flatten(VipsImage logo, VipsImage under, int x, int y)
    {
        using var srgb = new VipsOperation("colourspace").Set("in", logo).Set("space", "srgb").Build();
        using var rgba = srgb.Image();
        using var behind = Region(under, x, Math.Max(0, y), Math.Min(rgba.Width, under.Width - x), Math.Min(rgba.Height, under.Height - Math.Max(0, y)));
        using var composite = new VipsOperation("composite2").Set("base", behind).Set("overlay", rgba).Set("mode", "over").Build();
        using var mixed = composite.Image();
        return PhotoDecoder.ToSrgb(mixed);
    }
}
