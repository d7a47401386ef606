using Personas.Imaging.Resampling;
using static Personas.Imaging.Vips.NativeMethods;

namespace Personas.Imaging.Vips;

/// <summary>
/// An 8-bit RGB image read in strips through a libvips region: its pipeline (decode, crop, colour) runs strip by strip
/// as the strips are asked for, so the image never sits in memory whole. Decoding errors surface from <see cref="Read"/>.
/// A region belongs to the thread that made it, so one instance is used on one thread.
/// </summary>
internal sealed unsafe class VipsRows : IRowSource, IDisposable
{
    private readonly VipsImage _image;
    private nint _region;
    private void* _strip;

    public VipsRows(VipsImage image)
    {
        if (image.Bands != 3 || !image.IsEightBit) throw new ArgumentException($"Expected 8-bit RGB, not {image.Bands} bands.", nameof(image));
        _image = image;
        _region = vips_region_new(image.Pointer);
        if (_region == 0) throw VipsException.FromLastError("region_new");
    }

    public int Width => _image.Width;
    public int Height => _image.Height;

    public byte* Read(int top, int count)
    {
        FreeStrip();
        _strip = vips_region_fetch(_region, 0, top, Width, count, out var length);
        if (_strip is null) throw VipsException.FromLastError("region_fetch");
        if (length != (nuint)((long)Width * count * 3)) throw new VipsException($"region_fetch returned {length} bytes for {count} rows of {Width} pixels.");
        return (byte*)_strip;
    }

    public void Dispose()
    {
        FreeStrip();
        if (_region != 0) g_object_unref(_region);
        _region = 0;
        GC.KeepAlive(_image);
    }

    private void FreeStrip()
    {
        if (_strip is not null) g_free(_strip);
        _strip = null;
    }
}
