using System.Runtime.InteropServices;
using Personas.Imaging.Resampling;
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
public static partial class PhotoDecoder
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
    public static GrayImage AnalysisImage(byte[] bytes, int longSide, PhotoHeader? header = null)
    {
        try
        {
            using var upright = PhotoFormats.Detect(bytes) == PhotoFormat.Jpeg ? ShrunkJpeg(bytes, longSide, header) : Thumbnail(bytes, longSide);
            using var gray = ToGray(upright);
            return new GrayImage(gray.Width, gray.Height, gray.ToBytes()).FitWithin(longSide);
        }
        catch (VipsException ex)
        {
            throw Unreadable(ex);
        }
    }

    /// <summary>
    /// A JPEG decoded at 1/8, 1/4 or 1/2 size in the DCT (the largest shrink that keeps the long side at
    /// <paramref name="longSide"/> or more), then turned upright. Cheaper than a thumbnail: no resampling in libvips.
    /// </summary>
    private static VipsImage ShrunkJpeg(byte[] bytes, int longSide, PhotoHeader? header)
    {
        var stored = header is not null ? Math.Max(header.Width, header.Height) : StoredLongSide(bytes);
        var shrink = new[] { 8, 4, 2 }.FirstOrDefault(f => stored / f >= longSide, 1);
        using var load = new VipsOperation("jpegload_buffer").Set("buffer", bytes).Set("fail_on", "truncated").Set("shrink", shrink).Build();
        using var loaded = load.Image();
        return Rotate(loaded);
    }

    private static int StoredLongSide(byte[] bytes)
    {
        using var probe = new VipsOperation("jpegload_buffer").Set("buffer", bytes).Build();
        using var image = probe.Image();
        return Math.Max(image.Width, image.Height);
    }

    private static VipsImage Thumbnail(byte[] bytes, int longSide)
    {
        using var thumbnail = new VipsOperation("thumbnail_buffer").Set("buffer", bytes).Set("width", longSide).Set("height", longSide)
            .Set("size", "down").Set("option_string", LoadOptions).Build();
        return thumbnail.Image();
    }

    /// <summary>
    /// Cuts <paramref name="region"/> (in upright, full-size coordinates) out of the photo and returns it as a JPEG of
    /// exactly <paramref name="outputWidth"/>×<paramref name="outputHeight"/>, metadata stripped. The photo is shrunk on load
    /// as far as the crop allows (JPEG shrink-on-load), rotated only when its EXIF orientation says so, and cropped before
    /// it is resampled, so the work follows the crop rather than the whole photo.
    /// </summary>
    public static byte[] Frame(byte[] bytes, PhotoHeader header, CropRegion region, int outputWidth, int outputHeight, int quality = 92)
    {
        try
        {
            using var framed = FrameImage(bytes, header, region, outputWidth, outputHeight);
            using var save = new VipsOperation("jpegsave_buffer").Set("in", framed).Set("Q", quality).Set("strip", true)
                .Set("subsample_mode", "on").Build();
            return save.Blob();
        }
        catch (VipsException ex)
        {
            throw Unreadable(ex);
        }
    }

    /// <summary>
    /// The same cut as <see cref="Frame"/>, as interleaved 8-bit RGB pixels (row by row) rather than a JPEG: what a
    /// model reads, without a lossy round trip. A region reaching past the photo is moved inside it unless
    /// <paramref name="outOfBounds"/> says to pad it black (<see cref="OutOfBounds"/>).
    /// </summary>
    public static byte[] FramePixels(byte[] bytes, PhotoHeader header, CropRegion region, int outputWidth,
        int outputHeight, OutOfBounds outOfBounds = OutOfBounds.Clamp)
    {
        if (outOfBounds == OutOfBounds.Pad) return PaddedPixels(bytes, header, region, outputWidth, outputHeight);
        try
        {
            using var framed = FrameImage(bytes, header, region, outputWidth, outputHeight);
            return framed.ToBytes();
        }
        catch (VipsException ex)
        {
            throw Unreadable(ex);
        }
    }

    private static VipsImage FrameImage(byte[] bytes, PhotoHeader header, CropRegion region, int outputWidth,
        int outputHeight)
    {
        // JPEGs decode at 1/2, 1/4 or 1/8 size almost for free: use the largest shrink that still leaves the crop at
        // full output size.
        var scale = Math.Max((double)outputWidth / region.Width, (double)outputHeight / region.Height);
        var shrink = header.Format != PhotoFormat.Jpeg ? 1 : new[] { 8, 4, 2 }.FirstOrDefault(f => 1.0 / f >= scale, 1);
        // Decoded top to bottom and only as far as the crop reaches. The crop is cut in the photo's stored orientation
        // and only the crop is turned upright, so a sideways phone photo is never rotated whole.
        var simpleTurn = header.Orientation is 1 or 3 or 6 or 8;
        using var load = new VipsOperation(header.Format.Loader()).Set("buffer", bytes).Set("fail_on", "truncated")
            .Set("access", simpleTurn ? "sequential" : "random");
        if (shrink > 1) load.Set("shrink", shrink);
        load.Build();
        using var loaded = load.Image();
        using var source = simpleTurn ? Copy(loaded) : Rotate(loaded);
        var orientation = simpleTurn ? header.Orientation : 1;
        var turned = orientation is 6 or 8;
        var factor = (double)(turned ? source.Height : source.Width) / header.Width;
        var upright = region.Scale(factor)
            .ClampTo(turned ? source.Height : source.Width, turned ? source.Width : source.Height);
        var stored = ToStored(upright, orientation, source.Width, source.Height);
        using var extract = new VipsOperation("extract_area").Set("input", source)
            .Set("left", stored.X).Set("top", stored.Y).Set("width", stored.Width).Set("height", stored.Height).Build();
        using var storedCrop = extract.Image();
        using var flat = ToSrgb(storedCrop);
        // Resampled while still in stored orientation, so only the small result is turned upright.
        var (storedWidth, storedHeight) = turned ? (outputHeight, outputWidth) : (outputWidth, outputHeight);
        using var sized = Resample(flat, storedWidth, storedHeight);
        return orientation == 1 ? Copy(sized) : Turn(sized, orientation);
    }

    /// <summary>
    /// Resamples to exactly width×height with Lanczos-3 (<see cref="Resampler"/>): sharp both ways, and several times
    /// faster than libvips' resize here, whose horizontal pass is scalar and whose enlargement is a general affine
    /// transform (docs/benchmarks.md). The image is read strip by strip, never whole. A crop four or more times the
    /// output (possible only for formats without JPEG's shrink-on-load) is first box-shrunk by an integer factor that
    /// leaves Lanczos at least a 2× reduction, as libvips' own resize does.
    /// </summary>
    private static unsafe VipsImage Resample(VipsImage image, int width, int height)
    {
        using var rgb = image.IsEightBit ? Copy(image) : Cast(image, "uchar");
        var boxShrink = (int)(Math.Min((double)rgb.Width / width, (double)rgb.Height / height) / 2);
        using var source = boxShrink >= 2 ? Shrink(rgb, boxShrink) : Copy(rgb);
        var size = (nuint)width * (nuint)height * 3;
        var pixels = (byte*)NativeMemory.Alloc(size);
        try
        {
            using (var rows = new VipsRows(source)) Resampler.Resize(rows, pixels, width, height);
            return VipsImage.FromPixels(pixels, size, width, height, 3);
        }
        finally
        {
            NativeMemory.Free(pixels);
        }
    }

    /// <summary>Where an upright rectangle lies in the image as stored, for EXIF orientations 1, 3, 6 and 8 (no mirroring).</summary>
    internal static CropRegion ToStored(CropRegion upright, int orientation, int storedWidth, int storedHeight) => orientation switch
    {
        3 => new(storedWidth - upright.X - upright.Width, storedHeight - upright.Y - upright.Height, upright.Width, upright.Height),
        6 => new(upright.Y, storedHeight - upright.X - upright.Width, upright.Height, upright.Width),
        8 => new(storedWidth - upright.Y - upright.Height, upright.X, upright.Height, upright.Width),
        _ => upright,
    };

    private static VipsImage Turn(VipsImage image, int orientation)
    {
        using var rotate = new VipsOperation("rot").Set("in", image).Set("angle", orientation switch { 3 => "d180", 6 => "d90", _ => "d270" }).Build();
        return rotate.Image();
    }

    private static VipsImage Rotate(VipsImage image)
    {
        using var rotate = new VipsOperation("autorot").Set("in", image).Build();
        return rotate.Image();
    }

    internal static VipsImage Copy(VipsImage image)
    {
        using var copy = new VipsOperation("copy").Set("in", image).Build();
        return copy.Image();
    }

    private static VipsImage ToGray(VipsImage image)
    {
        using var flat = ToSrgb(image);
        using var colourspace = new VipsOperation("colourspace").Set("in", flat).Set("space", "b-w").Build();
        using var gray = colourspace.Image();
        return Cast(gray, "uchar");
    }

    private static VipsImage Shrink(VipsImage image, int factor)
    {
        using var shrink = new VipsOperation("shrink").Set("in", image).Set("hshrink", (double)factor).Set("vshrink", (double)factor).Build();
        return shrink.Image();
    }

    private static VipsImage Cast(VipsImage image, string format)
    {
        using var cast = new VipsOperation("cast").Set("in", image).Set("format", format).Build();
        return cast.Image();
    }

    /// <summary>
    /// 8-bit sRGB without alpha, as people see the photo: CMYK, 16-bit and grey convert to sRGB first (so a CMYK photo's
    /// black channel is never taken for alpha), then a real alpha band is flattened over white.
    /// </summary>
    internal static VipsImage ToSrgb(VipsImage image)
    {
        using var colourspace = new VipsOperation("colourspace").Set("in", image).Set("space", "srgb").Build();
        using var srgb = colourspace.Image();
        if (srgb.Bands != 4) return Copy(srgb);
        using var flatten = new VipsOperation("flatten").Set("in", srgb).Set("background", new[] { 255.0, 255.0, 255.0 }).Build();
        return flatten.Image();
    }

    private static PhotoRejectedException Unreadable(VipsException ex) =>
        new("decode", "The image could not be decoded: it may be truncated or corrupt."); // not libvips' own text
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
