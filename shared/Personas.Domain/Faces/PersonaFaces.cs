using System.Collections.Concurrent;
using Personas.Domain.Blobs;
using Personas.Domain.Photos;
using Personas.Domain.Stores;
using Personas.Imaging.Analysis;
using Personas.Imaging.Faces.Embedding;

namespace Personas.Domain.Faces;

/// <summary>
/// The persona's faces as embeddings, made from its stored photos when asked. Nothing is stored: a photo's embedding
/// is a function of its bytes, kept in memory by content hash, so deleting a photo or a persona leaves nothing behind.
/// </summary>
public sealed class PersonaFaces(ICatalog catalog, IBlobStore blobs, IFaceEmbedder embedder, FaceOptions options)
{
    private const int CacheLimit = 2048;
    private readonly ConcurrentDictionary<string, FaceEmbedding> _cache = new();

    public IFaceEmbedder Embedder => embedder;
    public double Threshold => options.SamePersonSimilarity;

    public async Task<IReadOnlyList<FaceEmbedding>> OfPersonaAsync(string owner, string personaId, CancellationToken ct)
    {
        var photos = await catalog.ListPhotosAsync(owner, personaId, ct);
        var faces = new List<FaceEmbedding>();
        foreach (var photo in photos.Where(p => p.Face is not null))
            if (await OfPhotoAsync(photo, ct) is { } face) faces.Add(face);
        return faces;
    }

    private async Task<FaceEmbedding?> OfPhotoAsync(Photo photo, CancellationToken ct)
    {
        var key = $"{embedder.Model}/{photo.Sha256}";
        if (_cache.TryGetValue(key, out var known)) return known;
        var bytes = await blobs.ReadAllBytesAsync(photo.Blob, ct);
        if (bytes is null) return null; // being deleted: not part of the persona any more
        var face = embedder.Embed(bytes, PhotoDecoder.ReadHeader(bytes, long.MaxValue), photo.Face!.Value);
        if (_cache.Count >= CacheLimit) _cache.Clear(); // crude, but bounded: a cold entry is one decode away
        _cache[key] = face;
        return face;
    }

    /// <summary>The face in a picture (a detector box in its upright pixels), or null without one.</summary>
    public FaceEmbedding? Embed(byte[] picture, CropRegion? face) =>
        face is { } box ? embedder.Embed(picture, PhotoDecoder.ReadHeader(picture, long.MaxValue), box) : null;
}
