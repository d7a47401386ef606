using Personas.Imaging.Faces;
using Personas.Imaging.Faces.Embedding;
using Personas.Imaging.Preparation;
using Personas.TestPhotos;
using Xunit.Abstractions;

namespace Personas.Imaging.Tests.Faces;

/// <summary>The built-in model on the public-domain portraits (tests/testdata/faces/README.md).</summary>
public sealed class FaceEmbeddingTests(ITestOutputHelper output)
{
    private static readonly PhotoInspector Inspector = new(new PhotoGates(), FaceDetector.FrontalFace);
    private static readonly Lazy<OnnxFaceEmbedder> Embedder = new(() => new OnnxFaceEmbedder(
        FaceModel.Find() ?? throw new InvalidOperationException(
            "tools/models/face-embedding.onnx is missing: run ./personas test once.")));

    internal static FaceEmbedding Embed(string name)
    {
        var bytes = Samples.Load(name);
        var inspection = Inspector.Inspect(bytes, PersonaMode.FullBody);
        return Embedder.Value.Embed(bytes, inspection.Header!, inspection.Face!.Box);
    }

    [Fact]
    public void Two_photos_of_the_same_man_are_closer_than_either_is_to_another_person()
    {
        var obama = Embed("obama.jpg");
        var obama2 = Embed("obama2.jpg");
        var biden = Embed("biden.jpg");
        var collins = Embed("astronaut.png");
        var same = obama.Similarity(obama2);
        var others = new[] { obama.Similarity(biden), obama2.Similarity(biden), obama.Similarity(collins),
            obama2.Similarity(collins), biden.Similarity(collins) };
        output.WriteLine(
            $"obama~obama2 {same:0.000}; others {string.Join(" ", others.Select(o => o.ToString("0.000")))}");
        Assert.All(others, other => Assert.True(same > other + 0.1, $"same {same:0.000} vs other {other:0.000}"));
    }

    [Fact]
    public void A_face_near_the_top_edge_still_matches_its_source_photo()
    {
        // A square cut of the portrait leaves the face a few pixels from the top: its aligned crop reaches past the
        // edge.
        var cut = Imaging.Rendering.Pictures.Cover(Samples.Load("obama.jpg"), 1024, 1024);
        var inspection = Inspector.Inspect(cut, PersonaMode.FullBody);
        Assert.True(inspection.Face!.Box.Y < 20, $"the face is at y={inspection.Face.Box.Y}, not near the top");
        var edge = Embedder.Value.Embed(cut, inspection.Header!, inspection.Face.Box);
        var similarity = edge.Similarity(Embed("obama.jpg"));
        output.WriteLine($"edge crop against the source: {similarity:0.000}");
        Assert.True(similarity > 0.8, $"similarity {similarity:0.000}");
    }

    [Fact]
    public void A_face_scores_one_against_itself_and_the_vector_has_unit_length()
    {
        var obama = Embed("obama.jpg");
        Assert.Equal(1.0, obama.Similarity(obama), 3);
        Assert.Equal(512, obama.Vector.Length);
    }

    [Fact]
    public async Task Disposing_the_embedder_while_faces_are_embedded_lets_those_finish_and_refuses_later_ones()
    {
        // A host stopping mid-embedding disposed the shared session under a running embedding: the process died with
        // SIGSEGV (without the guard this test takes the test host down with it).
        var bytes = Samples.Load("obama.jpg");
        var inspection = Inspector.Inspect(bytes, PersonaMode.FullBody);
        var embedder = new OnnxFaceEmbedder(FaceModel.Find()!);
        var first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var outcomes = new System.Collections.Concurrent.ConcurrentBag<string>();
        var runners = Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 50; i++)
            {
                try
                {
                    outcomes.Add(embedder.Embed(bytes, inspection.Header!, inspection.Face!.Box).Vector.Length
                        .ToString(System.Globalization.CultureInfo.InvariantCulture));
                    first.TrySetResult();
                }
                catch (ObjectDisposedException)
                {
                    outcomes.Add("refused");
                    return;
                }
            }
        })).ToArray();
        await first.Task.WaitAsync(TimeSpan.FromSeconds(30));
        embedder.Dispose();
        await Task.WhenAll(runners).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.All(outcomes, o => Assert.Contains(o, new[] { "512", "refused" }));
        Assert.Throws<ObjectDisposedException>(() => embedder.Embed(bytes, inspection.Header!, inspection.Face!.Box));
        embedder.Dispose(); // twice is harmless
    }
}
