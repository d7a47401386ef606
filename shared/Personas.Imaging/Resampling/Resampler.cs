using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Personas.Imaging.Resampling;

/// <summary>
/// Separable Lanczos-3 resampling of 8-bit RGB, up or down, in 14-bit fixed point with 8-bit rounding between the
/// passes (as Pillow does). It exists because framing spent more time in libvips' resize than in decoding: its
/// horizontal reduce is scalar, and any enlargement goes through the general affine transform (docs/benchmarks.md).
/// Rows are summed in wide vectors; along a row, AVX2 sums four source pixels per multiply-add.
/// </summary>
internal static unsafe class Resampler
{
    private const int Bands = 3;
    private const int Precision = 14;
    private const int One = 1 << Precision;
    private const int Half = 1 << (Precision - 1);
    private const double Radius = 3;
    /// <summary>Every row buffer ends in this many spare bytes, so vector loads and stores may run past the last pixel.</summary>
    private const int Spare = 32;

    /// <summary>Source rows are read this many at a time, so a large crop never sits in memory whole.</summary>
    private const int StripRows = 64;

    /// <summary>
    /// Resamples the source into <paramref name="destination"/>: exactly outWidth×outHeight packed RGB pixels, written and
    /// never overrun. Source rows are read once, top to bottom, in strips, and only those the kernel reaches.
    /// </summary>
    public static void Resize(IRowSource source, byte* destination, int outWidth, int outHeight) =>
        Resize(source, destination, outWidth, outHeight, Avx2.IsSupported);

    internal static void Resize(IRowSource source, byte* destination, int outWidth, int outHeight, bool useAvx2)
    {
        var (width, height) = (source.Width, source.Height);
        ArgumentOutOfRangeException.ThrowIfLessThan(Math.Min(width, outWidth), MinWidth);
        var columns = Taps.For(width, outWidth);
        var rows = Taps.For(height, outHeight);
        var quads = useAvx2 ? columns.InterleavedQuads() : null;
        var (rowBytes, outRow) = (width * Bands, outWidth * Bands);
        var (firstRow, lastRow) = (rows.First[0], rows.First[outHeight - 1] + rows.Count[outHeight - 1]);
        var midStride = outRow + Spare;
        // Native scratch, freed at once: megabytes per photo that a pool would keep from the rest of the host.
        var middle = (byte*)NativeMemory.Alloc((nuint)((long)(lastRow - firstRow) * midStride));
        var line = (byte*)NativeMemory.Alloc((nuint)(rowBytes + Spare));
        try
        {
            fixed (short* q = quads)
                for (var top = firstRow; top < lastRow; top += StripRows)
                {
                    var count = Math.Min(StripRows, lastRow - top);
                    var strip = source.Read(top, count);
                    for (var i = 0; i < count; i++)
                    {
                        Buffer.MemoryCopy(strip + (long)i * rowBytes, line, rowBytes, rowBytes);
                        var target = middle + (long)(top + i - firstRow) * midStride;
                        if (q != null) HorizontalAvx2(line, target, columns, q);
                        else Horizontal(line, target, columns);
                    }
                }
            for (var y = 0; y < outHeight; y++)
                Vertical(middle + (long)(rows.First[y] - firstRow) * midStride, midStride, destination + (long)y * outRow, outRow, rows.Span(y));
        }
        finally
        {
            NativeMemory.Free(middle);
            NativeMemory.Free(line);
        }
    }

    /// <summary>Narrower images than this are not resampled here (the vector passes assume at least one full vector per row).</summary>
    public const int MinWidth = 16;

    /// <summary>
    /// One row, four taps per step: two 16-byte loads (pixels k, k+1 and k+2, k+3) are shuffled into 16-bit pairs per band
    /// and multiplied by weight pairs with adjacent sums (vpmaddwd), so each step adds four taps to all three bands.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void HorizontalAvx2(byte* row, byte* output, Taps taps, short* quads)
    {
        var pairUp = Vector256.Create((byte)0, 0x80, 3, 0x80, 1, 0x80, 4, 0x80, 2, 0x80, 5, 0x80, 0x80, 0x80, 0x80, 0x80,
            0, 0x80, 3, 0x80, 1, 0x80, 4, 0x80, 2, 0x80, 5, 0x80, 0x80, 0x80, 0x80, 0x80);
        var half = Vector128.Create(Half);
        var max = Vector128.Create(255);
        var weights = (Vector256<short>*)quads;
        for (var x = 0; x < taps.First.Length; x++)
        {
            var sum = Vector256<int>.Zero;
            var pixel = row + taps.First[x] * Bands;
            for (var q = taps.QuadCount(x); q > 0; q--, pixel += 4 * Bands, weights++)
            {
                var four = Vector256.Create(Vector128.Load(pixel), Vector128.Load(pixel + 2 * Bands));
                sum += Avx2.MultiplyAddAdjacent(Avx2.Shuffle(four, pairUp).AsInt16(), *weights);
            }
            var value = Vector128.ShiftRightArithmetic(sum.GetLower() + sum.GetUpper() + half, Precision);
            *(uint*)(output + x * Bands) = Narrow(Vector128.Min(Vector128.Max(value, Vector128<int>.Zero), max));
        }
    }

    /// <summary>One row, one tap at a time: the portable path where AVX2 is missing.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Horizontal(byte* row, byte* output, Taps taps)
    {
        var half = Vector128.Create(Half);
        var max = Vector128.Create(255);
        fixed (int* weights = taps.Weights)
            for (var x = 0; x < taps.First.Length; x++)
            {
                var sum = half;
                var pixel = row + taps.First[x] * Bands;
                var w = weights + taps.Offset[x];
                for (var k = 0; k < taps.Count[x]; k++, pixel += Bands)
                    sum += Vector128.Create(w[k]) * Vector128.WidenLower(Vector128.WidenLower(Vector128.CreateScalar(*(uint*)pixel).AsByte())).AsInt32();
                var value = Vector128.ShiftRightArithmetic(sum, Precision);
                *(uint*)(output + x * Bands) = Narrow(Vector128.Min(Vector128.Max(value, Vector128<int>.Zero), max));
            }
    }

    /// <summary>
    /// One output row from the rows under the kernel, 32 bytes (any bands) at a time. The last step overlaps the one
    /// before instead of running past the row, so the destination is never overrun.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Vertical(byte* first, int stride, byte* output, int length, ReadOnlySpan<int> weights)
    {
        var half = Vector256.Create(Half);
        var max = Vector256.Create(255);
        for (var x = 0; x < length; x += Vector256<byte>.Count)
        {
            if (x > length - Vector256<byte>.Count) x = length - Vector256<byte>.Count;
            Vector256<int> a = half, b = half, c = half, d = half;
            var source = first + x;
            foreach (var weight in weights)
            {
                var w = Vector256.Create(weight);
                var (low, high) = Vector256.Widen(Vector256.Load(source));
                var (l0, l1) = Vector256.Widen(low);
                var (h0, h1) = Vector256.Widen(high);
                a += w * l0.AsInt32(); b += w * l1.AsInt32(); c += w * h0.AsInt32(); d += w * h1.AsInt32();
                source += stride;
            }
            var shorts0 = Vector256.Narrow(Clamp(a, max), Clamp(b, max));
            var shorts1 = Vector256.Narrow(Clamp(c, max), Clamp(d, max));
            Vector256.Narrow(shorts0.AsUInt16(), shorts1.AsUInt16()).Store(output + x);
        }
    }

    private static Vector256<int> Clamp(Vector256<int> sum, Vector256<int> max) =>
        Vector256.Min(Vector256.Max(Vector256.ShiftRightArithmetic(sum, Precision), Vector256<int>.Zero), max);

    private static uint Narrow(Vector128<int> value)
    {
        var shorts = Vector128.Narrow(value, value).AsUInt16();
        return Vector128.Narrow(shorts, shorts).AsUInt32().ToScalar();
    }

    private static double Lanczos(double x)
    {
        if (x == 0) return 1;
        if (x <= -Radius || x >= Radius) return 0;
        var px = Math.PI * x;
        return Radius * Math.Sin(px) * Math.Sin(px / Radius) / (px * px);
    }

    /// <summary>For each output position along one axis: the first source position, how many it reads, and their fixed-point weights.</summary>
    private sealed class Taps
    {
        public required int[] First, Count, Offset, Weights;

        public int QuadCount(int i) => (Count[i] + 3) / 4;

        public ReadOnlySpan<int> Span(int i) => Weights.AsSpan(Offset[i], Count[i]);

        public static Taps For(int inSize, int outSize)
        {
            var ratio = (double)inSize / outSize;
            var filterScale = Math.Max(1, ratio); // widen the kernel when shrinking, so every source pixel contributes
            var support = Radius * filterScale;
            var first = new int[outSize];
            var count = new int[outSize];
            var offset = new int[outSize];
            var weights = new List<int>();
            var raw = new double[(int)Math.Ceiling(support) * 2 + 2];
            for (var i = 0; i < outSize; i++)
            {
                var centre = (i + 0.5) * ratio;
                var from = Math.Max(0, (int)Math.Floor(centre - support + 0.5));
                var to = Math.Min(inSize, (int)Math.Floor(centre + support + 0.5));
                var total = 0.0;
                for (var j = from; j < to; j++) total += raw[j - from] = Lanczos((j + 0.5 - centre) / filterScale);
                var (start, sum, biggest) = (weights.Count, 0, weights.Count);
                for (var j = from; j < to; j++)
                {
                    var w = (int)Math.Round(raw[j - from] / total * One);
                    if (j > from && w > weights[biggest]) biggest = weights.Count;
                    weights.Add(w);
                    sum += w;
                }
                weights[biggest] += One - sum; // exact unity, so flat areas stay flat
                (first[i], count[i], offset[i]) = (from, to - from, start);
            }
            return new Taps { First = first, Count = count, Offset = offset, Weights = weights.ToArray() };
        }

        /// <summary>
        /// The weights as the AVX2 pass reads them: per output position, groups of four taps, each group 16 shorts laid
        /// out as (w0 w1) ×3 bands, 0 0, then (w2 w3) ×3, 0 0. Missing taps weigh 0.
        /// </summary>
        public short[] InterleavedQuads()
        {
            var quads = new List<short>();
            for (var i = 0; i < First.Length; i++)
                for (var q = 0; q < QuadCount(i); q++)
                    for (var half = 0; half < 2; half++)
                    {
                        var k = q * 4 + half * 2;
                        short W(int tap) => tap < Count[i] ? (short)Weights[Offset[i] + tap] : (short)0;
                        for (var band = 0; band < Bands; band++) { quads.Add(W(k)); quads.Add(W(k + 1)); }
                        quads.Add(0); quads.Add(0);
                    }
            return quads.ToArray();
        }
    }
}

/// <summary>Where the resampler reads from: 8-bit RGB rows, asked for top to bottom in strips.</summary>
internal unsafe interface IRowSource
{
    int Width { get; }
    int Height { get; }

    /// <summary>Rows <paramref name="top"/> to top + count − 1, packed (Width × 3 bytes each); valid until the next call.</summary>
    byte* Read(int top, int count);
}
