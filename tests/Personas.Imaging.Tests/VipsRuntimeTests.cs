using Personas.Imaging.Vips;

namespace Personas.Imaging.Tests;

public sealed class VipsRuntimeTests
{
    [Fact]
    public void Only_the_heif_module_is_loaded_so_no_second_sqlite_or_untrusted_loader_enters_the_process()
    {
        VipsRuntime.EnsureInitialized();
        using (new VipsOperation("heifload_buffer")) { } // HEIC uploads work
        foreach (var absent in new[] { "openslideload", "magickload_buffer", "pdfload_buffer" })
            Assert.Throws<VipsException>(() => new VipsOperation(absent));
        // The openslide module would map the system libsqlite3, whose symbols capture calls inside the bundled SQLite.
        Assert.DoesNotContain("libsqlite3.so", File.ReadAllText("/proc/self/maps"));
    }
}
