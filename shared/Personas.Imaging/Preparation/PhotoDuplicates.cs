using Personas.Imaging.Analysis;

namespace Personas.Imaging.Preparation;

/// <summary>A photo already kept: its name, exact hash and difference hash.</summary>
public readonly record struct PhotoFingerprint(string Name, string Sha256, ulong DifferenceHash);

/// <summary>Finds a photo that repeats one already kept: the same bytes, or the same picture re-encoded, resized or lightly edited.</summary>
public static class PhotoDuplicates
{
    public static Rejection? Find(PhotoInspection candidate, IEnumerable<PhotoFingerprint> kept, PhotoGates gates)
    {
        foreach (var earlier in kept)
        {
            if (earlier.Sha256 == candidate.Sha256) return new Rejection("duplicate", $"This is the same file as {earlier.Name}.");
            if (PhotoMetrics.HammingDistance(earlier.DifferenceHash, candidate.DifferenceHash) <= gates.NearDuplicateBits)
                return new Rejection("duplicate", $"This is nearly the same picture as {earlier.Name}; use photos that differ in pose, angle or setting.");
        }
        return null;
    }
}
