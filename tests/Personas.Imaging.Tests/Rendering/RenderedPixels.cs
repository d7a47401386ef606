using Personas.Imaging.Analysis;
using Personas.Imaging.Faces;
using Personas.Imaging.Rendering;
using Personas.Imaging.Vips;

namespace Personas.Imaging.Tests.Rendering;

/// <summary>Measurements on rendered JPEGs, decoded again as a viewer would: the face found, seams, colours.</summary>
internal static class RenderedPixels
{
    /// <summary>The full-size gray picture.</summary>
    public static GrayImage Gray(byte[] jpeg)
    {
        var header = PhotoDecoder.ReadHeader(jpeg, 50_000_000);
        return PhotoDecoder.AnalysisImage(jpeg, Math.Max(header.Width, header.Height), header);
    }

    /// <summary>The largest frontal face the detector finds on the decoded picture, in its pixels.</summary>
    public static CropRegion? Face(byte[] jpeg)
    {
        var header = PhotoDecoder.ReadHeader(jpeg, 50_000_000);
        var gray = PhotoDecoder.AnalysisImage(jpeg, 480, header);
        var faces = FaceDetector.FrontalFace.Detect(gray, Math.Min(gray.Width, gray.Height) / 10);
        return faces.Count == 0 ? null : faces.MaxBy(f => f.Box.Width * f.Box.Height)!.Box
            .Scale((double)header.Width / gray.Width);
    }

    /// <summary>
    /// The largest mean step between neighbouring columns (rows when <paramref name="rows"/>), over rows
    /// <paramref name="from"/>..<paramref name="to"/>: a hard seam that runs the whole frame shows up as one big step.
    /// </summary>
    public static (double Step, int At) WorstSeam(GrayImage image, bool rows = false, int from = 0, int to = -1)
    {
        var (length, across) = rows ? (image.Height, image.Width) : (image.Width, image.Height);
        if (to < 0) to = across;
        var (worst, at) = (0.0, 0);
        for (var i = 0; i + 1 < length; i++)
        {
            long sum = 0;
            for (var j = from; j < to; j++)
                sum += rows ? Math.Abs(image[j, i + 1] - image[j, i]) : Math.Abs(image[i + 1, j] - image[i, j]);
            var mean = (double)sum / (to - from);
            if (mean > worst) (worst, at) = (mean, i);
        }
        return (worst, at);
    }

    /// <summary>Rows of the picture where any pixel is close to <paramref name="rgb"/>.</summary>
    public static IReadOnlyList<int> RowsWithColour(byte[] jpeg, double[] rgb, int tolerance = 60)
    {
        using var image = Canvas.Decode(jpeg);
        var pixels = image.ToBytes();
        var rows = new List<int>();
        for (var y = 0; y < image.Height; y++)
            for (var x = 0; x < image.Width; x++)
            {
                var i = (y * image.Width + x) * 3;
                var distance = Math.Abs(pixels[i] - rgb[0]) + Math.Abs(pixels[i + 1] - rgb[1])
                    + Math.Abs(pixels[i + 2] - rgb[2]);
                if (distance > tolerance) continue;
                rows.Add(y);
                break;
            }
        return rows;
    }

    /// <summary>
    /// Keeps the picture for review by eye when PERSONAS_RENDER_DIR is set: full size, and a 480 px JPEG and PNG
    /// (for docs and for viewers that show only PNG) in its small/ folder.
    /// </summary>
    public static void Keep(byte[] jpeg, string name)
    {
        if (Environment.GetEnvironmentVariable("PERSONAS_RENDER_DIR") is not { Length: > 0 } dir) return;
        Directory.CreateDirectory(Path.Combine(dir, "small"));
        File.WriteAllBytes(Path.Combine(dir, name), jpeg);
        File.WriteAllBytes(Path.Combine(dir, "small", Path.ChangeExtension(name, ".png")), Small(jpeg,
            "pngsave_buffer"));
        File.WriteAllBytes(Path.Combine(dir, "small", name), Small(jpeg, "jpegsave_buffer"));
    }

    /// <summary>A 480 px copy; each save reads its own thumbnail, which streams top to bottom only once.</summary>
    private static byte[] Small(byte[] jpeg, string saver)
    {
        using var thumbnail = new VipsOperation("thumbnail_buffer").Set("buffer", jpeg).Set("width", 480).Set("height",
            480).Build();
        using var small = thumbnail.Image();
        using var save = new VipsOperation(saver).Set("in", small).Set("strip", true).Build();
        return save.Blob();
    }
}
