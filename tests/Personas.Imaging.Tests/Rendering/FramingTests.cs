using Personas.Imaging.Analysis;
using Personas.Imaging.Faces;
using Personas.Imaging.Preparation;
using Personas.Imaging.Rendering;
using Personas.Imaging.Vips;
using Personas.TestPhotos;
using Xunit.Abstractions;
using static Personas.Imaging.Tests.Rendering.RenderedPixels;

namespace Personas.Imaging.Tests.Rendering;

/// <summary>
/// Framing measured on the decoded output, with the face found again by the detector: eyes on the upper third
/// (25–45 % of the height), the whole head inside, no big enlargement, one-line labels and no hard seams. Set
/// PERSONAS_RENDER_DIR to keep the pictures.
/// </summary>
public sealed class FramingTests(ITestOutputHelper output)
{
    private const string Label = "DRY RUN · a prepared photo, not a generated image";
    private static readonly (int Width, int Height)[] Sizes = [(1600, 900), (1080, 1920), (1080, 1080), (1080, 1350)];
    private static readonly PhotoInspector Inspector = new(new PhotoGates(), FaceDetector.FrontalFace);

    /// <summary>The three sample people; obama and obama2 as the dry run sees them (their training frames).</summary>
    public static TheoryData<string, bool> People => new() { { "obama.jpg", true }, { "obama2.jpg", true },
        { "biden.jpg", false } };

    [Fact]
    public void Training_frames_put_the_eyes_on_the_upper_third_with_the_whole_head_inside()
    {
        foreach (var name in new[] { "obama.jpg", "obama2.jpg" })
        {
            var framed = TrainingFrame(Samples.Load(name));
            Keep(framed, $"frame-{Path.GetFileNameWithoutExtension(name)}.jpg");
            AssertFramed(framed, 1024, 1024, $"{name} training frame");
        }
    }

    [Theory]
    [MemberData(nameof(People))]
    public void Dry_run_pictures_are_framed_around_the_face_at_every_platform_size(string name, bool trainingFrame)
    {
        var source = trainingFrame ? TrainingFrame(Samples.Load(name)) : Samples.Load(name);
        var sourceFace = Face(source) ?? throw new InvalidOperationException($"no face in {name}");
        foreach (var (width, height) in Sizes)
        {
            var picture = Pictures.DryRunStandIn(source, width, height, Label, obscured: false);
            Keep(picture, $"standin-{Path.GetFileNameWithoutExtension(name)}-{width}x{height}.jpg");
            var face = AssertFramed(picture, width, height, $"{name} {width}x{height}");
            var enlarged = (double)face.Width / sourceFace.Width;
            // The detector's box varies by a few percent between sizes; a face-filling zoom is far beyond that.
            Assert.True(enlarged <= FaceFraming.MaxUpscale * 1.15,
                $"{name} {width}x{height}: face enlarged {enlarged:0.00}×");
        }
    }

    [Theory]
    [InlineData(1600, 900)]
    [InlineData(1080, 1920)]
    [InlineData(1080, 1080)]
    public void The_dry_run_label_is_one_line_at_every_size(int width, int height)
    {
        // Darkened to a quarter, so the only near-white pixels are the label's letters.
        var dark = Samples.Transform(Samples.Load("obama.jpg"), image =>
        {
            using var dim = new VipsOperation("linear").Set("in", image).Set("a", new[] { 0.25, 0.25, 0.25 })
                .Set("b", new[] { 0.0, 0.0, 0.0 }).Set("uchar", true).Build();
            return dim.Image();
        });
        var picture = Pictures.DryRunStandIn(dark, width, height, Label, obscured: false);
        Keep(picture, $"label-{width}x{height}.jpg");
        using var decoded = Canvas.Decode(picture);
        var pixels = decoded.ToBytes();
        var (left, right, top, bottom) = (width, 0, height, 0);
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
            {
                var i = (y * width + x) * 3;
                if (pixels[i] < 220 || pixels[i + 1] < 220 || pixels[i + 2] < 220) continue;
                (left, right) = (Math.Min(left, x), Math.Max(right, x));
                (top, bottom) = (Math.Min(top, y), Math.Max(bottom, y));
            }
        var (textWidth, textHeight) = (right - left + 1, bottom - top + 1);
        output.WriteLine($"{width}x{height}: label {textWidth}×{textHeight} px");
        // One line of this 49-character label is over 15 times as wide as it is tall; two lines are under 12.
        Assert.True(textWidth > 15 * textHeight,
            $"{width}x{height}: the label is {textWidth}×{textHeight} px, wrapped");
    }

    private CropRegion AssertFramed(byte[] jpeg, int width, int height, string what)
    {
        var header = PhotoDecoder.ReadHeader(jpeg, 50_000_000);
        Assert.Equal((width, height), (header.Width, header.Height));
        var face = Face(jpeg) ?? throw new Xunit.Sdk.XunitException($"{what}: no face found in the output");
        var eyes = FaceFraming.Eyes(face) / height;
        var head = MeasuredHead(face);
        output.WriteLine($"{what}: face {face}, eyes at {eyes:P0}, head {head}");
        Assert.InRange(eyes, 0.25, 0.45);
        Assert.True(head.Y >= 0 && head.Y + head.Height <= height, $"{what}: head {head} cut at the top or bottom");
        Assert.True(head.X >= 0 && head.X + head.Width <= width, $"{what}: head {head} cut at a side");
        return face;
    }

    /// <summary>
    /// The head as it is on the sample people, measured by eye on their pictures: hair to a quarter of the detector's
    /// box above it, chin an eighth below, ears a tenth to each side. (Framing aims wider: <see
    /// cref="FaceFraming.Head"/>.)
    /// </summary>
    private static CropRegion MeasuredHead(CropRegion face) =>
        new(face.X - face.Width / 10, face.Y - face.Height / 4, face.Width * 12 / 10, face.Height * 11 / 8);

    /// <summary>The 1024×1024 training frame the persona's dataset holds for the photo.</summary>
    internal static byte[] TrainingFrame(byte[] photo)
    {
        var inspection = Inspector.Inspect(photo, PersonaMode.Portrait);
        return PhotoDecoder.Frame(photo, inspection.Header!, inspection.Frame!.Value, 1024, 1024);
    }

    /// <summary>A tight square around the face (its box and a fifth on each side), as in a close-up photo.</summary>
    internal static byte[] CloseUp(byte[] photo)
    {
        var header = PhotoDecoder.ReadHeader(photo, 50_000_000);
        var face = Face(photo)!.Value;
        var side = face.Width * 7 / 5;
        var region = new CropRegion(face.X - face.Width / 5, face.Y - face.Height / 5, side, side)
            .ClampTo(header.Width, header.Height);
        return PhotoDecoder.Frame(photo, header, region, 800, 800);
    }
}
