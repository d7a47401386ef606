using System.Diagnostics;
using System.Globalization;
using Personas.Imaging.Preparation;
using Personas.TestPhotos;

namespace Personas.Benchmarks;

/// <summary>
/// P3: photo preparation throughput on 6–12 MP JPEGs (a quarter stored sideways with EXIF orientation), ours against a
/// straightforward Pillow + numpy pipeline (pillow/prepare_photos.py) on the same files, in the same run: once as a
/// plain loop and once with a thread per core.
/// </summary>
internal static class PhotoBench
{
    public static async Task<int> RunAsync()
    {
        var folder = Path.Combine(Path.GetTempPath(), "personas-bench-photos", Guid.NewGuid().ToString("N"));
        var input = Path.Combine(folder, "in");
        Directory.CreateDirectory(input);
        try
        {
            var samples = new[] { ("obama.jpg", 12.0), ("obama2.jpg", 8.0), ("obama.jpg", 6.0), ("obama2.jpg", 10.0) };
            var files = new List<string>();
            for (var i = 0; i < 24; i++)
            {
                var (name, mp) = samples[i % samples.Length];
                var path = Path.Combine(input, $"photo{i:D2}.jpg");
                await File.WriteAllBytesAsync(path, Samples.LargePhoto(Samples.Load(name), mp, seed: i, sideways: i % 4 == 3));
                files.Add(path);
            }
            var totalMb = files.Sum(f => new FileInfo(f).Length) / 1048576.0;
            Console.WriteLine($"#   {files.Count} JPEGs of 6–12 MP, {totalMb:0} MB in all, a quarter stored sideways with EXIF orientation 6");

            await PhotoBatch.PrepareAsync(files.Take(2).ToList(), Path.Combine(folder, "warmup"), PersonaMode.Portrait); // JIT, libvips start
            var (items, elapsed) = await PhotoBatch.PrepareAsync(files, Path.Combine(folder, "ours"), PersonaMode.Portrait);
            var ours = files.Count / elapsed.TotalSeconds;
            Console.WriteLine($"#   ours: {items.Count(i => i.Inspection.Accepted || i.Inspection.Rejections.All(r => r.Gate == "duplicate"))} framed around a detected face in {elapsed.TotalSeconds:0.00}s");
            Report("photos-per-second", ours, "photos/s");

            foreach (var (label, threads) in new[] { ("pillow-sequential", 1), ("pillow-threaded", Environment.ProcessorCount) })
            {
                if (RunPillow(input, Path.Combine(folder, label), threads) is not { } theirs) break;
                Report($"{label}-photos-per-second", theirs, "photos/s");
                Report($"photos-speedup-vs-{label}", ours / theirs, "x");
            }
            return 0;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static double? RunPillow(string input, string output, int threads)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "pillow", "prepare_photos.py");
        var info = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { script, input, output, threads.ToString(CultureInfo.InvariantCulture) }) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEnd();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        var line = stdout.Split('\n').FirstOrDefault(l => l.StartsWith("pillow photos-per-second ", StringComparison.Ordinal));
        if (process.ExitCode == 0 && line is not null) return double.Parse(line.Split(' ')[^1], CultureInfo.InvariantCulture);
        Console.WriteLine($"#   the Pillow pipeline did not run (install python3-pil and python3-numpy): {stderr.Trim().Split('\n').LastOrDefault()}");
        return null;
    }

    public static void Report(string name, double value, string unit) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"bench {name} {value:0.###} {unit}"));
}
