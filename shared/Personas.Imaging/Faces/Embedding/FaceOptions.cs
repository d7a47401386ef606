namespace Personas.Imaging.Faces.Embedding;

/// <summary>The same-person check's settings (Personas:Faces:*).</summary>
public sealed record FaceOptions
{
    public const string Section = "Personas:Faces";

    /// <summary>The ONNX face-embedding model; empty means the one the build copies beside the binaries.</summary>
    public string ModelPath { get; init; } = "";

    /// <summary>
    /// The median cosine a face needs against the persona's other faces to count as the same person. On the sample
    /// portraits the built-in model gives 0.62 for two photos of one man and at most 0.06 for different people.
    /// </summary>
    public double SamePersonSimilarity { get; init; } = 0.3;
}
