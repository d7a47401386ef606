using Personas.Imaging.Rendering;
using Personas.TestPhotos;
using Xunit.Abstractions;
using static Personas.Imaging.Tests.Rendering.RenderedPixels;

namespace Personas.Imaging.Tests.Rendering;

/// <summary>Quote cards and slides from close-up photos: no pasted edges, and text kept out of the story UI.</summary>
public sealed class CardTests(ITestOutputHelper output)
{
    private static readonly GraphicText Text = new("Consistency beats intensity", "— Building in public, episode 12",
        "2/5");

    public static TheoryData<string> People => new() { "obama.jpg", "obama2.jpg", "biden.jpg" };

    /// <summary>
    /// A mean step of gray levels along the face's rows: the samples' own edges (a window frame) reach 14, the old
    /// blurred strips' pasted edges 33–58.
    /// </summary>
    private const double SeamLimit = 20;

    [Theory]
    [MemberData(nameof(People))]
    public void Square_and_portrait_cards_from_a_close_up_have_no_hard_seam(string name)
    {
        var closeUp = CardPhoto.Find(FramingTests.CloseUp(Samples.Load(name)));
        var style = new GraphicStyle([255, 255, 255], [245, 183, 0], [16, 24, 32], "DejaVu Sans", "@ann.makes");
        foreach (var (width, height) in new[] { (1080, 1080), (1080, 1350) })
        {
            var card = PostGraphics.Render(closeUp, Text, style, width, height);
            Keep(card.Jpeg, $"card-{Path.GetFileNameWithoutExtension(name)}-{width}x{height}.jpg");
            var face = card.Face!.Value;
            // Along the face's rows: side strips run the whole height, the text and its scrim never reach there.
            var (step, at) = WorstSeam(Gray(card.Jpeg), from: Math.Max(0, face.Y), to: Math.Min(height,
                face.Y + face.Height));
            output.WriteLine($"{name} {width}x{height} {card.Layout}: worst column step {step:0.0} at x={at}");
            Assert.True(step < SeamLimit, $"{name} {width}x{height}: a hard vertical seam ({step:0.0}) at x={at}");
        }
    }

    [Theory]
    [MemberData(nameof(People))]
    public void Story_text_watermark_and_logo_stay_out_of_the_top_and_bottom_ui_zones(string name)
    {
        double[] magenta = [255, 0, 255];
        byte[] logo;
        using (var square = Canvas.Solid(120, 60, magenta)) logo = Canvas.Jpeg(square, 95);
        var style = new GraphicStyle(magenta, [245, 183, 0], [16, 24, 32], "DejaVu Sans", "@ann.makes", logo);
        foreach (var photo in new[] { Samples.Load(name), FramingTests.CloseUp(Samples.Load(name)), null })
        {
            var card = PostGraphics.Render(photo is null ? null : CardPhoto.Find(photo), Text, style, 1080, 1920);
            Keep(card.Jpeg, $"story-{Path.GetFileNameWithoutExtension(name)}-{card.Layout}-{photo?.Length ?? 0}.jpg");
            var rows = RowsWithColour(card.Jpeg, magenta);
            Assert.NotEmpty(rows);
            output.WriteLine($"{name} {card.Layout}: text rows {rows.Min()}–{rows.Max()}");
            Assert.True(rows.Min() >= PostGraphics.StoryTopZone * 1920,
                $"{name}: text at y={rows.Min()}, under the top UI");
            Assert.True(rows.Max() < (1 - PostGraphics.StoryBottomZone) * 1920,
                $"{name}: text at y={rows.Max()}, under the bottom UI");
        }
    }

    [Fact]
    public void A_card_is_framed_around_the_face_it_is_given_and_does_not_look_for_another()
    {
        var style = new GraphicStyle([255, 255, 255], [245, 183, 0], [16, 24, 32], "DejaVu Sans");
        var found = CardPhoto.Find(Samples.Load("obama.jpg"));
        Assert.NotNull(found.Face);
        var framed = PostGraphics.Render(found, Text, style, 1080, 1350);
        var faceless = PostGraphics.Render(found with { Face = null }, Text, style, 1080, 1350);
        Assert.NotNull(framed.Face);
        Assert.Null(faceless.Face);
    }
}
