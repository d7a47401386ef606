using Personas.Imaging.Analysis;
using Personas.Imaging.Vips;
using static Personas.Imaging.Rendering.Canvas;

namespace Personas.Imaging.Rendering;

/// <summary>
/// A card's photo with the face found on it (null: none found), which the card is framed around. Found once by the
/// caller and passed to every <see cref="PostGraphics.Render"/> of the photo: a post renders it at four sizes, and
/// finding the face cost more than drawing a card.
/// </summary>
public sealed record CardPhoto(byte[] Bytes, CropRegion? Face)
{
    /// <summary>The photo with the largest face the frontal detector finds (<see cref="Framer.FindFace"/>).</summary>
    public static CardPhoto Find(byte[] bytes)
    {
        try
        {
            using var source = Decode(bytes);
            return new CardPhoto(bytes, Framer.FindFace(source));
        }
        catch (VipsException ex)
        {
            throw PostGraphics.Unrenderable(ex);
        }
    }
}
