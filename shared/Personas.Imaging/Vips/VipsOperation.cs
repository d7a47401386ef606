using static Personas.Imaging.Vips.NativeMethods;

namespace Personas.Imaging.Vips;

/// <summary>
/// One libvips operation through its generic API: create it by name, set each input with the type its own GParamSpec
/// declares, build it (through libvips' operation cache), read the outputs. Any operation and option is reachable
/// without a new native declaration, and no C varargs are involved.
/// </summary>
public sealed unsafe class VipsOperation : IDisposable
{
    // G_TYPE_MAKE_FUNDAMENTAL(n) = n << 2
    private const nint GBoolean = 5 << 2, GInt = 6 << 2, GEnum = 12 << 2, GFlags = 13 << 2, GDouble = 15 << 2, GString = 16 << 2, GBoxed = 18 << 2, GObjectType = 20 << 2;
    private const int ParamSpecValueTypeOffset = 24; // GParamSpec.value_type on LP64, as NetVips assumes too

    private readonly string _name;
    private nint _operation;

    public VipsOperation(string name)
    {
        VipsRuntime.EnsureInitialized();
        _name = name;
        _operation = vips_operation_new(name);
        if (_operation == 0) throw VipsException.FromLastError(name);
    }

    public VipsOperation Set(string name, object value)
    {
        var type = ArgumentType(name);
        GValue gv = default;
        g_value_init(&gv, type);
        try
        {
            switch (g_type_fundamental(type))
            {
                case GBoolean: g_value_set_boolean(&gv, (bool)value ? 1 : 0); break;
                case GInt: g_value_set_int(&gv, Convert.ToInt32(value)); break;
                case GDouble: g_value_set_double(&gv, Convert.ToDouble(value)); break;
                case GString: g_value_set_string(&gv, (string)value); break;
                case GEnum or GFlags:
                    var number = value is string nick ? vips_enum_from_nick(_name, type, nick) : Convert.ToInt32(value);
                    if (number < 0) throw VipsException.FromLastError(_name);
                    g_value_set_enum(&gv, number);
                    break;
                case GObjectType:
                    g_value_set_object(&gv, ((VipsImage)value).Pointer); // the GValue takes its own reference
                    GC.KeepAlive(value);
                    break;
                case GBoxed when type == VipsRuntime.BlobType:
                    var bytes = value as byte[] ?? ((ReadOnlyMemory<byte>)value).ToArray();
                    fixed (byte* p = bytes)
                    {
                        var blob = vips_blob_copy(p, (nuint)bytes.Length); // one copy, so nothing managed stays pinned
                        g_value_set_boxed(&gv, blob);
                        vips_area_unref(blob);
                    }
                    break;
                case GBoxed when type == VipsRuntime.ArrayDoubleType:
                    var doubles = (double[])value;
                    fixed (double* p = doubles) vips_value_set_array_double(&gv, p, doubles.Length);
                    break;
                case GBoxed when type == VipsRuntime.ArrayIntType:
                    var ints = (int[])value;
                    fixed (int* p = ints) vips_value_set_array_int(&gv, p, ints.Length);
                    break;
                default:
                    throw new NotSupportedException($"{_name}.{name}: argument type {type} is not supported.");
            }
            g_object_set_property(_operation, name, &gv);
        }
        finally
        {
            g_value_unset(&gv);
        }
        return this;
    }

    public VipsOperation Build()
    {
        if (vips_cache_operation_buildp(ref _operation) != 0) throw VipsException.FromLastError(_name);
        return this;
    }

    public VipsImage Image(string name = "out") => Get(name, gv => new VipsImage(g_value_dup_object(gv)));

    public int Int(string name) => Get(name, g_value_get_int);

    public byte[] Blob(string name = "buffer") => Get(name, gv =>
    {
        var data = vips_blob_get(g_value_get_boxed(gv), out var length);
        return new ReadOnlySpan<byte>(data, checked((int)length)).ToArray();
    });

    public void Dispose()
    {
        if (_operation == 0) return;
        vips_object_unref_outputs(_operation);
        g_object_unref(_operation);
        _operation = 0;
    }

    private T Get<T>(string name, GValueReader<T> read)
    {
        GValue gv = default;
        g_value_init(&gv, ArgumentType(name));
        try
        {
            g_object_get_property(_operation, name, &gv);
            return read(&gv);
        }
        finally
        {
            g_value_unset(&gv);
        }
    }

    private delegate T GValueReader<out T>(GValue* value);

    private nint ArgumentType(string name)
    {
        if (vips_object_get_argument(_operation, name, out var pspec, out _, out _) != 0) throw VipsException.FromLastError($"{_name}.{name}");
        return *(nint*)((byte*)pspec + ParamSpecValueTypeOffset);
    }
}
