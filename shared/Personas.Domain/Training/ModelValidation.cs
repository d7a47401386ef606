namespace Personas.Domain.Training;

/// <summary>One validation score, 0–1, with what it means; <see cref="Value"/> is null when it could not be measured (never a made-up number).</summary>
public sealed record ValidationMetric(double? Value, string Explanation)
{
    public static ValidationMetric Unavailable(string why) => new(null, why);
}

/// <summary>One validation prompt's pictures: with the LoRA and trigger, and the control at LoRA scale 0 with the same seed.</summary>
/// FaceSimilarity: the face's median cosine to the persona's photos (the same-person check); null without a clear face.
public sealed record ValidationImage(string Prompt, long Seed, string Provider, string Blob, string ControlBlob,
    bool ClearFace, int Quality, int FaceChangeBits, double? FaceSimilarity = null);

/// <summary>How one set of weights (the final LoRA or a checkpoint) did.</summary>
public sealed record CandidateValidation(string Label, string WeightsBlob, ValidationMetric FaceDetected, ValidationMetric Quality,
    ValidationMetric TriggerEffectiveness, ValidationMetric FaceConsistency, IReadOnlyList<ValidationImage> Images)
{
    public IEnumerable<ValidationMetric> Metrics => [FaceDetected, Quality, TriggerEffectiveness, FaceConsistency];

    /// <summary>The mean of the available scores: what picks the best checkpoint.</summary>
    public double Score => Metrics.Where(m => m.Value is not null).Select(m => m.Value!.Value).DefaultIfEmpty(0).Average();

    public bool Passes(double gate) => Metrics.All(m => m.Value is null || m.Value >= gate);
}

/// <summary>The validation of a trained version: every candidate scored, the one kept, and whether it passed the gate.</summary>
public sealed record ModelValidation(string Provider, double Gate, bool Passed, string ChosenLabel, string ChosenWeightsBlob, string Summary,
    IReadOnlyList<CandidateValidation> Candidates);
