namespace Personas.Imaging.Preparation;

public enum PersonaMode { Portrait, FullBody }

/// <summary>What a photo must meet to be used for training. Every value is a setting (Personas:Photos:*).</summary>
public sealed record PhotoGates
{
    public int MinPhotos { get; init; } = 5;
    public int MaxPhotos { get; init; } = 20;
    public int MinBytes { get; init; } = 10 * 1024;
    public int MaxBytes { get; init; } = 15 * 1024 * 1024;
    public int MinSide { get; init; } = 512;
    public long MaxPixels { get; init; } = 50_000_000;
    public int MinOverallScore { get; init; } = 70;
    /// <summary>Difference-hash bits that may differ for two photos to still count as the same picture.</summary>
    public int NearDuplicateBits { get; init; } = 6;
}

/// <summary>One 0–100 score and the sentence that explains it.</summary>
public sealed record Score(int Value, string Explanation);

public sealed record PhotoScores(Score Resolution, Score Sharpness, Score Lighting, Score FaceDetection, Score Overall);

/// <summary>A reason a photo was not accepted: which gate, and what to do about it.</summary>
public sealed record Rejection(string Gate, string Reason);
