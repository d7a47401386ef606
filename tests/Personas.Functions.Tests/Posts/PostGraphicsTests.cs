using Personas.Imaging.Analysis;
using Personas.Imaging.Rendering;
using Personas.TestPhotos;

namespace Personas.Functions.Tests.Posts;

/// <summary>
/// Quote cards and slides rendered by libvips from the repo's sample portraits, at every platform size. Set
/// PERSONAS_RENDER_DIR to keep the pictures for review by eye.
/// </summary>
public sealed class PostGraphicsTests
{
    private static readonly GraphicStyle Brand = new([255, 255, 255], [245, 183, 0], [16, 24, 32], "DejaVu Sans", "@ann.makes");
    private static readonly (int Width, int Height)[] Sizes = [(1080, 1350), (1080, 1920), (1200, 1200), (1600, 900)];

    public static TheoryData<string> Photos => new() { "obama.jpg", "biden.jpg", "astronaut.png", "obama2.jpg" };

    [Theory]
    [MemberData(nameof(Photos))]
    public void Text_never_covers_the_face_stays_inside_the_safe_margins_and_is_readable(string photo)
    {
        var text = new GraphicText("“Consistency beats intensity when you are building anything that lasts.”", "— Building in public, episode 12", "2/5");
        var found = CardPhoto.Find(Samples.Load(photo));
        foreach (var (width, height) in Sizes)
        {
            var card = PostGraphics.Render(found, text, Brand, width, height);
            Keep(card, $"{Path.GetFileNameWithoutExtension(photo)}-{width}x{height}.jpg");

            var decoded = PhotoDecoder.ReadHeader(card.Jpeg, 50_000_000);
            Assert.Equal((width, height), (decoded.Width, decoded.Height));
            var margin = (int)(PostGraphics.SafeMargin * Math.Min(width, height));
            Assert.InRange(card.TextArea.X, margin, width);
            Assert.InRange(card.TextArea.Y, margin, height);
            Assert.True(card.TextArea.X + card.TextArea.Width <= width - margin, $"{photo} {width}x{height}: text runs into the right margin");
            Assert.True(card.TextArea.Y + card.TextArea.Height <= height - margin, $"{photo} {width}x{height}: text runs into the bottom margin");
            Assert.NotNull(card.Face);
            Assert.False(Overlaps(card.TextArea, card.Face!.Value), $"{photo} {width}x{height}: text {card.TextArea} covers the face {card.Face}");
            Assert.True(card.Contrast >= PostGraphics.MinContrast, $"{photo} {width}x{height}: contrast {card.Contrast:0.0}");
            Assert.InRange(card.HeadlinePixels, 20, 140);
        }
    }

    [Fact]
    public void Long_text_gets_a_smaller_font_and_still_fits()
    {
        var obama = CardPhoto.Find(Samples.Load("obama.jpg"));
        var shortCard = PostGraphics.Render(obama, new GraphicText("Ship it."), Brand, 1080, 1350);
        var longCard = PostGraphics.Render(obama,
            new GraphicText(string.Join(' ', Enumerable.Repeat("Small daily improvements compound into remarkable results over time.", 5))), Brand, 1080, 1350);
        Keep(longCard, "long-text.jpg");
        Assert.True(longCard.HeadlinePixels < shortCard.HeadlinePixels, $"{longCard.HeadlinePixels} vs {shortCard.HeadlinePixels}");
        Assert.True(longCard.TextArea.Y + longCard.TextArea.Height <= 1350 - PostGraphics.SafeMargin * 1080);
    }

    [Fact]
    public void Without_a_photo_the_card_is_a_brand_panel()
    {
        var card = PostGraphics.Render(null, new GraphicText("What consistency really takes", "Five lessons from a year of shipping", "1/5"), Brand, 1080, 1350);
        Keep(card, "panel.jpg");
        Assert.Equal("panel", card.Layout);
        Assert.Null(card.Face);
        Assert.True(card.Contrast >= PostGraphics.MinContrast);
    }

    [Fact]
    public void A_light_scrim_colour_that_cannot_reach_the_contrast_is_reported_honestly()
    {
        var pale = Brand with { Scrim = [250, 250, 250] };
        var card = PostGraphics.Render(null, new GraphicText("White on white"), pale, 1080, 1080);
        Assert.True(card.Contrast < 1.2, $"{card.Contrast}");
    }

    private static bool Overlaps(CropRegion a, CropRegion b) =>
        a.X < b.X + b.Width && b.X < a.X + a.Width && a.Y < b.Y + b.Height && b.Y < a.Y + a.Height;

    private static void Keep(RenderedGraphic card, string name)
    {
        if (Environment.GetEnvironmentVariable("PERSONAS_RENDER_DIR") is not { Length: > 0 } dir) return;
        Directory.CreateDirectory(dir);
        File.WriteAllBytes(Path.Combine(dir, name), card.Jpeg);
    }
}
