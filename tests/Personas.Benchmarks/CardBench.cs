using System.Diagnostics;
using Personas.Imaging.Rendering;
using Personas.TestPhotos;

namespace Personas.Benchmarks;

/// <summary>
/// A post's cards: one photo rendered at the four post sizes (portrait, story, square, landscape), as PostMaker does
/// for every card. Reported per card: wall time and the process's CPU time (libvips works on its own threads too).
/// </summary>
internal static class CardBench
{
    private static readonly (int Width, int Height)[] Sizes = [(1080, 1350), (1080, 1920), (1080, 1080), (1600, 900)];

    public static Task<int> RunAsync()
    {
        var style = new GraphicStyle([255, 255, 255], [245, 183, 0], [16, 24, 32], "DejaVu Sans", "@bench");
        var text = new GraphicText("Consistency beats intensity", "Ship small, ship often, and show the work.", null);
        // Warm-up: fonts, cascade.
        PostGraphics.Render(CardPhoto.Find(Samples.Load("biden.jpg")), text, style, 400, 400);
        const int rounds = 3;
        var photos = new[] { "obama.jpg", "obama2.jpg", "biden.jpg" }.Select(Samples.Load).ToList();
        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        for (var round = 0; round < rounds; round++)
            foreach (var photo in photos)
            {
                var found = CardPhoto.Find(photo); // as PostMaker: the face found once per photo, in the timing
                foreach (var (width, height) in Sizes) PostGraphics.Render(found, text, style, width, height);
            }
        process.Refresh();
        var cards = rounds * photos.Count * Sizes.Length;
        Console.WriteLine($"bench card_wall_ms {clock.Elapsed.TotalMilliseconds / cards:0} ms/card");
        Console.WriteLine(
            $"bench card_cpu_ms {(process.TotalProcessorTime - cpu).TotalMilliseconds / cards:0} ms/card");
        return Task.FromResult(0);
    }
}
