using System.Runtime.InteropServices;

namespace Personas.Imaging.Vips;

/// <summary>One reference to a libvips image. libvips is lazy: pixels are computed when something reads them.</summary>
public sealed class VipsImage : SafeHandle
{
    internal VipsImage(nint handle) : base(0, ownsHandle: true) => SetHandle(handle);

    public override bool IsInvalid => handle == 0;
    internal nint Pointer => handle;

    public int Width => NativeMethods.vips_image_get_width(handle);
    public int Height => NativeMethods.vips_image_get_height(handle);
    public int Bands => NativeMethods.vips_image_get_bands(handle);

    /// <summary>An integer header field such as "orientation", or null when the image has none.</summary>
    public int? GetInt(string field) =>
        NativeMethods.vips_image_get_typeof(handle, field) != 0 && NativeMethods.vips_image_get_int(handle, field, out var value) == 0 ? value : null;

    /// <summary>True when each band is one unsigned byte (VIPS_FORMAT_UCHAR).</summary>
    public bool IsEightBit => NativeMethods.vips_image_get_format(handle) == 0;

    /// <summary>Computes every pixel and copies them out, band-interleaved. Decoding errors surface here.</summary>
    public unsafe byte[] ToBytes()
    {
        var data = NativeMethods.vips_image_write_to_memory(handle, out var size);
        if (data is null) throw VipsException.FromLastError("write_to_memory");
        try { return new ReadOnlySpan<byte>(data, checked((int)size)).ToArray(); }
        finally { NativeMethods.g_free(data); }
    }

    /// <summary>
    /// The pixels computed once into memory. libvips recomputes a lazy pipeline for every read, so an image read
    /// several times (measured, then composed, then encoded) is cheaper held in memory than recomputed.
    /// </summary>
    public VipsImage InMemory()
    {
        var image = NativeMethods.vips_image_copy_memory(handle);
        return image == 0 ? throw VipsException.FromLastError("copy_memory") : new VipsImage(image);
    }

    /// <summary>An 8-bit image from band-interleaved pixels; libvips keeps its own copy.</summary>
    internal static unsafe VipsImage FromPixels(byte* pixels, nuint size, int width, int height, int bands)
    {
        VipsRuntime.EnsureInitialized();
        if (size != (nuint)width * (nuint)height * (nuint)bands) throw new ArgumentException($"{size} bytes is not {width}×{height}×{bands}.", nameof(size));
        var image = NativeMethods.vips_image_new_from_memory_copy(pixels, size, width, height, bands, 0);
        return image == 0 ? throw VipsException.FromLastError("new_from_memory_copy") : new VipsImage(image);
    }

    protected override bool ReleaseHandle()
    {
        NativeMethods.g_object_unref(handle);
        return true;
    }
}
