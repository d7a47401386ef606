namespace Personas.Imaging.Analysis;

/// <summary>What framing does with a region that reaches past the photo's edges.</summary>
public enum OutOfBounds
{
    /// <summary>The region is moved inside the photo (shrunk only when larger than it): every pixel is photo.</summary>
    Clamp,

    /// <summary>
    /// The region stays where it is and the part past the edges is black, so what the photo shows keeps its place
    /// and scale: moving an aligned face crop shifts the eyes away from where a model expects them.
    /// </summary>
    Pad,
}

public static partial class PhotoDecoder
{
    /// <summary>
    /// <see cref="OutOfBounds.Pad"/>: the part of the region inside the photo, framed at its share of the output and
    /// placed where it lies in the region, on black.
    /// </summary>
    private static byte[] PaddedPixels(byte[] bytes, PhotoHeader header, CropRegion region, int outputWidth,
        int outputHeight)
    {
        // The header's size is already upright, as the region is (ReadHeader turns it): no swap for orientations 5-8.
        var (width, height) = (header.Width, header.Height);
        var left = Math.Max(0, region.X);
        var top = Math.Max(0, region.Y);
        var right = Math.Min(width, region.X + region.Width);
        var bottom = Math.Min(height, region.Y + region.Height);
        if (left == region.X && top == region.Y && right == region.X + region.Width
            && bottom == region.Y + region.Height)
            return FramePixels(bytes, header, region, outputWidth, outputHeight, OutOfBounds.Clamp);
        var (scaleX, scaleY) = ((double)outputWidth / region.Width, (double)outputHeight / region.Height);
        var x0 = Math.Clamp((int)Math.Round((left - region.X) * scaleX), 0, outputWidth - 1);
        var y0 = Math.Clamp((int)Math.Round((top - region.Y) * scaleY), 0, outputHeight - 1);
        var w = Math.Clamp((int)Math.Round((right - left) * scaleX), 1, outputWidth - x0);
        var h = Math.Clamp((int)Math.Round((bottom - top) * scaleY), 1, outputHeight - y0);
        var inside = FramePixels(bytes, header, new CropRegion(left, top, right - left, bottom - top), w, h,
            OutOfBounds.Clamp);
        var rgb = new byte[outputWidth * outputHeight * 3];
        for (var y = 0; y < h; y++)
            Array.Copy(inside, y * w * 3, rgb, ((y0 + y) * outputWidth + x0) * 3, w * 3);
        return rgb;
    }
}
