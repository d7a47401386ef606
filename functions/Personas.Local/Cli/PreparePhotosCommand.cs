using System.Globalization;
using System.Text.Json;
using Personas.Durable;
using Personas.Imaging.Analysis;
using Personas.Imaging.Faces;
using Personas.Imaging.Preparation;

namespace Personas.Local.Cli;

/// <summary>
/// <c>./personas prepare-photos --in DIR --out DIR [--mode portrait|fullbody]</c>: the photo pipeline the API runs
/// (decode, orient, check, score, detect the face, frame, encode) over a folder, one photo per core at a time. Writes
/// the framed JPEGs and report.json, and ends with <c>bench photos-per-second N</c>.
/// </summary>
public static class PreparePhotosCommand
{
    public sealed record PhotoReport(string File, bool Accepted, int Width, int Height, PhotoScores? Scores, IReadOnlyList<Rejection> Rejections,
        CropRegion? Face, CropRegion? Frame, string? Output);

    public static async Task<int> RunAsync(string[] args)
    {
        var options = Parse(args);
        if (options is null)
        {
            Console.Error.WriteLine("usage: prepare-photos --in DIR --out DIR [--mode portrait|fullbody]");
            return 2;
        }
        var (input, output, mode) = options.Value;
        if (!Directory.Exists(input)) { Console.Error.WriteLine($"No folder {input}."); return 2; }
        Directory.CreateDirectory(output);
        var files = Directory.EnumerateFiles(input).Where(f => !Path.GetFileName(f).StartsWith('.')).Order(StringComparer.Ordinal).ToList();
        var (items, elapsed) = await PhotoBatch.PrepareAsync(files, output, mode);
        var seconds = elapsed.TotalSeconds;
        var reports = items.Select(i => new PhotoReport(i.File, i.Inspection.Accepted, i.Inspection.Width, i.Inspection.Height, i.Inspection.Scores,
            i.Inspection.Rejections, i.Inspection.Face?.Box, i.Inspection.Frame, i.Output)).ToList();
        await File.WriteAllTextAsync(Path.Combine(output, "report.json"),
            JsonSerializer.Serialize(reports, PersonasDataConverter.DefaultOptions));
        foreach (var r in reports)
            Console.WriteLine(r.Accepted
                ? $"  accepted  {Path.GetFileName(r.File)}  overall {r.Scores!.Overall.Value}"
                : $"  rejected  {Path.GetFileName(r.File)}  {string.Join("; ", r.Rejections.Select(x => $"{x.Gate}: {x.Reason}"))}");
        Console.WriteLine($"{reports.Count(r => r.Accepted)} of {reports.Count} accepted in {seconds:0.00}s; framed photos and report.json in {Path.GetFullPath(output)}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"bench photos-per-second {files.Count / Math.Max(seconds, 1e-9):0.##}"));
        return 0;
    }

    private static (string In, string Out, PersonaMode Mode)? Parse(string[] args)
    {
        string? input = null, output = null;
        var mode = PersonaMode.Portrait;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--in": input = args[i + 1]; break;
                case "--out": output = args[i + 1]; break;
                case "--mode" when Enum.TryParse<PersonaMode>(args[i + 1], ignoreCase: true, out var m): mode = m; break;
                default: return null;
            }
        }
        return input is null || output is null || args.Length % 2 != 0 ? null : (input, output, mode);
    }
}
