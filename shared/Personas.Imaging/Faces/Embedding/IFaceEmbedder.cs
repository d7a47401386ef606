using Personas.Imaging.Analysis;

namespace Personas.Imaging.Faces.Embedding;

/// <summary>
/// Turns a face into a vector whose cosine to another face's vector says how alike the two people look. The seam the
/// same-person check, validation and face swap use; <see cref="OnnxFaceEmbedder"/> is the one built in.
/// </summary>
public interface IFaceEmbedder
{
    /// <summary>
    /// The model's name, stored with scores so a later model's figures are not mixed with this one's.
    /// </summary>
    string Model { get; }

    /// <summary>
    /// The embedding of the face inside <paramref name="face"/> (a frontal detector box in the upright photo's pixels).
    /// </summary>
    FaceEmbedding Embed(byte[] photo, PhotoHeader header, CropRegion face);
}

/// <summary>A unit-length face vector.</summary>
public sealed record FaceEmbedding(float[] Vector)
{
    /// <summary>Cosine similarity: 1 for the same picture, near 0 for unrelated faces.</summary>
    public double Similarity(FaceEmbedding other)
    {
        if (other.Vector.Length != Vector.Length)
            throw new ArgumentException("Embeddings from different models cannot be compared.", nameof(other));
        double dot = 0;
        for (var i = 0; i < Vector.Length; i++) dot += Vector[i] * other.Vector[i];
        return dot;
    }

    public static FaceEmbedding Normalised(ReadOnlySpan<float> raw)
    {
        double norm = 0;
        foreach (var v in raw) norm += v * v;
        var scale = norm > 0 ? (float)(1 / Math.Sqrt(norm)) : 0f;
        var vector = new float[raw.Length];
        for (var i = 0; i < raw.Length; i++) vector[i] = raw[i] * scale;
        return new FaceEmbedding(vector);
    }
}
