using System.Diagnostics;
using Personas.TestPhotos;

namespace Personas.Functions.Tests.FunctionApp;

/// <summary>
/// A Flex Consumption instance has no apt: the Function App carries libvips (NetVips.Native's single file) and OpenCV's
/// face cascade. The photo pipeline must give the same verdicts on that libvips as on Debian's.
/// </summary>
public sealed class BundledNativesTests
{
    private static readonly string AppDir = Path.GetDirectoryName(FunctionAppOutput.MetadataPath)!;

    [Fact]
    public void The_function_app_carries_libvips_and_the_face_cascade()
    {
        Assert.True(new FileInfo(Path.Combine(AppDir, "native", "libvips.so.42")).Length > 1_000_000);
        Assert.Contains("opencv_storage", File.ReadAllText(Path.Combine(AppDir, "models", "haarcascade_frontalface_default.xml")));
    }

    [Fact]
    public async Task The_bundled_libvips_gives_the_same_photo_verdicts_as_debians()
    {
        var system = await PreparePhotosAsync(vipsLibrary: null);
        var bundled = await PreparePhotosAsync(Path.Combine(AppDir, "native", "libvips.so.42"));

        Assert.Equal(0, system.Exit);
        Assert.Equal(0, bundled.Exit);
        Assert.Equal(3, system.Verdicts.Count(v => v.StartsWith("accepted", StringComparison.Ordinal)));
        Assert.Equal(system.Verdicts, bundled.Verdicts);
    }

    [Fact]
    public async Task A_missing_library_named_by_the_setting_fails_loudly()
    {
        var missing = await PreparePhotosAsync(Path.Combine(Path.GetTempPath(), "no-such-libvips.so"));
        Assert.NotEqual(0, missing.Exit);
        Assert.Contains("no-such-libvips.so", missing.Output);
    }

    private static async Task<(int Exit, string Output, List<string> Verdicts)> PreparePhotosAsync(string? vipsLibrary)
    {
        var output = Path.Combine(Path.GetTempPath(), "personas-bundled-vips", Guid.NewGuid().ToString("N"));
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "Personas.Local.dll"), "prepare-photos",
                     "--in", Path.Combine(TestEnvironment.RepositoryRoot, "tests", "testdata", "faces"), "--out", output })
            start.ArgumentList.Add(arg);
        if (vipsLibrary is not null) start.Environment["PERSONAS_VIPS_LIBRARY"] = vipsLibrary;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(deadline.Token);
        var text = await stdout + await stderr;
        try { Directory.Delete(output, recursive: true); } catch (DirectoryNotFoundException) { }
        var verdicts = text.Split('\n').Select(l => l.Trim())
            .Where(l => l.StartsWith("accepted", StringComparison.Ordinal) || l.StartsWith("rejected", StringComparison.Ordinal))
            .ToList();
        return (process.ExitCode, text, verdicts);
    }
}
