using System.Runtime.InteropServices;

namespace Personas.Imaging.Vips;

/// <summary>
/// libvips 8.14 (Debian's libvips42) and GObject, through fixed-prototype functions only. Variadic C functions are
/// never called: their floating-point arguments silently break from C# (../shared/libvips.md). Every operation goes
/// through the generic API in <see cref="VipsOperation"/> instead.
/// </summary>
internal static unsafe partial class NativeMethods
{
    internal const string Vips = "libvips.so.42";
    internal const string GObject = "libgobject-2.0.so.0";
    internal const string GLib = "libglib-2.0.so.0";

    [StructLayout(LayoutKind.Sequential)]
    public struct GValue
    {
        public nint GType;
        public long Data0, Data1;
    }

    [LibraryImport(Vips, StringMarshalling = StringMarshalling.Utf8)] public static partial int vips_init(string argv0);
    [LibraryImport(Vips)] public static partial void vips_concurrency_set(int concurrency);
    [LibraryImport(Vips)] public static partial void vips_cache_set_max(int max);
    [LibraryImport(Vips)] public static partial void vips_block_untrusted_set(int state);
    [LibraryImport(Vips)] public static partial nint vips_error_buffer_copy();
    [LibraryImport(Vips, StringMarshalling = StringMarshalling.Utf8)] public static partial nint vips_operation_new(string name);
    [LibraryImport(Vips)] public static partial int vips_cache_operation_buildp(ref nint operation);
    [LibraryImport(Vips)] public static partial void vips_object_unref_outputs(nint obj);
    [LibraryImport(Vips, StringMarshalling = StringMarshalling.Utf8)] public static partial int vips_enum_from_nick(string domain, nint type, string nick);
    [LibraryImport(Vips, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int vips_object_get_argument(nint obj, string name, out nint pspec, out nint argumentClass, out nint argumentInstance);
    [LibraryImport(Vips)] public static partial nint vips_blob_copy(void* data, nuint length);
    [LibraryImport(Vips)] public static partial void* vips_blob_get(nint blob, out nuint length);
    [LibraryImport(Vips)] public static partial void vips_area_unref(nint area);
    [LibraryImport(Vips)] public static partial void vips_value_set_array_double(GValue* value, double* array, int n);
    [LibraryImport(Vips)] public static partial void vips_value_set_array_int(GValue* value, int* array, int n);
    [LibraryImport(Vips)] public static partial int vips_image_get_width(nint image);
    [LibraryImport(Vips)] public static partial int vips_image_get_height(nint image);
    [LibraryImport(Vips)] public static partial int vips_image_get_bands(nint image);
    [LibraryImport(Vips, StringMarshalling = StringMarshalling.Utf8)] public static partial int vips_image_get_typeof(nint image, string name);
    [LibraryImport(Vips, StringMarshalling = StringMarshalling.Utf8)] public static partial int vips_image_get_int(nint image, string name, out int value);
    [LibraryImport(Vips)] public static partial int vips_image_get_format(nint image);
    [LibraryImport(Vips)] public static partial void* vips_image_write_to_memory(nint image, out nuint size);
    [LibraryImport(Vips)] public static partial nint vips_region_new(nint image);
    [LibraryImport(Vips)] public static partial void* vips_region_fetch(nint region, int left, int top, int width, int height, out nuint length);
    [LibraryImport(Vips)] public static partial nint vips_image_copy_memory(nint image);
    [LibraryImport(Vips)] public static partial nint vips_image_new_from_memory_copy(void* data, nuint size, int width, int height, int bands, int format);

    [LibraryImport(GObject)] public static partial void g_object_unref(nint obj);
    [LibraryImport(GObject, StringMarshalling = StringMarshalling.Utf8)] public static partial void g_object_set_property(nint obj, string name, GValue* value);
    [LibraryImport(GObject, StringMarshalling = StringMarshalling.Utf8)] public static partial void g_object_get_property(nint obj, string name, GValue* value);
    [LibraryImport(GObject)] public static partial GValue* g_value_init(GValue* value, nint type);
    [LibraryImport(GObject)] public static partial void g_value_unset(GValue* value);
    [LibraryImport(GObject)] public static partial void g_value_set_boolean(GValue* value, int v);
    [LibraryImport(GObject)] public static partial void g_value_set_int(GValue* value, int v);
    [LibraryImport(GObject)] public static partial void g_value_set_enum(GValue* value, int v);
    [LibraryImport(GObject)] public static partial void g_value_set_double(GValue* value, double v);
    [LibraryImport(GObject, StringMarshalling = StringMarshalling.Utf8)] public static partial void g_value_set_string(GValue* value, string v);
    [LibraryImport(GObject)] public static partial void g_value_set_object(GValue* value, nint v);
    [LibraryImport(GObject)] public static partial void g_value_set_boxed(GValue* value, nint v);
    [LibraryImport(GObject)] public static partial nint g_value_dup_object(GValue* value);
    [LibraryImport(GObject)] public static partial nint g_value_get_boxed(GValue* value);
    [LibraryImport(GObject)] public static partial int g_value_get_int(GValue* value);
    [LibraryImport(GObject)] public static partial nint g_type_fundamental(nint type);
    [LibraryImport(GObject, StringMarshalling = StringMarshalling.Utf8)] public static partial nint g_type_from_name(string name);

    [LibraryImport(GLib)] public static partial void g_free(void* memory);
}
