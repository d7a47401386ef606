using static Personas.Imaging.Vips.NativeMethods;

namespace Personas.Imaging.Vips;

/// <summary>
/// Starts libvips once per process, with the settings uploads need: untrusted loaders (ImageMagick and the like)
/// blocked, one libvips thread per operation because callers already run one photo per core, and no operation
/// cache because every upload is unique and the cache would only hold memory.
/// </summary>
public static class VipsRuntime
{
    private static readonly Lazy<bool> Started = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);

    internal static nint BlobType { get; private set; }
    internal static nint ArrayDoubleType { get; private set; }
    internal static nint ArrayIntType { get; private set; }

    public static void EnsureInitialized() => _ = Started.Value;

    private static bool Start()
    {
        if (vips_init("personas") != 0) throw VipsException.FromLastError("vips_init");
        vips_block_untrusted_set(1);
        vips_concurrency_set(1);
        vips_cache_set_max(0);
        BlobType = g_type_from_name("VipsBlob");
        ArrayDoubleType = g_type_from_name("VipsArrayDouble");
        ArrayIntType = g_type_from_name("VipsArrayInt");
        return true;
    }
}
