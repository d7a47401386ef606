using System.Runtime.InteropServices;

namespace Personas.Imaging.Vips;

/// <summary>libvips refused an image or an operation; the message is libvips' own.</summary>
public sealed class VipsException(string message) : Exception(message)
{
    internal static unsafe VipsException FromLastError(string operation)
    {
        var buffer = NativeMethods.vips_error_buffer_copy();
        var text = Marshal.PtrToStringUTF8(buffer)?.Trim() ?? "";
        NativeMethods.g_free((void*)buffer);
        return new VipsException(string.IsNullOrEmpty(text) ? $"{operation} failed" : $"{operation}: {text}");
    }
}
