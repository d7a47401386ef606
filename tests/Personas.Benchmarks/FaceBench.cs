using System.Diagnostics;
using Personas.Imaging.Faces;
using Personas.Imaging.Faces.Embedding;
using Personas.Imaging.Preparation;
using Personas.TestPhotos;

namespace Personas.Benchmarks;

/// <summary>
/// The same-person check's cost per photo: one face embedding (cut the aligned 112 px face from the full photo, run
/// the model on one thread), on the 910×1137 sample portrait, after a warm-up; then the same on every core at once.
/// </summary>
internal static class FaceBench
{
    public static async Task<int> RunAsync()
    {
        var path = FaceModel.Find()
            ?? throw new InvalidOperationException("tools/models/face-embedding.onnx is missing.");
        using var embedder = new OnnxFaceEmbedder(path);
        var bytes = Samples.Load("obama.jpg");
        var inspection = new PhotoInspector(new PhotoGates(), FaceDetector.FrontalFace)
            .Inspect(bytes, PersonaMode.Portrait);
        var (header, face) = (inspection.Header!, inspection.Face!.Box);
        for (var i = 0; i < 10; i++) embedder.Embed(bytes, header, face);

        const int runs = 100;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < runs; i++) embedder.Embed(bytes, header, face);
        PhotoBench.Report("face-embedding-ms", clock.Elapsed.TotalMilliseconds / runs, "ms");

        clock.Restart();
        await Parallel.ForEachAsync(Enumerable.Range(0, runs * 2), (_, _) =>
        {
            embedder.Embed(bytes, header, face);
            return ValueTask.CompletedTask;
        });
        PhotoBench.Report("face-embeddings-per-second", runs * 2 / clock.Elapsed.TotalSeconds, "embeddings/s");
        return 0;
    }
}
