using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using Personas.Imaging.Vips;

namespace Personas.TestPhotos;

/// <summary>The public-domain test portraits (tests/testdata/faces/README.md) and hand-made bad files.</summary>
public static class Samples
{
    public static byte[] Load(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "testdata", "faces", name));

    /// <summary>A real decompression bomb: a valid grayscale PNG of width×height zeros, a few hundred KB on disk.</summary>
    public static byte[] PngBomb(int width, int height)
    {
        using var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8; // bit depth; colour type 0 (gray), default compression, filter and interlace
        Chunk(png, "IHDR", ihdr);
        using var compressed = new MemoryStream();
        using (var z = new ZLibStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            var row = new byte[width + 1]; // filter byte 0, then zeros
            for (var y = 0; y < height; y++) z.Write(row);
        }
        Chunk(png, "IDAT", compressed.ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    /// <summary>Re-encodes a sample through libvips with the given operation applied, as a JPEG.</summary>
    public static byte[] Transform(byte[] jpeg, Func<VipsImage, VipsImage> change, int quality = 90)
    {
        using var load = new VipsOperation("jpegload_buffer").Set("buffer", jpeg).Build();
        using var image = load.Image();
        using var changed = change(image);
        using var save = new VipsOperation("jpegsave_buffer").Set("in", changed).Set("Q", quality).Build();
        return save.Blob();
    }

    public static VipsImage Apply(VipsImage image, string operation, params (string Name, object Value)[] options)
    {
        using var op = new VipsOperation(operation).Set(operation is "gaussblur" or "rot" or "resize" or "copy" ? "in" : "input", image);
        foreach (var (name, value) in options) op.Set(name, value);
        op.Build();
        return op.Image();
    }

    /// <summary>Inserts an EXIF block whose only tag is Orientation, right after the JPEG's start marker.</summary>
    public static byte[] WithExifOrientation(byte[] jpeg, ushort orientation)
    {
        var tiff = new byte[26];
        "MM\0*"u8.CopyTo(tiff);
        BinaryPrimitives.WriteInt32BigEndian(tiff.AsSpan(4), 8);     // IFD0 offset
        BinaryPrimitives.WriteUInt16BigEndian(tiff.AsSpan(8), 1);    // one entry
        BinaryPrimitives.WriteUInt16BigEndian(tiff.AsSpan(10), 0x0112);
        BinaryPrimitives.WriteUInt16BigEndian(tiff.AsSpan(12), 3);   // SHORT
        BinaryPrimitives.WriteInt32BigEndian(tiff.AsSpan(14), 1);
        BinaryPrimitives.WriteUInt16BigEndian(tiff.AsSpan(18), orientation);
        var payload = Encoding.ASCII.GetBytes("Exif\0\0").Concat(tiff).ToArray();
        var segment = new byte[4 + payload.Length];
        segment[0] = 0xFF; segment[1] = 0xE1;
        BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(2), (ushort)(payload.Length + 2));
        payload.CopyTo(segment, 4);
        return jpeg[..2].Concat(segment).Concat(jpeg[2..]).ToArray();
    }

    private static void Chunk(Stream png, string type, byte[] data)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        png.Write(length);
        var typed = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        png.Write(typed);
        BinaryPrimitives.WriteUInt32BigEndian(length, Crc32(typed));
        png.Write(length);
    }

    /// <summary>The PNG chunk checksum (CRC-32, polynomial 0xEDB88320); libpng refuses chunks whose CRC is wrong.</summary>
    private static uint Crc32(byte[] data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
        }
        return ~crc;
    }

    /// <summary>
    /// A large photo for benchmarks: a sample scaled to about <paramref name="megapixels"/> MP with sensor-like noise, so it
    /// compresses like a real camera JPEG. With <paramref name="sideways"/>, it is stored rotated with EXIF orientation 6, as phones do.
    /// </summary>
    public static byte[] LargePhoto(byte[] sample, double megapixels, int seed, bool sideways)
    {
        using var load = new VipsOperation("jpegload_buffer").Set("buffer", sample).Build();
        using var image = load.Image();
        var scale = Math.Sqrt(megapixels * 1e6 / ((double)image.Width * image.Height));
        using var big = Apply(image, "resize", ("scale", scale));
        using var noiseOp = new VipsOperation("gaussnoise").Set("width", big.Width).Set("height", big.Height).Set("sigma", 6.0).Set("mean", 0.0).Set("seed", seed).Build();
        using var noise = noiseOp.Image();
        using var addOp = new VipsOperation("add").Set("left", big).Set("right", noise).Build();
        using var noisy = addOp.Image();
        using var castOp = new VipsOperation("cast").Set("in", noisy).Set("format", "uchar").Build();
        using var cast = castOp.Image();
        using var stored = sideways ? Apply(cast, "rot", ("angle", "d270")) : Apply(cast, "copy");
        using var save = new VipsOperation("jpegsave_buffer").Set("in", stored).Set("Q", 90).Build();
        var jpeg = save.Blob();
        return sideways ? WithExifOrientation(jpeg, 6) : jpeg;
    }
}
