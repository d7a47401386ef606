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

    /// <summary>The only optional libvips module uploads need: HEIF, for HEIC photos.</summary>
    private const string HeifModule = "vips-heif.so";

    private static bool Start()
    {
        VipsLibraryResolver.EnsureRegistered();
        LoadOnlyTheHeifModule();
        if (vips_init("personas") != 0) throw VipsException.FromLastError("vips_init");
        vips_block_untrusted_set(1);
        vips_concurrency_set(1);
        vips_cache_set_max(0);
        BlobType = g_type_from_name("VipsBlob");
        ArrayDoubleType = g_type_from_name("VipsArrayDouble");
        ArrayIntType = g_type_from_name("VipsArrayInt");
        return true;
    }

    /// <summary>
    /// libvips loads every module in its module folder at init, and loads them into the global symbol scope. Debian's
    /// openslide module brings the system libsqlite3, whose symbols then capture calls inside the SQLite the app bundles:
    /// two SQLite versions in one call chain, and a segfault (docs/decisions.md). Pointing VIPSHOME at a private folder
    /// that holds only the HEIF module keeps every other module, and their libraries, out of the process.
    /// </summary>
    private static void LoadOnlyTheHeifModule()
    {
        if (Environment.GetEnvironmentVariable("VIPSHOME") is not null) return; // an operator's explicit choice wins
        var folder = $"vips-modules-{ModuleVersion}";
        var system = new[] { "/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib", "/usr/local/lib" }
            .Select(dir => Path.Combine(dir, folder, HeifModule)).FirstOrDefault(File.Exists);
        var home = Path.Combine(Path.GetTempPath(), $"personas-vips-{Environment.UserName}");
        // libvips looks in VIPSHOME plus its configured libdir's last part: "x86_64-linux-gnu" on Debian, "lib" elsewhere.
        var libdirNames = new[] { "lib", system is null ? null : Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(system))) };
        foreach (var libdir in libdirNames.OfType<string>().Distinct())
        {
            var modules = Path.Combine(home, libdir, folder);
            Directory.CreateDirectory(modules);
            var link = Path.Combine(modules, HeifModule);
            if (system is not null && !File.Exists(link)) File.CreateSymbolicLink(link, system);
        }
        if (setenv("VIPSHOME", home, 1) != 0) throw new InvalidOperationException("Could not set VIPSHOME for libvips.");
    }

    private const string ModuleVersion = "8.14";

    [System.Runtime.InteropServices.DllImport("libc", CharSet = System.Runtime.InteropServices.CharSet.Ansi)]
    private static extern int setenv(string name, string value, int overwrite);
}
