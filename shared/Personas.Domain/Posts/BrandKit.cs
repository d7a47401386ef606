using System.Globalization;
using System.Text.RegularExpressions;

namespace Personas.Domain.Posts;

/// <summary>
/// An owner's look for rendered graphics: text, accent and scrim colours (#RRGGBB), the font family (any installed
/// fontconfig family; DejaVu ships with libvips' dependencies), and a watermark line and/or a logo (a PNG the owner
/// uploaded, kept as a blob). Unset fields fall back to <see cref="Default"/>.
/// </summary>
public sealed partial record BrandKit(string TextColor, string AccentColor, string ScrimColor, string Font, string? Watermark, string? LogoBlob)
{
    public static BrandKit Default { get; } = new("#FFFFFF", "#F5B700", "#101820", "DejaVu Sans", null, null);

    public static IReadOnlyList<string> Fonts { get; } = ["DejaVu Sans", "DejaVu Serif", "DejaVu Sans Mono"];

    public static bool IsColor(string? value) => value is not null && Hex().IsMatch(value);

    /// <summary>#RRGGBB as three 0–255 numbers.</summary>
    public static double[] Rgb(string hex) =>
        [int.Parse(hex[1..3], NumberStyles.HexNumber), int.Parse(hex[3..5], NumberStyles.HexNumber), int.Parse(hex[5..7], NumberStyles.HexNumber)];

    [GeneratedRegex("^#[0-9A-Fa-f]{6}\\z")]
    private static partial Regex Hex();
}
