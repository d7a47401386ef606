namespace Personas.Domain.Generations;

/// <summary>The picture size each platform gets (docs/training.md): Instagram and LinkedIn 4:5, stories 9:16, X 16:9.</summary>
public static class PlatformSizes
{
    private static readonly Dictionary<string, (int Width, int Height)> Sizes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["instagram"] = (1080, 1350),
        ["story"] = (1080, 1920),
        ["tiktok"] = (1080, 1920),
        ["linkedin"] = (1080, 1350),
        ["linkedin-square"] = (1200, 1200),
        ["x"] = (1600, 900),
        ["square"] = (1024, 1024),
    };

    public static IReadOnlyCollection<string> Names => Sizes.Keys;

    public static bool TryGet(string platform, out (int Width, int Height) size) => Sizes.TryGetValue(platform, out size);
}
