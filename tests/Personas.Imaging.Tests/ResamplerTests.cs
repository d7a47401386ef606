using System.Runtime.InteropServices;
using Personas.Imaging.Resampling;
using Personas.Imaging.Vips;
using Personas.TestPhotos;
using Xunit.Abstractions;

namespace Personas.Imaging.Tests;

public sealed unsafe class ResamplerTests(ITestOutputHelper output)
{
    public static TheoryData<int, int> Sizes => new()
    {
        { 1431, 1024 }, // framing's usual downscale
        { 900, 1024 },  // a small crop enlarged
        { 2500, 768 },  // a steep downscale, a full-body width
        { 1024, 1024 }, // same size
    };

    [Theory]
    [MemberData(nameof(Sizes))]
    public void A_photo_resamples_as_lanczos3_defines_within_rounding(int from, int to)
    {
        var (pixels, width, height) = Crop(Samples.Load("obama.jpg"), from);
        var (outWidth, outHeight) = (to, to * 5 / 4);
        var ours = Resize(pixels, width, height, outWidth, outHeight, avx2: true);
        var exact = ExactLanczos3(pixels, width, height, outWidth, outHeight);

        var differences = ours.Zip(exact, (a, b) => Math.Abs(a - b)).ToList();
        output.WriteLine($"{width}x{height} -> {outWidth}x{outHeight}: mean |ours - exact| {differences.Average():0.000}, max {differences.Max()}");
        Assert.InRange(differences.Average(), 0, 0.5);
        Assert.InRange(differences.Max(), 0, 2); // 8-bit rounding between the passes
    }

    [Theory]
    [InlineData(1431, 1024)]
    [InlineData(2500, 768)]
    public void A_downscale_matches_libvips_lanczos3_reduce(int from, int to)
    {
        var (pixels, width, height) = Crop(Samples.Load("obama2.jpg"), from);
        var ours = Resize(pixels, width, height, to, to, avx2: true);
        using var source = FromPixels(pixels, width, height);
        using var reduce = new VipsOperation("reduce").Set("in", source).Set("hshrink", (double)width / to).Set("vshrink", (double)height / to)
            .Set("kernel", "lanczos3").Build();
        using var reduced = reduce.Image();
        var theirs = reduced.ToBytes();

        Assert.Equal(theirs.Length, ours.Length);
        var mean = ours.Zip(theirs, (a, b) => Math.Abs(a - b)).Average();
        output.WriteLine($"{width} -> {to}: mean |ours - libvips reduce| {mean:0.000}");
        Assert.InRange(mean, 0, 1.0);
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void The_avx2_and_portable_paths_give_identical_pixels(int from, int to)
    {
        var (pixels, width, height) = Crop(Samples.Load("obama2.jpg"), from);
        Assert.Equal(Resize(pixels, width, height, to, to, avx2: false), Resize(pixels, width, height, to, to, avx2: true));
    }

    [Theory]
    [InlineData(640, 1024)]
    [InlineData(1500, 1024)]
    public void A_flat_colour_stays_exactly_flat_up_and_down(int from, int to)
    {
        var flat = new byte[from * from * 3];
        for (var i = 0; i < flat.Length; i += 3) (flat[i], flat[i + 1], flat[i + 2]) = (200, 37, 255);
        var resized = Resize(flat, from, from, to, to, avx2: true);
        for (var i = 0; i < resized.Length; i += 3) Assert.Equal((200, 37, 255), (resized[i], resized[i + 1], resized[i + 2]));
    }

    [Theory]
    [InlineData(1431, 1024)]
    [InlineData(700, 1024)]
    public void Source_rows_are_read_once_top_to_bottom_and_only_where_the_kernel_reaches(int from, int to)
    {
        var (pixels, width, height) = Crop(Samples.Load("obama.jpg"), from);
        var source = new ArrayRows(pixels, width, height);
        var result = new byte[to * to * 3];
        fixed (byte* r = result) Resampler.Resize(source, r, to, to);

        var rows = source.Requests.SelectMany(q => Enumerable.Range(q.Top, q.Count)).ToList();
        Assert.Equal(rows.Distinct().Order(), rows); // each row once, in order
        Assert.True(source.Requests.All(q => q.Count <= 64), "strips, not the whole image");
        Assert.Equal(Enumerable.Range(rows[0], rows.Count), rows); // contiguous
        Assert.InRange(rows.Count, height - 6, height); // Lanczos-3 reaches the edges, give or take its support
    }

    [Theory]
    [InlineData(1200, 1024)]
    [InlineData(700, 1024)]
    public void Nothing_is_written_past_the_destination(int from, int to)
    {
        var (pixels, width, height) = Crop(Samples.Load("obama2.jpg"), from);
        var destination = new byte[to * to * 3 + 64];
        Array.Fill(destination, (byte)0xAB);
        fixed (byte* d = destination) Resampler.Resize(new ArrayRows(pixels, width, height), d, to, to);
        Assert.All(destination[^64..], b => Assert.Equal(0xAB, b));
    }

    private static byte[] Resize(byte[] pixels, int width, int height, int outWidth, int outHeight, bool avx2)
    {
        var result = new byte[outWidth * outHeight * 3];
        fixed (byte* r = result) Resampler.Resize(new ArrayRows(pixels, width, height), r, outWidth, outHeight, avx2 && System.Runtime.Intrinsics.X86.Avx2.IsSupported);
        return result;
    }

    private static VipsImage FromPixels(byte[] pixels, int width, int height)
    {
        fixed (byte* p = pixels) return VipsImage.FromPixels(p, (nuint)pixels.Length, width, height, 3);
    }

    /// <summary>Packed RGB rows from a managed array, remembering what was asked for.</summary>
    private sealed class ArrayRows(byte[] pixels, int width, int height) : IRowSource
    {
        private byte[]? _strip;
        private GCHandle _pin;

        public int Width => width;
        public int Height => height;
        public List<(int Top, int Count)> Requests { get; } = [];

        public byte* Read(int top, int count)
        {
            Requests.Add((top, count));
            if (_pin.IsAllocated) _pin.Free();
            _strip = pixels[(top * width * 3)..((top + count) * width * 3)]; // a fresh copy, as libvips hands out
            _pin = GCHandle.Alloc(_strip, GCHandleType.Pinned);
            return (byte*)_pin.AddrOfPinnedObject();
        }
    }

    /// <summary>A square RGB crop of the sample, resized by libvips to <paramref name="side"/> so the test has a photo of that size.</summary>
    private static (byte[] Pixels, int Width, int Height) Crop(byte[] jpeg, int side)
    {
        using var load = new VipsOperation("jpegload_buffer").Set("buffer", jpeg).Build();
        using var image = load.Image();
        var square = Math.Min(image.Width, image.Height);
        using var extract = new VipsOperation("extract_area").Set("input", image).Set("left", 0).Set("top", 0).Set("width", square).Set("height", square).Build();
        using var cropped = extract.Image();
        using var resize = new VipsOperation("resize").Set("in", cropped).Set("scale", (double)side / square).Build();
        using var sized = resize.Image();
        return (sized.ToBytes(), sized.Width, sized.Height);
    }

    /// <summary>Lanczos-3 from its definition, in doubles, rounded only at the end; like any 8-bit two-pass resampler, the first pass is clipped to 0–255.</summary>
    private static byte[] ExactLanczos3(byte[] pixels, int width, int height, int outWidth, int outHeight)
    {
        var columns = Weights(width, outWidth);
        var rows = Weights(height, outHeight);
        var middle = new double[height * outWidth * 3];
        for (var y = 0; y < height; y++)
            for (var x = 0; x < outWidth; x++)
                for (var band = 0; band < 3; band++)
                    middle[(y * outWidth + x) * 3 + band] = Math.Clamp(columns[x].Sum(t => t.Weight * pixels[(y * width + t.Index) * 3 + band]), 0, 255);
        var result = new byte[outWidth * outHeight * 3];
        for (var y = 0; y < outHeight; y++)
            for (var i = 0; i < outWidth * 3; i++)
                result[y * outWidth * 3 + i] = (byte)Math.Clamp(Math.Round(rows[y].Sum(t => t.Weight * middle[t.Index * outWidth * 3 + i])), 0, 255);
        return result;
    }

    private static (int Index, double Weight)[][] Weights(int inSize, int outSize)
    {
        static double Lanczos3(double x) => x == 0 ? 1 : Math.Abs(x) >= 3 ? 0 : 3 * Math.Sin(Math.PI * x) * Math.Sin(Math.PI * x / 3) / (Math.PI * Math.PI * x * x);
        var scale = Math.Max(1, (double)inSize / outSize);
        return Enumerable.Range(0, outSize).Select(i =>
        {
            var centre = (i + 0.5) * inSize / outSize;
            var taps = Enumerable.Range(0, inSize).Where(j => Math.Abs(j + 0.5 - centre) < 3 * scale)
                .Select(j => (Index: j, Weight: Lanczos3((j + 0.5 - centre) / scale))).ToArray();
            var total = taps.Sum(t => t.Weight);
            return taps.Select(t => (t.Index, t.Weight / total)).ToArray();
        }).ToArray();
    }
}
