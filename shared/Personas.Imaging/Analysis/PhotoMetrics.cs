using System.Numerics;

namespace Personas.Imaging.Analysis;

/// <summary>Exposure of a gray image: mean, spread, and how much of it is crushed to black or blown to white.</summary>
public sealed record Exposure(double Mean, double StandardDeviation, double CrushedFraction, double BlownFraction);

/// <summary>Measurements on the gray analysis image. Pure managed code: the image is small, so this is cheaper than more native calls.</summary>
public static class PhotoMetrics
{
    /// <summary>Variance of the 4-neighbour Laplacian: high when edges are crisp, low when the photo is blurred or out of focus.</summary>
    public static double LaplacianVariance(GrayImage image)
    {
        var (w, h, p) = (image.Width, image.Height, image.Pixels);
        if (w < 3 || h < 3) return 0;
        double sum = 0, sumSquares = 0;
        for (var y = 1; y < h - 1; y++)
        {
            var row = y * w;
            for (var x = 1; x < w - 1; x++)
            {
                var i = row + x;
                double laplacian = p[i - 1] + p[i + 1] + p[i - w] + p[i + w] - 4 * p[i];
                sum += laplacian;
                sumSquares += laplacian * laplacian;
            }
        }
        var n = (double)(w - 2) * (h - 2);
        var mean = sum / n;
        return sumSquares / n - mean * mean;
    }

    public static Exposure Exposure(GrayImage image)
    {
        Span<long> histogram = stackalloc long[256];
        foreach (var v in image.Pixels) histogram[v]++;
        double n = image.Pixels.Length, sum = 0, sumSquares = 0;
        for (var v = 0; v < 256; v++)
        {
            sum += histogram[v] * v;
            sumSquares += histogram[v] * (double)v * v;
        }
        var mean = sum / n;
        long crushed = 0, blown = 0;
        for (var v = 0; v <= 5; v++) crushed += histogram[v];
        for (var v = 250; v < 256; v++) blown += histogram[v];
        return new Exposure(mean, Math.Sqrt(Math.Max(0, sumSquares / n - mean * mean)), crushed / n, blown / n);
    }

    /// <summary>
    /// A 64-bit difference hash: the image at 9×8, one bit per horizontal neighbour pair. Re-encodes, resizes and mild
    /// edits change few bits, so a small Hamming distance means the same photo.
    /// </summary>
    public static ulong DifferenceHash(GrayImage image)
    {
        var small = image.Resize(9, 8);
        ulong hash = 0;
        for (var y = 0; y < 8; y++)
            for (var x = 0; x < 8; x++)
                hash = (hash << 1) | (small[x, y] < small[x + 1, y] ? 1UL : 0UL);
        return hash;
    }

    public static int HammingDistance(ulong a, ulong b) => BitOperations.PopCount(a ^ b);
}
