using Personas.Imaging.Vips;

namespace Personas.Imaging.Analysis;

/// <summary>What the header says, before any pixel is decoded. Width and height are as displayed, after EXIF orientation.</summary>
public sealed record PhotoHeader(PhotoFormat Format, int Width, int Height, int Orientation)
{
    public long Pixels => (long)Width * Height;
}

/// <summary>A photo that cannot be used, with the gate it failed and a reason a person can act on.</summary>
public sealed class PhotoRejectedException(string gate, string reason) : Exception(reason)
{
    public string Gate { get; } = gate;
}

/// <summary>
/// Decodes untrusted photos with libvips. The header is read first and the pixel count capped before any pixel is
/// decoded (decompression bombs). Loaders run with <c>fail_on=truncated</c>, and decoding errors, which libvips reports
/// only when pixels are read, become <see cref="PhotoRejectedException"/>.
/// </summary>
public static class PhotoDecoder
{
    private const string LoadOptions = "fail_on=truncated";

    public static PhotoHeader ReadHeader(byte[] bytes, long maxPixels)
    {
        var format = PhotoFormats.Detect(bytes) ?? throw new PhotoRejectedException("format", "This is not a JPEG, PNG, WebP or HEIC image (judged by its content, not its name).");
        try
        {
            using var load = new VipsOperation(format.Loader()).Set("buffer", bytes).Set("fail_on", "truncated").Build();
            using var image = load.Image();
            var orientation = image.GetInt("orientation") ?? 1;
            var (width, height) = orientation is >= 5 and <= 8 ? (image.Height, image.Width) : (image.Width, image.Height);
            var header = new PhotoHeader(format, width, height, orientation);
            if (header.Pixels > maxPixels)
                throw new PhotoRejectedException("pixels", $"The image is {width}×{height} ({header.Pixels / 1e6:0.#} MP); at most {maxPixels / 1e6:0.#} MP are accepted.");
            return header;
        }
        catch (VipsException ex)
        {
            throw Unreadable(ex);
        }
    }

    /// <summary>
    /// The photo as gray pixels, upright, scaled so its longer side is at most <paramref name="longSide"/>. JPEGs shrink
    /// while they load, so a 12 MP photo never exists at full size here.
    /// </summary>
    public static GrayImage AnalysisImage(byte[] bytes, int longSide)
    {
        try
        {
            using var thumbnail = new VipsOperation("thumbnail_buffer").Set("buffer", bytes).Set("width", longSide).Set("height", longSide)
                .Set("size", "down").Set("option_string", LoadOptions).Build();
            using var upright = thumbnail.Image();
            using var gray = ToGray(upright);
            return new GrayImage(gray.Width, gray.Height, gray.ToBytes());
        }
        catch (VipsException ex)
        {
            throw Unreadable(ex);
        }
    }

    /// <summary>
    /// Cuts <paramref name="region"/> (in upright, full-size coordinates) out of the photo and returns it as a JPEG of
    /// exactly <paramref name="outputWidth"/>×<paramref name="outputHeight"/>, metadata stripped. The photo is shrunk on load
    /// as far as the crop allows, so large photos are never decoded at full size when the output is smaller.
    /// </summary>
    public static byte[] Frame(byte[] bytes, PhotoHeader header, CropRegion region, int outputWidth, int outputHeight, int quality = 92)
    {
        try
        {
            var scale = Math.Min(1.0, Math.Max((double)outputWidth / region.Width, (double)outputHeight / region.Height));
            var width = Math.Max(1, (int)Math.Ceiling(header.Width * scale));
            using var thumbnail = new VipsOperation("thumbnail_buffer").Set("buffer", bytes).Set("width", width).Set("height", 10_000_000)
                .Set("size", "down").Set("option_string", LoadOptions).Build();
            using var upright = thumbnail.Image();
            var actual = (double)upright.Width / header.Width;
            var scaled = region.Scale(actual).ClampTo(upright.Width, upright.Height);
            using var extract = new VipsOperation("extract_area").Set("input", upright)
                .Set("left", scaled.X).Set("top", scaled.Y).Set("width", scaled.Width).Set("height", scaled.Height).Build();
            using var cropped = extract.Image();
            using var resize = new VipsOperation("thumbnail_image").Set("in", cropped).Set("width", outputWidth).Set("height", outputHeight)
                .Set("size", "force").Build();
            using var sized = resize.Image();
            using var flat = Flatten(sized);
            using var save = new VipsOperation("jpegsave_buffer").Set("in", flat).Set("Q", quality).Set("strip", true)
                .Set("optimize_coding", true).Set("subsample_mode", "on").Build();
            return save.Blob();
        }
        catch (VipsException ex)
        {
            throw Unreadable(ex);
        }
    }

    private static VipsImage ToGray(VipsImage image)
    {
        using var flat = Flatten(image);
        using var colourspace = new VipsOperation("colourspace").Set("in", flat).Set("space", "b-w").Build();
        using var gray = colourspace.Image();
        using var cast = new VipsOperation("cast").Set("in", gray).Set("format", "uchar").Build();
        return cast.Image();
    }

    /// <summary>Drops an alpha band over white, so transparent PNGs analyse and encode as people see them.</summary>
    private static VipsImage Flatten(VipsImage image)
    {
        if (image.Bands is not (2 or 4))
        {
            using var copy = new VipsOperation("copy").Set("in", image).Build();
            return copy.Image();
        }
        using var flatten = new VipsOperation("flatten").Set("in", image).Set("background", new[] { 255.0 }).Build();
        return flatten.Image();
    }

    private static PhotoRejectedException Unreadable(VipsException ex) =>
        new("decode", $"The image could not be decoded (it may be truncated or corrupt): {ex.Message.Split('\n')[0]}");
}

/// <summary>A rectangle in pixels.</summary>
public readonly record struct CropRegion(int X, int Y, int Width, int Height)
{
    public CropRegion Scale(double factor) => new((int)Math.Round(X * factor), (int)Math.Round(Y * factor),
        Math.Max(1, (int)Math.Round(Width * factor)), Math.Max(1, (int)Math.Round(Height * factor)));

    /// <summary>Moves the rectangle inside a width×height image, shrinking it only when it is larger than the image.</summary>
    public CropRegion ClampTo(int width, int height)
    {
        var w = Math.Min(Width, width);
        var h = Math.Min(Height, height);
        return new CropRegion(Math.Clamp(X, 0, width - w), Math.Clamp(Y, 0, height - h), w, h);
    }
}
