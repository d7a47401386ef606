namespace Personas.Imaging.Analysis;

/// <summary>An 8-bit gray image in managed memory, row-major, for analysis and face detection.</summary>
public sealed record GrayImage(int Width, int Height, byte[] Pixels)
{
    public byte this[int x, int y] => Pixels[y * Width + x];

    public GrayImage Crop(CropRegion region)
    {
        var r = region.ClampTo(Width, Height);
        var output = new byte[r.Width * r.Height];
        for (var y = 0; y < r.Height; y++) Array.Copy(Pixels, (r.Y + y) * Width + r.X, output, y * r.Width, r.Width);
        return new GrayImage(r.Width, r.Height, output);
    }

    /// <summary>The same image with its longer side at most <paramref name="longSide"/>.</summary>
    public GrayImage FitWithin(int longSide)
    {
        var scale = Math.Min(1.0, (double)longSide / Math.Max(Width, Height));
        return scale >= 1 ? this : Resize(Math.Max(1, (int)Math.Round(Width * scale)), Math.Max(1, (int)Math.Round(Height * scale)));
    }

    /// <summary>Area-averaging (box) downscale to a new size, for the analysis pyramid and the perceptual hash.</summary>
    public GrayImage Resize(int width, int height)
    {
        var output = new byte[width * height];
        for (var y = 0; y < height; y++)
        {
            var y0 = y * Height / height;
            var y1 = Math.Max(y0 + 1, (y + 1) * Height / height);
            for (var x = 0; x < width; x++)
            {
                var x0 = x * Width / width;
                var x1 = Math.Max(x0 + 1, (x + 1) * Width / width);
                var sum = 0;
                for (var yy = y0; yy < y1; yy++)
                {
                    var row = yy * Width;
                    for (var xx = x0; xx < x1; xx++) sum += Pixels[row + xx];
                }
                output[y * width + x] = (byte)(sum / ((y1 - y0) * (x1 - x0)));
            }
        }
        return new GrayImage(width, height, output);
    }
}
