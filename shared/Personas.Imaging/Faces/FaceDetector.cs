using Personas.Imaging.Analysis;

namespace Personas.Imaging.Faces;

/// <summary>A detected face: its box in the analysed image's pixels and how many overlapping windows agreed on it.</summary>
public sealed record DetectedFace(CropRegion Box, int Neighbours);

/// <summary>
/// Viola–Jones detection with an OpenCV Haar cascade, in managed code. The image is scanned at every scale of a
/// pyramid (each level 1/<see cref="ScaleStep"/> of the last) with the cascade's fixed window; windows are normalised by
/// their contrast, rejected stage by stage, and the survivors grouped: a face is a cluster of more than
/// <see cref="MinNeighbours"/> overlapping hits. This follows OpenCV's detectMultiScale, so the cascade's thresholds mean
/// what they were trained to mean.
/// </summary>
public sealed partial class FaceDetector(HaarCascade cascade)
{
    public double ScaleStep { get; init; } = 1.1;
    public int MinNeighbours { get; init; } = 3;
    public double GroupEps { get; init; } = 0.2;

    /// <summary>Evaluate eight windows at once where the CPU allows it; off only to check that both paths agree.</summary>
    internal bool UseVectors { get; init; } = true;

    private static readonly Lazy<FaceDetector> Frontal =
        new(() => new FaceDetector(HaarCascade.Load(HaarCascade.FrontalFacePath)));

    /// <summary>
    /// The detector over OpenCV's frontal-face cascade (<see cref="HaarCascade.FrontalFacePath"/>), loaded once.
    /// </summary>
    public static FaceDetector FrontalFace => Frontal.Value;

    public IReadOnlyList<DetectedFace> Detect(GrayImage image, int minFaceSize = 0)
    {
        var hits = new List<CropRegion>();
        for (var factor = 1.0; ; factor *= ScaleStep)
        {
            var width = (int)Math.Round(image.Width / factor);
            var height = (int)Math.Round(image.Height / factor);
            if (width < cascade.WindowWidth + 2 || height < cascade.WindowHeight + 2) break;
            if (cascade.WindowWidth * factor < minFaceSize) continue;
            var level = factor == 1.0 ? image : image.Resize(width, height);
            var integral = new IntegralImage(level);
            var compiled = _compiled.ForStride(integral.Stride);
            var step = factor > 2 ? 1 : 2;
            var size = (int)Math.Round(cascade.WindowWidth * factor);
            foreach (var (x, y) in compiled.Scan(integral, width, height, cascade.WindowWidth, cascade.WindowHeight, step, UseVectors))
                hits.Add(new CropRegion((int)Math.Round(x * factor), (int)Math.Round(y * factor), size, size));
        }
        return Group(hits);
    }

    private readonly CompiledCascade _compiled = new(cascade);

    /// <summary>OpenCV's groupRectangles: cluster similar boxes, keep clusters with enough members, drop boxes nested in stronger ones.</summary>
    private IReadOnlyList<DetectedFace> Group(List<CropRegion> hits)
    {
        var parent = Enumerable.Range(0, hits.Count).ToArray();
        int Find(int i) => parent[i] == i ? i : parent[i] = Find(parent[i]);
        for (var i = 0; i < hits.Count; i++)
            for (var j = i + 1; j < hits.Count; j++)
                if (Similar(hits[i], hits[j])) parent[Find(i)] = Find(j);

        var clusters = hits.Select((box, i) => (box, root: Find(i))).GroupBy(h => h.root)
            .Select(g => (Box: new CropRegion(
                (int)Math.Round(g.Average(h => h.box.X)), (int)Math.Round(g.Average(h => h.box.Y)),
                (int)Math.Round(g.Average(h => h.box.Width)), (int)Math.Round(g.Average(h => h.box.Height))), Count: g.Count()))
            .Where(c => c.Count > MinNeighbours)
            .ToList();

        return clusters.Where(inner => !clusters.Any(outer => outer.Box != inner.Box
                && outer.Count > Math.Max(3, inner.Count) && Inside(inner.Box, outer.Box)))
            .Select(c => new DetectedFace(c.Box, c.Count)).OrderByDescending(f => f.Neighbours).ToList();
    }

    private bool Similar(CropRegion a, CropRegion b)
    {
        var delta = GroupEps * (Math.Min(a.Width, b.Width) + Math.Min(a.Height, b.Height)) * 0.5;
        return Math.Abs(a.X - b.X) <= delta && Math.Abs(a.Y - b.Y) <= delta
            && Math.Abs(a.X + a.Width - b.X - b.Width) <= delta && Math.Abs(a.Y + a.Height - b.Y - b.Height) <= delta;
    }

    private bool Inside(CropRegion inner, CropRegion outer)
    {
        var dx = (int)Math.Round(outer.Width * GroupEps);
        var dy = (int)Math.Round(outer.Height * GroupEps);
        return inner.X >= outer.X - dx && inner.Y >= outer.Y - dy
            && inner.X + inner.Width <= outer.X + outer.Width + dx && inner.Y + inner.Height <= outer.Y + outer.Height + dy;
    }

    /// <summary>Summed-area tables of pixels and squared pixels: any rectangle's sum in four lookups.</summary>
    internal sealed class IntegralImage
    {
        private readonly int _stride;
        private readonly int[] _sum;
        private readonly long[] _squares;

        public int Stride => _stride;
        public int[] Sums => _sum;
        public long[] Squares => _squares;

        public IntegralImage(GrayImage image)
        {
            _stride = image.Width + 1;
            _sum = new int[_stride * (image.Height + 1)];
            _squares = new long[_stride * (image.Height + 1)];
            for (var y = 0; y < image.Height; y++)
            {
                int rowSum = 0;
                long rowSquares = 0;
                for (var x = 0; x < image.Width; x++)
                {
                    int v = image.Pixels[y * image.Width + x];
                    rowSum += v;
                    rowSquares += v * v;
                    _sum[(y + 1) * _stride + x + 1] = _sum[y * _stride + x + 1] + rowSum;
                    _squares[(y + 1) * _stride + x + 1] = _squares[y * _stride + x + 1] + rowSquares;
                }
            }
        }
    }
}
