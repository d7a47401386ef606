using Personas.Imaging.Analysis;

namespace Personas.Imaging.Preparation;

/// <summary>Finds a photo that repeats one already kept: the same bytes, or the same picture re-encoded, resized or lightly edited.</summary>
public static class PhotoDuplicates
{
    public static Rejection? Find(PhotoInspection candidate, IEnumerable<(string Name, PhotoInspection Inspection)> kept, PhotoGates gates)
    {
        foreach (var (name, earlier) in kept)
        {
            if (earlier.Sha256 == candidate.Sha256) return new Rejection("duplicate", $"This is the same file as {name}.");
            if (PhotoMetrics.HammingDistance(earlier.DifferenceHash, candidate.DifferenceHash) <= gates.NearDuplicateBits)
                return new Rejection("duplicate", $"This is nearly the same picture as {name}; use photos that differ in pose, angle or setting.");
        }
        return null;
    }
}
