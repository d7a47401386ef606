using Personas.Domain.Training;

namespace Personas.Api.Versions;

/// <summary>
/// A stored <see cref="PersonaModel"/> as <c>/status</c> and <c>/events</c> show it: the same fields, with a signed
/// <c>url</c> and <c>controlUrl</c> beside each validation image's <c>blob</c> and <c>controlBlob</c>.
/// </summary>
public sealed record ModelPayload(int Version, string Provider, string ProviderJobId, string WeightsBlob,
    IReadOnlyList<string> CheckpointBlobs, TrainingOptions Options, DateTimeOffset TrainedAt,
    IReadOnlyList<string> ProviderSwitches, string? ProviderExecution, string? ProviderModel,
    string? TrainingInstanceId, ModelValidationPayload? Validation, string ActiveWeightsBlob, bool Usable)
{
    public static ModelPayload From(PersonaModel m, Func<string, string> link) =>
        new(m.Version, m.Provider, m.ProviderJobId, m.WeightsBlob, m.CheckpointBlobs, m.Options, m.TrainedAt,
            m.ProviderSwitches, m.ProviderExecution, m.ProviderModel, m.TrainingInstanceId,
            m.Validation is { } v ? ModelValidationPayload.From(v, link) : null, m.ActiveWeightsBlob, m.Usable);
}

public sealed record ModelValidationPayload(string Provider, double Gate, bool Passed, string ChosenLabel,
    string ChosenWeightsBlob, string Summary, IReadOnlyList<CandidatePayload> Candidates)
{
    public static ModelValidationPayload From(ModelValidation v, Func<string, string> link) =>
        new(v.Provider, v.Gate, v.Passed, v.ChosenLabel, v.ChosenWeightsBlob, v.Summary,
            v.Candidates.Select(c => CandidatePayload.From(c, link)).ToList());
}

public sealed record CandidatePayload(string Label, string WeightsBlob, ValidationMetric FaceDetected,
    ValidationMetric Quality, ValidationMetric TriggerEffectiveness, ValidationMetric FaceConsistency,
    IReadOnlyList<ValidationImagePayload> Images, IReadOnlyList<ValidationMetric> Metrics, double Score)
{
    public static CandidatePayload From(CandidateValidation c, Func<string, string> link) =>
        new(c.Label, c.WeightsBlob, c.FaceDetected, c.Quality, c.TriggerEffectiveness, c.FaceConsistency,
            c.Images.Select(i => new ValidationImagePayload(i.Prompt, i.Seed, i.Provider, i.Blob, i.ControlBlob,
                i.ClearFace, i.Quality, i.FaceChangeBits, link(i.Blob), link(i.ControlBlob), i.FaceSimilarity))
                .ToList(),
            c.Metrics.ToList(), c.Score);
}

/// <summary>
/// A validation picture (<c>blob</c>, with the LoRA) and its control (<c>controlBlob</c>, without);
/// <c>faceSimilarity</c> is its face's median cosine to the persona's photos (null without a clear face).
/// </summary>
public sealed record ValidationImagePayload(string Prompt, long Seed, string Provider, string Blob, string ControlBlob,
    bool ClearFace, int Quality, int FaceChangeBits, string Url, string ControlUrl, double? FaceSimilarity);
