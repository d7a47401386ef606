using Personas.Imaging.Analysis;
using Personas.Imaging.Preparation;

namespace Personas.Domain.Photos;

/// <summary>An accepted photo of a persona: where its original is, what was measured, and how it will be framed.</summary>
public sealed record Photo
{
    public required string Id { get; init; }
    public required string PersonaId { get; init; }
    public required string Owner { get; init; }
    public required string FileName { get; init; }
    public required string Sha256 { get; init; }
    public required ulong DifferenceHash { get; init; }
    public required PhotoFormat Format { get; init; }
    public required int Width { get; init; }
    public required int Height { get; init; }
    public required PhotoScores Scores { get; init; }
    public CropRegion? Face { get; init; }
    public CropRegion? Frame { get; init; }
    public int FaceNeighbours { get; init; }
    public required string Blob { get; init; }
    public string? FramedBlob { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
}
