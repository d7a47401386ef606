using System.Reflection;
using System.Runtime.InteropServices;

namespace Personas.Imaging.Vips;

/// <summary>
/// Finds libvips and the GLib it was built with. On Debian that is libvips42 with the system GLib. Where no package
/// can be installed (a Flex Consumption Function App), the app ships NetVips.Native's single-file libvips, which
/// carries its own GLib and GObject: then every GLib call must go to that same file, or objects would cross two GLibs.
/// </summary>
internal static class VipsLibraryResolver
{
    /// <summary>A libvips file to use instead of the system's, as in tests of the bundled build.</summary>
    public const string OverrideVariable = "PERSONAS_VIPS_LIBRARY";

    /// <summary>
    /// Where an app that cannot install packages keeps its own libvips, relative to the app's folder.
    /// </summary>
    public const string BundledPath = "native/libvips.so.42";

    private static readonly Lazy<(nint Vips, bool CarriesGlib)> Loaded = new(Load);

    private static readonly Lazy<bool> Registered = new(() =>
    {
        NativeLibrary.SetDllImportResolver(typeof(VipsLibraryResolver).Assembly, Resolve);
        return true;
    });

    /// <summary>Before the first native call (the runtime allows one resolver per assembly, set once).</summary>
    public static void EnsureRegistered() => _ = Registered.Value;

    private static nint Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (name == NativeMethods.Vips) return Loaded.Value.Vips;
        if (name is NativeMethods.GObject or NativeMethods.GLib && Loaded.Value.CarriesGlib) return Loaded.Value.Vips;
        return 0; // the runtime's own lookup
    }

    private static (nint, bool) Load()
    {
        var chosen = Environment.GetEnvironmentVariable(OverrideVariable);
        var bundled = Path.Combine(AppContext.BaseDirectory, BundledPath);
        var vips = !string.IsNullOrEmpty(chosen) ? NativeLibrary.Load(chosen)
            : NativeLibrary.TryLoad(NativeMethods.Vips, out var system) ? system
            : File.Exists(bundled) ? NativeLibrary.Load(bundled)
            : throw new DllNotFoundException(
                $"libvips ({NativeMethods.Vips}) was not found. Install Debian's libvips42 (./personas does), " +
                "or ship " +
                $"NetVips.Native.linux-x64's file as {BundledPath} beside the app (the Function App does).");
        // Debian's libvips links GLib dynamically; the bundled one exports GLib's symbols itself.
        return (vips, NativeLibrary.TryGetExport(vips, "g_object_ref", out _));
    }
}
