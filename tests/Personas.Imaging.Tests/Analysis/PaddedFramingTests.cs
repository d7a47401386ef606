using Personas.Imaging.Analysis;
using Personas.TestPhotos;

namespace Personas.Imaging.Tests.Analysis;

/// <summary>
/// <see cref="OutOfBounds.Pad"/> on a region reaching 100 px past the left and 60 px past the top of obama.jpg
/// (910×1137), framed at half size: black where the region is outside, the photo in place where it is inside.
/// </summary>
public sealed class PaddedFramingTests
{
    private static readonly byte[] Photo = Samples.Load("obama.jpg");
    private static readonly PhotoHeader Header = PhotoDecoder.ReadHeader(Photo, 50_000_000);
    private static readonly CropRegion PastTopLeft = new(-100, -60, 400, 400);

    [Fact]
    public void A_padded_region_is_black_past_the_edges_and_the_photo_keeps_its_place_inside()
    {
        var padded = PhotoDecoder.FramePixels(Photo, Header, PastTopLeft, 200, 200, OutOfBounds.Pad);
        // Inside: the photo's own (0, 0, 300, 340) at the same half scale, starting 50 px across and 30 px down.
        var inside = PhotoDecoder.FramePixels(Photo, Header, new CropRegion(0, 0, 300, 340), 150, 170);
        Assert.Equal(200 * 200 * 3, padded.Length);
        for (var y = 0; y < 200; y++)
            for (var x = 0; x < 200; x++)
            {
                var expected = x < 50 || y < 30 ? [0, 0, 0] : inside.AsSpan(((y - 30) * 150 + x - 50) * 3, 3).ToArray();
                Assert.True(padded.AsSpan((y * 200 + x) * 3, 3).SequenceEqual(expected), $"pixel ({x}, {y})");
            }
    }

    [Fact]
    public void Without_the_option_a_region_past_the_edges_is_moved_inside_the_photo()
    {
        var clamped = PhotoDecoder.FramePixels(Photo, Header, PastTopLeft, 200, 200);
        Assert.Equal(PhotoDecoder.FramePixels(Photo, Header, new CropRegion(0, 0, 400, 400), 200, 200), clamped);
    }

    [Theory]
    [InlineData("d270", 6)]
    [InlineData("d90", 8)]
    public void A_photo_stored_turned_pads_the_same_as_upright(string storedTurn, int orientation)
    {
        var turned = Samples.WithExifOrientation(Samples.Transform(Photo, image => Samples.Apply(image, "rot",
            ("angle", storedTurn)), quality: 95), (ushort)orientation);
        // 190 px past the right edge of the upright photo, which is inside the stored (turned) photo's width.
        var pastRight = new CropRegion(700, 300, 400, 400);
        var upright = PhotoDecoder.FramePixels(Photo, Header, pastRight, 200, 200, OutOfBounds.Pad);
        var fromTurned = PhotoDecoder.FramePixels(turned, PhotoDecoder.ReadHeader(turned, 50_000_000), pastRight,
            200, 200, OutOfBounds.Pad);
        var meanDifference = upright.Zip(fromTurned, (a, b) => Math.Abs(a - b)).Average();
        // Re-encoding accounts for one or two levels; a region moved inside the photo instead differs by tens.
        Assert.True(meanDifference < 4, $"mean difference {meanDifference:0.0} levels");
    }
}
