using Personas.Imaging.Preparation;

namespace Personas.Functions.Hosting;

/// <summary>The photo gates, under <c>Personas:Photos:*</c>. Defaults are the issue's; README lists them.</summary>
public sealed class PhotoSettings
{
    public const string Section = "Personas:Photos";

    public int MinPhotos { get; set; } = 5;
    public int MaxPhotos { get; set; } = 20;
    public int MinBytes { get; set; } = 10 * 1024;
    public int MaxBytes { get; set; } = 15 * 1024 * 1024;
    public int MinSide { get; set; } = 512;
    public long MaxPixels { get; set; } = 50_000_000;
    public int MinOverallScore { get; set; } = 70;
    public int NearDuplicateBits { get; set; } = 6;

    public PhotoGates ToGates() => new()
    {
        MinPhotos = MinPhotos, MaxPhotos = MaxPhotos, MinBytes = MinBytes, MaxBytes = MaxBytes, MinSide = MinSide,
        MaxPixels = MaxPixels, MinOverallScore = MinOverallScore, NearDuplicateBits = NearDuplicateBits,
    };
}
