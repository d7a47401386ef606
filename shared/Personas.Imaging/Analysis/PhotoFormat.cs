namespace Personas.Imaging.Analysis;

public enum PhotoFormat { Jpeg, Png, WebP, Heic }

/// <summary>Recognises the accepted formats from their first bytes; the file name and declared type are never trusted.</summary>
public static class PhotoFormats
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
    private static readonly string[] HeicBrands = ["heic", "heix", "hevc", "hevx", "heim", "heis", "mif1", "msf1"];

    public static PhotoFormat? Detect(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length >= 3 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF) return PhotoFormat.Jpeg;
        if (bytes.Length >= 8 && bytes[..8].SequenceEqual(PngSignature)) return PhotoFormat.Png;
        if (bytes.Length >= 12 && bytes[..4].SequenceEqual("RIFF"u8) && bytes[8..12].SequenceEqual("WEBP"u8)) return PhotoFormat.WebP;
        if (bytes.Length >= 12 && bytes[4..8].SequenceEqual("ftyp"u8) && HeicBrands.Contains(System.Text.Encoding.ASCII.GetString(bytes[8..12]))) return PhotoFormat.Heic;
        return null;
    }

    /// <summary>The libvips loader for a format; only these four are ever used on uploads.</summary>
    internal static string Loader(this PhotoFormat format) => format switch
    {
        PhotoFormat.Jpeg => "jpegload_buffer",
        PhotoFormat.Png => "pngload_buffer",
        PhotoFormat.WebP => "webpload_buffer",
        PhotoFormat.Heic => "heifload_buffer",
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };
}
